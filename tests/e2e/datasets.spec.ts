import { expect, test } from '@playwright/test';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const poscar = `MoS2 unit cell
1.0
3.16 0 0
-1.58 2.7366 0
0 0 20
Mo S
1 2
Direct
0.3333333 0.6666667 0.5
0.6666667 0.3333333 0.42
0.6666667 0.3333333 0.58
`;

test.describe('datasets and uploads', () => {
  test('should create a dataset, upload a POSCAR and list it after a reload', async ({ page }) => {
    const name = `e2e ${Date.now()}`;
    await page.goto('/');
    await page.getByLabel('Name').fill(name);
    await page.getByRole('button', { name: 'Create dataset' }).click();
    await expect(page.getByRole('heading', { name })).toBeVisible();

    const dir = mkdtempSync(path.join(os.tmpdir(), 'epdi-e2e-files-'));
    const file = path.join(dir, 'POSCAR');
    writeFileSync(file, poscar);
    await page.getByLabel('Files to upload').setInputFiles(file);
    await expect(page.getByText('stored: MoS2 unit cell')).toBeVisible();

    await page.reload();
    const table = page.getByRole('table', { name: 'Surfaces' });
    await expect(table.getByRole('cell', { name: 'MoS2 unit cell', exact: true })).toBeVisible();
    await expect(table.getByRole('row', { name: /MoS2 unit cell/ })).toContainText('pristine');
    await page.screenshot({ path: 'test-results/screenshots/dataset.png', fullPage: true });
  });

  test('should show a bad file next to its name while the other folders land', async ({ page }) => {
    const name = `e2e bad ${Date.now()}`;
    await page.goto('/');
    await page.getByLabel('Name').fill(name);
    await page.getByRole('button', { name: 'Create dataset' }).click();
    await expect(page.getByRole('heading', { name })).toBeVisible();

    // One folder holding two surface folders: 'good' lands, 'bad' shows its error next to labels.csv.
    const root = mkdtempSync(path.join(os.tmpdir(), 'epdi-e2e-bad-'));
    const upload = path.join(root, 'run');
    mkdirSync(path.join(upload, 'good'), { recursive: true });
    mkdirSync(path.join(upload, 'bad'), { recursive: true });
    writeFileSync(path.join(upload, 'good', 'POSCAR'), poscar);
    writeFileSync(path.join(upload, 'bad', 'POSCAR'), poscar);
    writeFileSync(path.join(upload, 'bad', 'labels.csv'), 'site,kind,x,y,z,E_total_eV\na,T_M,0,0,oops,-1\n');
    await page.getByLabel('Folder to upload').setInputFiles(upload);
    await expect(page.getByRole('alert').filter({ hasText: 'labels.csv' })).toContainText('line 2');
    await expect(page.getByRole('button', { name: 'Retry run/bad' })).toBeVisible();
    await expect(page.getByText('stored: good')).toBeVisible();
    await page.reload();
    const table = page.getByRole('table', { name: 'Surfaces' });
    await expect(table.getByRole('cell', { name: 'good', exact: true })).toBeVisible();
    await expect(table.getByRole('cell', { name: 'bad', exact: true })).toHaveCount(0);
  });
});
