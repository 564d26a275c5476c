import { expect, test, type APIRequestContext, type Locator, type Page } from '@playwright/test';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Issue 17, the browser as a materials scientist reads it: round and distinct tick labels, units on axes and column
 * headers, one unit convention for the potential (-e*phi in eV), no "-0.000", and a profiles page that opens on a
 * hop that is not flagged. Seeded with four demo surfaces (real GPAW DFT): MoS2, MoS2-V, ZrS2, ZrS2-Ti.
 */

const DEMO = path.resolve(__dirname, '..', '..', 'data', 'demo');

function filesUnder(dir: string, rel = ''): [string, Buffer][] {
  const out: [string, Buffer][] = [];
  for (const name of readdirSync(path.join(dir, rel))) {
    if (name.startsWith('.')) continue;
    const r = rel ? `${rel}/${name}` : name;
    if (statSync(path.join(dir, r)).isDirectory()) out.push(...filesUnder(dir, r));
    else out.push([r, readFileSync(path.join(dir, r))]);
  }
  return out;
}

async function seed(request: APIRequestContext): Promise<string> {
  const created = await request.post('/api/datasets', {
    data: { name: `e2e readability ${Date.now()}`, settings: { pixels: 16 } },
  });
  expect(created.status()).toBe(201);
  const datasetId = (await created.json()).dataset.id as string;
  for (const surface of ['MoS2', 'MoS2-V', 'ZrS2', 'ZrS2-Ti']) {
    const form = new FormData();
    for (const [rel, bytes] of filesUnder(path.join(DEMO, surface)))
      form.append('file', new Blob([new Uint8Array(bytes)]), encodeURIComponent(`${surface}/${rel}`));
    const up = await request.post(`/api/datasets/${datasetId}/uploads`, { multipart: form });
    expect(up.status(), `upload of ${surface}`).toBe(201);
    const { extractJobId } = await up.json();
    await expect
      .poll(async () => (await (await request.get(`/api/jobs/${extractJobId}`)).json()).job.status, {
        timeout: 120_000,
      })
      .toBe('done');
  }
  return datasetId;
}

/** Every "-0.0…" (a negative zero after rounding) in the page's text. */
async function negativeZeros(page: Page): Promise<string[]> {
  const text = await page.locator('body').innerText();
  return [...text.matchAll(/[-−]0\.(\d+)/g)].filter((m) => /^0+$/.test(m[1])).map((m) => m[0]);
}

async function expectDistinct(labels: Locator, what: string): Promise<string[]> {
  await expect(labels.first()).toBeVisible({ timeout: 30_000 }); // charts draw after hydration
  const texts = (await labels.allTextContents()).map((t) => t.trim()).filter(Boolean);
  expect(texts.length, `${what}: tick labels`).toBeGreaterThan(1);
  expect(new Set(texts).size, `${what}: ${texts.join(' | ')}`).toBe(texts.length);
  return texts;
}

/** Evenly spaced ticks: the differences of the numbers are all equal (round ticks of one step). */
function expectEvenlySpaced(texts: string[], what: string): void {
  const v = texts.map((t) => Number(t.replace('−', '-')));
  expect(v.every(Number.isFinite), `${what}: ${texts.join(' | ')}`).toBe(true);
  const steps = v.slice(1).map((x, i) => x - v[i]);
  for (const s of steps)
    expect(Math.abs(s - steps[0]), `${what}: ${texts.join(' | ')}`).toBeLessThan(1e-9 + 1e-6 * Math.abs(steps[0]));
}

test.describe('readability (issue 17)', () => {
  let datasetId = '';

  test.beforeAll(async ({ request }) => {
    test.setTimeout(600_000);
    datasetId = await seed(request);
  });

  test('should open the profiles page on a hop that is not flagged, with round distinct y ticks and units', async ({
    page,
  }) => {
    await page.goto(`/datasets/${datasetId}/profiles`);
    const figure = page.getByRole('figure', { name: /Profile of / });
    await expect(figure).toBeVisible();
    await expect(figure).toHaveAttribute('data-flagged', 'false');
    await expect(page.getByTestId('default-hop-reason')).toContainText(/percolating bottleneck|lowest unflagged/);
    const y = await expectDistinct(
      figure.locator('.recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value'),
      'profile y',
    );
    expectEvenlySpaced(y, 'profile y');
    await expect(figure.getByText('E_b (eV)')).toBeVisible();
    await expect(figure.getByTestId('profile-barriers')).toContainText('meV');
    const headers = await page
      .getByRole('table', { name: 'Barriers', exact: true })
      .getByRole('columnheader')
      .allTextContents();
    for (const h of headers.filter((h) => !/Surface|Hop|Source/.test(h))) expect(h).toMatch(/\((m?eV)\)/);
    expect(await negativeZeros(page)).toEqual([]);
  });

  test('should label the dataset page MEP scatter with round distinct ticks and units, one series per surface', async ({
    page,
  }) => {
    await page.goto(`/datasets/${datasetId}`);
    const figure = page.getByRole('figure', { name: 'MEP versus binding energy' });
    await expect(figure.locator('.recharts-surface').first()).toBeVisible();
    const x = await expectDistinct(
      figure.locator('.recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value'),
      'MEP x',
    );
    const y = await expectDistinct(
      figure.locator('.recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value'),
      'MEP y',
    );
    expectEvenlySpaced(x, 'MEP x');
    expectEvenlySpaced(y, 'MEP y');
    await expect(figure.getByText(/MEP, −eφ \(eV/)).toBeVisible();
    await expect(figure.getByText('E_b, DFT (eV)')).toBeVisible();
    // Pristine and doped surfaces of a host are separate series.
    for (const s of ['MoS2', 'MoS2-V', 'ZrS2', 'ZrS2-Ti'])
      await expect(figure.locator('.recharts-legend-item-text', { hasText: new RegExp(`^${s}$`) })).toHaveCount(1);
    expect(await negativeZeros(page)).toEqual([]);
  });

  test('should title the potential colour bars -e*phi (eV) with distinct ticks on a surface page', async ({ page }) => {
    await page.goto(`/datasets/${datasetId}`);
    await page.getByRole('table', { name: 'Surfaces' }).getByRole('link', { name: 'MoS2-V' }).click();
    await expect(page.getByRole('heading', { name: 'MoS2-V', level: 1 })).toBeVisible();
    const map = page.getByRole('img', { name: /Potential map of MoS2-V at .* colour scale −eφ in eV/ });
    await expect(map).toBeVisible({ timeout: 30_000 });
    const name = (await map.getAttribute('aria-label')) ?? '';
    const ticks = /ticks ([^)]*)\)/.exec(name)?.[1].split(', ') ?? [];
    expect(ticks.length).toBeGreaterThan(1);
    expect(new Set(ticks).size).toBe(ticks.length);
    const bars = page.getByTestId('colour-bar-ticks');
    await expect(bars.first()).toBeVisible();
    for (let i = 0; i < (await bars.count()); i++) await expectDistinct(bars.nth(i).locator('span'), `colour bar ${i}`);
    await expect(page.getByText(/−eφ at .* above top X \(eV\)/)).toBeVisible();
    await expect(page.getByText('V (eV)', { exact: true })).toHaveCount(0);
    await expect(page.getByRole('group', { name: 'Legend' })).toContainText('dopant');
    // EPDI tiles carry a placeholder under each image.
    const tiles = page.getByTestId('epdi-tile');
    expect(await tiles.count()).toBeGreaterThan(0);
    await expect(tiles.first()).toContainText('EPDI');
    expect(await negativeZeros(page)).toEqual([]);
  });
});
