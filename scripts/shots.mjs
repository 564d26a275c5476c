#!/usr/bin/env node
// `npm run shots [-- --url http://127.0.0.1:3000] [--out DIR]`: full-page screenshots of every page of a running app
// (home, each dataset, its profiles and training pages, every surface page), taken with Debian's Chromium through
// Playwright. Each page is scrolled to the bottom in steps first so lazy images and charts load, then shot whole.
// Start the app first (`npm run demo`, or `npm run build && npm start` on a seeded database).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
};
const base = arg('url', process.env.SHOTS_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
const out = path.resolve(arg('out', path.join(root, 'test-results', 'shots', stamp)));
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The same launch flags as playwright.config.ts (Debian's Chromium, no network, software WebGL). */
const launch = {
  executablePath: chromiumPath,
  args: [
    '--no-sandbox',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
    '--no-first-run',
    '--use-angle=swiftshader',
    '--enable-unsafe-swiftshader',
  ],
};

async function json(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.json();
}

/** Every page of the app: [file name, path]. */
async function pages() {
  const list = [['00-home', '/']];
  // Top-level pages besides the home page, when this build has them.
  for (const route of ['/campaigns']) {
    const res = await fetch(`${base}${route}`).catch(() => null);
    if (res?.ok) list.push([`00-${route.slice(1).replace(/\W+/g, '_')}`, route]);
  }
  const { datasets } = await json(`${base}/api/datasets`);
  for (const [i, d] of datasets.entries()) {
    const p = `d${String(i + 1).padStart(2, '0')}`;
    list.push([`${p}-dataset`, `/datasets/${d.id}`]);
    list.push([`${p}-profiles`, `/datasets/${d.id}/profiles`]);
    list.push([`${p}-train`, `/datasets/${d.id}/train`]);
    const { surfaces } = await json(`${base}/api/datasets/${d.id}/surfaces`);
    for (const s of surfaces)
      list.push([
        `${p}-surface-${String(s.name).replace(/[^A-Za-z0-9_-]+/g, '_')}`,
        `/datasets/${d.id}/surfaces/${s.id}`,
      ]);
  }
  return list;
}

/** Scrolls down a viewport at a time (lazy images, IntersectionObservers), waits for images, then back to the top. */
async function settle(page) {
  await page.waitForLoadState('networkidle', { timeout: 30_000 }).catch(() => {});
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  for (let y = 0; y < height; y += 600) {
    await page.evaluate((top) => window.scrollTo(0, top), y);
    await page.waitForTimeout(150);
  }
  await page
    .waitForFunction(() => [...document.images].every((img) => img.complete), null, { timeout: 30_000 })
    .catch(() => console.warn('  some images did not finish loading'));
  await page.waitForLoadState('networkidle', { timeout: 30_000 }).catch(() => {});
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(800); // charts animate in, the 3D view renders its first frame
}

mkdirSync(out, { recursive: true });
const browser = await chromium.launch(launch);
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  for (const [name, route] of await pages()) {
    const file = path.join(out, `${name}.png`);
    const t0 = Date.now();
    await page.goto(`${base}${route}`, { waitUntil: 'load', timeout: 60_000 });
    await settle(page);
    await page.screenshot({ path: file, fullPage: true });
    console.log(`${file}  ${route}  ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  if (errors.length) console.warn(`page errors:\n  ${errors.join('\n  ')}`);
} finally {
  await browser.close();
}
console.log(`screenshots in ${out}`);
