import { expect, test, type Locator } from '@playwright/test';
import { decode } from 'fast-png';
import { mkdirSync } from 'node:fs';
import { writePoscar } from '../../lib/formats/poscar';
import { writeVolumetric } from '../../lib/formats/volumetric';
import { buildMX2Slab, sampleModelOnGrid, syntheticPotentialModel } from '../fixtures/synthetic';

const SHOTS = 'test-results/screenshots';

/** A doped 3x3 2H-MoS2 surface folder: POSCAR, LOCPOT (analytic potential), labels for the nine T_M sites, meta.json. */
function surfaceFolder(): [string, string][] {
  const structure = buildMX2Slab({ phase: '2H', dopant: { species: 'V' } });
  const dims: [number, number, number] = [48, 48, 128];
  const grid = sampleModelOnGrid(syntheticPotentialModel(structure, { offsetEv: 2.5 }), dims);
  const topZ = Math.max(...structure.positions.map((p) => p[2]));
  const rows = ['site,kind,x,y,z,E_total_eV,method'];
  for (let i = 0; i < 9; i++) {
    const p = structure.positions[i]; // metals first
    rows.push(`tm${i},T_M,${p[0]},${p[1]},${topZ + 1.5},${(-190.5 + 0.04 * i).toFixed(3)},synthetic`);
  }
  return [
    ['MoS2-V/POSCAR', writePoscar(structure)],
    ['MoS2-V/LOCPOT', writeVolumetric(structure, dims, [grid.data])],
    ['MoS2-V/labels.csv', rows.join('\n') + '\n'],
    [
      'MoS2-V/meta.json',
      JSON.stringify({
        host: 'MoS2',
        phase: '2H',
        dopant: 'V',
        E_slab_eV: -188.0,
        mu_Li_eV: -1.9,
        mu_Li_reference: 'bcc',
        code: 'VASP 6.4.2',
        settings: { xc: 'PBE', ENCUT: 520, kpts: [3, 3, 1] },
      }),
    ],
  ];
}

/** RGBA pixels of an element's screenshot. */
async function pixels(locator: Locator, path?: string): Promise<{ data: Uint8Array; width: number; height: number }> {
  const png = decode(await locator.screenshot(path ? { path } : {}));
  return { data: png.data as Uint8Array, width: png.width, height: png.height };
}

function lumaVariance({ data }: { data: Uint8Array }): number {
  let s = 0;
  let s2 = 0;
  const n = data.length / 4;
  for (let i = 0; i < data.length; i += 4) {
    const y = 0.2126 * data[i] + 0.7152 * data[i + 1] + 0.0722 * data[i + 2];
    s += y;
    s2 += y * y;
  }
  return s2 / n - (s / n) ** 2;
}

function meanAbsDiff(a: { data: Uint8Array }, b: { data: Uint8Array }): number {
  let d = 0;
  for (let i = 0; i < a.data.length; i++) if (i % 4 !== 3) d += Math.abs(a.data[i] - b.data[i]);
  return d / ((a.data.length * 3) / 4);
}

test.describe('surface view', () => {
  test('should render the slab in 3D, recolour the slice with the height slider and show the map and gallery', async ({
    page,
    baseURL,
  }) => {
    mkdirSync(SHOTS, { recursive: true });
    const consoleErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    const failed: string[] = [];
    page.on('response', (r) => {
      if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) failed.push(`${r.status()} ${r.url()}`);
    });

    // Seed through the API as the upload panel would: dataset, one surface folder, wait for the extraction job.
    const created = await fetch(`${baseURL}/api/datasets`, {
      method: 'POST',
      body: JSON.stringify({ name: `surface view ${Date.now()}`, settings: { pixels: 32 } }),
    });
    expect(created.status).toBe(201);
    const datasetId = (await created.json()).dataset.id as string;
    const form = new FormData();
    for (const [p, text] of surfaceFolder()) form.append('file', new Blob([text]), encodeURIComponent(p));
    const uploaded = await fetch(`${baseURL}/api/datasets/${datasetId}/uploads`, { method: 'POST', body: form });
    expect(uploaded.status).toBe(201);
    const { extractJobId } = await uploaded.json();
    await expect
      .poll(async () => (await (await fetch(`${baseURL}/api/jobs/${extractJobId}`)).json()).job.status, {
        timeout: 60_000,
      })
      .toBe('done');

    await page.goto(`/datasets/${datasetId}`);
    await page.getByRole('link', { name: 'MoS2-V' }).click();
    // The first visit builds the page and loads three.js: slow on a 2-core machine with software WebGL.
    await expect(page.getByRole('heading', { name: 'MoS2-V', level: 1 })).toBeVisible({ timeout: 30_000 });
    await expect(page.getByText('VMo8S18')).toBeVisible();
    // How it was computed, from meta.json.
    await page.getByText('How it was computed (meta.json):').click();
    const provenance = page.getByRole('definition').filter({ hasText: '3 × 3 × 1' });
    await expect(provenance).toBeVisible();
    await expect(page.getByText('VASP 6.4.2 · PBE · -1.9000 eV (bcc)')).toBeVisible();

    const map = page.getByRole('img', { name: /Potential map of MoS2-V at 1\.50 Å/ });
    await expect(map).toBeVisible({ timeout: 30_000 });
    const canvas3d = page.getByRole('img', { name: /3D view of MoS2-V/ });
    await canvas3d.scrollIntoViewIfNeeded();
    await page.waitForTimeout(500); // one animation frame after the slice texture arrived
    const before = await pixels(canvas3d, `${SHOTS}/surface-3d-h1.5.png`);
    expect(before.width).toBeGreaterThan(600);
    expect(lumaVariance(before)).toBeGreaterThan(100); // not a blank canvas
    const mapBefore = await pixels(map, `${SHOTS}/surface-map-h1.5.png`);
    expect(lumaVariance(mapBefore)).toBeGreaterThan(100);
    await page.screenshot({ path: `${SHOTS}/surface.png`, fullPage: true });

    // Move the slice up: the map and the textured plane in 3D change colour.
    await page.getByLabel('Slice height above top X layer in Angstrom').fill('4');
    const mapHigh = page.getByRole('img', { name: /Potential map of MoS2-V at 4\.00 Å/ });
    await expect(mapHigh).toBeVisible({ timeout: 15_000 });
    await page.waitForTimeout(500);
    const after = await pixels(canvas3d, `${SHOTS}/surface-3d-h4.png`);
    expect(meanAbsDiff(before, after)).toBeGreaterThan(1);
    const mapAfter = await pixels(mapHigh, `${SHOTS}/surface-map-h4.png`);
    expect(meanAbsDiff(mapBefore, mapAfter)).toBeGreaterThan(5);

    // Repeat 3x3 and the isosurface (marching cubes in the worker).
    await page.getByRole('radio', { name: '3×3' }).click();
    await page.getByRole('checkbox', { name: 'Isosurface' }).check();
    await expect(page.getByRole('status').filter({ hasText: /triangles at/ })).toBeVisible({ timeout: 30_000 });
    await page.waitForTimeout(500);
    await canvas3d.screenshot({ path: `${SHOTS}/surface-3d-3x3-iso.png` });

    // A row of the sites table selects the site and shows its EPDI; the gallery lists every site.
    const table = page.getByRole('table', { name: 'Sites' });
    await table.getByRole('row').filter({ hasText: 'T_M' }).first().click();
    await expect(page.getByRole('complementary', { name: 'Selected site' }).getByRole('img')).toBeVisible();
    const gallery = page.getByRole('list', { name: 'EPDI gallery' });
    await expect(gallery.getByRole('listitem')).toHaveCount(45);
    await gallery.scrollIntoViewIfNeeded();
    await expect(gallery.getByRole('img', { name: 'EPDI of T_M site T_M-0' })).toHaveJSProperty('complete', true);
    expect(
      await gallery
        .getByRole('img', { name: 'EPDI of T_M site T_M-0' })
        .evaluate((img: HTMLImageElement) => img.naturalWidth),
    ).toBe(32);
    await expect(gallery.getByRole('link', { name: 'Download PNG' }).first()).toHaveAttribute(
      'href',
      /\/api\/sites\/.+\/epdi/,
    );
    await page.screenshot({ path: `${SHOTS}/surface-selected.png`, fullPage: true });

    expect(failed).toEqual([]);
    expect(consoleErrors.filter((e) => !/GPU stall|WebGL: |swiftshader|Failed to load resource/i.test(e))).toEqual([]);
  });
});
