import { expect, test } from '@playwright/test';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { labelledSurfaceFiles } from '../server/training-files';

/**
 * The whole job as a materials scientist does it, by hand in the browser: create a dataset, drop a surface folder,
 * look at its sites, train a model, predict, read the profiles and download profiles.csv.
 */
test.describe('the full journey', () => {
  test('should go from a new dataset and an uploaded folder to a downloaded profiles.csv', async ({ page }) => {
    test.setTimeout(300_000);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });

    const { files, unlabelled } = labelledSurfaceFiles('MoS2-V');
    const root = mkdtempSync(path.join(os.tmpdir(), 'epdi-journey-'));
    for (const [rel, content] of files) {
      mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      writeFileSync(path.join(root, rel), content);
    }

    const name = `journey ${Date.now()}`;
    await page.goto('/');
    await page.getByLabel('Name').fill(name);
    await page.getByLabel('EPDI pixels').fill('16');
    await page.getByRole('button', { name: 'Create dataset' }).click();
    await expect(page.getByRole('heading', { name })).toBeVisible();

    await page.getByLabel('Folder to upload').setInputFiles(path.join(root, 'MoS2-V'));
    await expect(page.getByText('stored: MoS2-V')).toBeVisible({ timeout: 60_000 });

    // Sites appear once the extraction job is done: 45 on a 3x3 2H slab.
    const surfaces = page.getByRole('table', { name: 'Surfaces' });
    await expect
      .poll(
        async () => {
          await page.reload();
          return surfaces.getByRole('row', { name: /MoS2-V/ }).getByRole('cell').nth(5).textContent();
        },
        { timeout: 60_000 },
      )
      .toBe('45');

    await surfaces.getByRole('link', { name: 'MoS2-V' }).click();
    await expect(page.getByRole('img', { name: /3D view of MoS2-V/ })).toBeVisible({ timeout: 60_000 });
    await page.screenshot({ path: 'test-results/screenshots/journey-surface.png', fullPage: true });
    await page.goBack();

    await page.getByRole('link', { name: 'Train and predict' }).click();
    await expect(page.getByRole('status')).toHaveText('ready', { timeout: 60_000 });
    await page.getByLabel('Model type').selectOption('pixel-ridge');
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await expect(page.getByRole('table', { name: 'Comparison' })).toBeVisible({ timeout: 120_000 });
    await page.getByRole('button', { name: 'Save to server' }).click();
    await expect(page.getByText('(trained, saved on the server)')).toBeVisible();
    await page.getByRole('button', { name: 'Predict unlabelled sites and store' }).click();
    await expect(page.getByText(`Stored ${unlabelled} predictions for the unlabelled sites.`)).toBeVisible({
      timeout: 60_000,
    });

    await page.goBack();
    await page.getByRole('link', { name: 'Profiles and barriers' }).click();
    const downloadPromise = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download profiles.csv' }).click();
    const download = await downloadPromise;
    const text = readFileSync((await download.path())!, 'utf8');
    const parsed = Papa.parse<Record<string, string>>(text, { header: true, comments: '#', skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.meta.fields).toEqual(
      expect.arrayContaining(['surface', 'hop', 's', 'energy_eV', 'sigma_eV', 'source', 'model_id']),
    );
    // Every one of the 27 bridges has a complete profile now (DFT where labelled, predicted elsewhere), 21 points each.
    const hops = new Set(parsed.data.map((r) => r.hop));
    expect(hops.size).toBe(27);
    expect(parsed.data.filter((r) => r.source !== 'neb').length).toBeGreaterThanOrEqual(27 * 21);
    expect(parsed.data.some((r) => r.source === 'predicted')).toBe(true);
    await page.screenshot({ path: 'test-results/screenshots/journey-profiles.png', fullPage: true });
    expect(errors.filter((e) => !e.includes('favicon'))).toEqual([]);
  });
});
