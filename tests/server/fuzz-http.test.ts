import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupTempDatabase } from './helpers';

/**
 * The HTTP-level fuzzer (bench/fuzz-http/) over every route handler: a few thousand seeded cases of mutated paths,
 * query strings, JSON and multipart bodies and zips. Issue 15: zero 500s, zero hangs, every 4xx a JSON reason, no
 * absolute path in an answer. Long runs: `npm run fuzz:http -- --runs 100000`.
 */
const temp = setupTempDatabase();
process.env.EPDI_WEIGHTS_DIR = path.join(temp.dir, 'weights');
const { settleJobs } = await import('./label-files');
const { db } = await import('@/lib/server/db');
afterAll(async () => {
  await settleJobs(db); // background extractions and trainings the cases started
  temp.cleanup();
}, 120_000);

const { createFuzzFixtures } = await import('../../bench/fuzz-http/fixtures');
const { formatFailure, loadRoutes, runHttpFuzz } = await import('../../bench/fuzz-http/run');

const SEED = 15;
const RUNS = Number(process.env.EPDI_FUZZ_HTTP_RUNS ?? 2000);
let fixtures: Awaited<ReturnType<typeof createFuzzFixtures>>;
let routes: Awaited<ReturnType<typeof loadRoutes>>;

beforeAll(async () => {
  fixtures = await createFuzzFixtures();
  routes = await loadRoutes(path.resolve(__dirname, '..', '..'));
}, 120_000);

describe('HTTP fuzzer', () => {
  it(`answers ${RUNS} hostile requests over every route without a 500, a hang or a reason-less 4xx`, async () => {
    expect(routes.length).toBeGreaterThanOrEqual(20);
    const summary = await runHttpFuzz({ routes, fixtures, seed: SEED, runs: RUNS, timeoutMs: 20_000 });
    const report = summary.failures.slice(0, 10).map((f) => formatFailure(f, SEED));
    expect(report).toEqual([]);
    // The cases reach the handlers' success paths too, not only their refusals.
    expect([...summary.statuses.keys()].some((s) => s >= 200 && s < 300)).toBe(true);
  }, 180_000);
});
