import { expect, test, type APIRequestContext } from '@playwright/test';
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { findSites } from '@/lib/surface';
import { smallSurfaceFiles } from '../server/surface-files';

/**
 * A doped 3x3 MoS2 surface with labels for hop-0 (T_M -> bridge -> H; E_b -0.6, -0.1, -0.4 eV with meta.json's
 * E_slab = -188 eV and mu_Li = -1.9 eV), uploaded through the API; its extraction job is awaited.
 */
async function seedDataset(request: APIRequestContext): Promise<string> {
  const created = await request.post('/api/datasets', {
    data: { name: `e2e profiles ${Date.now()}`, settings: { pixels: 8 } },
  });
  expect(created.status()).toBe(201);
  const datasetId = (await created.json()).dataset.id as string;

  const { files, structure } = smallSurfaceFiles('MoS2-V');
  const found = findSites(structure, { heightA: 1.5 });
  const hop = found.hops[0];
  const labels = [
    'site,kind,x,y,z,E_total_eV',
    ...(
      [
        [hop.from, -190.5],
        [hop.via, -190.0],
        [hop.to, -190.3],
      ] as const
    ).map(([i, e]) => `${found.sites[i].id},${found.sites[i].kind},${found.sites[i].position.join(',')},${e}`),
  ].join('\n');
  const form = new FormData();
  for (const [p, content] of files) {
    const text = p.endsWith('labels.csv') ? `${labels}\n` : content;
    form.append('file', new Blob([text]), encodeURIComponent(p));
  }
  const up = await request.post(`/api/datasets/${datasetId}/uploads`, { multipart: form });
  expect(up.status()).toBe(201);
  const { extractJobId } = await up.json();
  await expect
    .poll(async () => (await (await request.get(`/api/jobs/${extractJobId}`)).json()).job.status, { timeout: 60_000 })
    .toBe('done');
  return datasetId;
}

test.describe('profiles', () => {
  test('should show the hop profiles and barriers and download profiles.csv', async ({ page, request }) => {
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`${m.text()} ${m.location().url}`);
    });
    page.on('response', (r) => {
      if (r.status() >= 400) errors.push(`HTTP ${r.status()} ${r.url()}`);
    });
    const datasetId = await seedDataset(request);
    const api = (await (await request.get(`/api/datasets/${datasetId}/profiles`)).json()).profiles;
    const hops = api.surfaces[0].hops.length as number;
    expect(hops).toBeGreaterThan(0);

    await page.goto(`/datasets/${datasetId}/profiles`);
    await expect(page.getByRole('heading', { name: 'Profiles and barriers' })).toBeVisible();
    await expect(page.getByRole('figure', { name: /Profile of MoS2-V hop-/ })).toBeVisible();
    await expect(page.locator('figure .recharts-surface').first()).toBeVisible();
    const table = page.getByRole('table', { name: 'Barriers', exact: true });
    await expect(table.getByRole('row')).toHaveCount(hops + 1);
    // Sorting by the forward barrier toggles its direction.
    await table.getByRole('button', { name: /Forward/ }).click();
    await expect(table.getByRole('columnheader', { name: /Forward/ })).toHaveAttribute('aria-sort', 'descending');
    await page.screenshot({ path: 'test-results/screenshots/profiles.png', fullPage: true });

    const downloadPromise = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download profiles.csv' }).click();
    const download = await downloadPromise;
    expect(download.suggestedFilename()).toBe('profiles.csv');
    const text = readFileSync((await download.path())!, 'utf8');
    // Plain RFC 4180: the header is line 1, provenance lives in the profiles.json sidecar.
    expect(text.split('\n')[0]).toBe('dataset,surface,host,dopant,hop,s,energy_eV,sigma_eV,source,model_id');
    const parsed = Papa.parse<Record<string, unknown>>(text, { header: true, skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.meta.fields).toEqual([
      'dataset',
      'surface',
      'host',
      'dopant',
      'hop',
      's',
      'energy_eV',
      'sigma_eV',
      'source',
      'model_id',
    ]);
    expect(parsed.data).toHaveLength(21 * hops);
    expect(parsed.data.every((r) => r.source === 'dft' && r.surface === 'MoS2-V')).toBe(true);

    // One pipeline: barriers.csv as the browser downloads it gives the API's hops, names and barriers (1e-6 eV).
    const barriersPromise = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download barriers.csv' }).click();
    const barriersText = readFileSync((await (await barriersPromise).path())!, 'utf8');
    const barriers = Papa.parse<Record<string, string>>(barriersText, { header: true, skipEmptyLines: true }).data;
    expect(barriers).toHaveLength(hops);
    for (const h of api.hops ?? api.surfaces[0].hops) {
      const row = barriers.find((r) => r.hop === h.hop)!;
      expect([row.from_site, row.saddle_site, row.to_site]).toEqual(h.knots.map((k: { site: string }) => k.site));
      expect([row.from_site_id, row.saddle_site_id, row.to_site_id]).toEqual(
        h.knots.map((k: { siteName: string }) => k.siteName),
      );
      expect(Math.abs(Number(row.barrier_forward_eV) - h.barrierForwardEv)).toBeLessThan(1e-6);
      expect(Math.abs(Number(row.barrier_backward_eV) - h.barrierBackwardEv)).toBeLessThan(1e-6);
    }
    const sidecar = await request.get(`/api/datasets/${datasetId}/export/barriers.json`);
    expect((await sidecar.json()).muLi.description).toContain('bcc Li, mu_Li = -1.9000 eV');
    // The app ships no favicon yet (app/layout.tsx): the browser's own request for it is not this page's error.
    expect(errors.filter((e) => !e.includes('/favicon.ico'))).toEqual([]);
  });
});
