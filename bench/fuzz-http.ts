/**
 * npm run fuzz:http -- [--runs N] [--seed S] [--from I] [--timeout MS]
 *
 * The HTTP-level fuzzer (bench/fuzz-http/) for long runs: every route handler of app/api called in-process with
 * seeded hostile requests against a temporary SQLite database. Prints each failing case with the command that replays
 * it, then `cases N, 500s N, hangs N, other failures N`; exits 1 on any failure. `npm test` runs 2,000 cases of seed 15
 * (tests/server/fuzz-http.test.ts).
 */
import path from 'node:path';
import { setupTempDatabase } from '../tests/server/helpers';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(v)) throw new Error(`--${name} needs a number`);
  return v;
}

async function main(): Promise<void> {
  const runs = arg('runs', 10_000);
  const seed = arg('seed', 15);
  const from = arg('from', 0);
  const timeoutMs = arg('timeout', 20_000);
  const temp = setupTempDatabase();
  process.env.EPDI_WEIGHTS_DIR = path.join(temp.dir, 'weights');
  const { createFuzzFixtures } = await import('./fuzz-http/fixtures');
  const { formatFailure, loadRoutes, runHttpFuzz } = await import('./fuzz-http/run');
  type FuzzCase = import('./fuzz-http/run').FuzzCase;
  const { db } = await import('../lib/server/db');
  const started = Date.now();
  try {
    const fixtures = await createFuzzFixtures();
    const routes = await loadRoutes(path.resolve(__dirname, '..'));
    console.log(`fuzz:http: ${routes.length} routes, seed ${seed}, cases ${from}..${from + runs - 1}`);
    // An error no handler caught (an 'error' event nobody listens to) would end a server: name the case and stop.
    let current: { c: FuzzCase; index: number } | undefined;
    process.on('uncaughtException', (err) => {
      if (current)
        console.log(
          formatFailure(
            { index: current.index, kind: 'threw', detail: `process crash: ${err.stack ?? err}`, fuzzCase: current.c },
            seed,
          ),
        );
      console.log('cases: stopped by a process crash');
      process.exit(1);
    });
    const summary = await runHttpFuzz({
      routes,
      fixtures,
      seed,
      runs,
      from,
      timeoutMs,
      onCase: (c, index) => (current = { c, index }),
      onProgress: (done, failures) =>
        console.log(`  ${done} cases, ${failures} failures, ${((Date.now() - started) / 1000).toFixed(0)} s`),
    });
    for (const f of summary.failures.slice(0, 50)) console.log(formatFailure(f, seed));
    const count = (k: string) => summary.failures.filter((f) => f.kind === k).length;
    const statuses = [...summary.statuses]
      .sort((a, b) => a[0] - b[0])
      .map(([s, n]) => `${s}: ${n}`)
      .join(', ');
    console.log(`statuses ${statuses}`);
    console.log(
      `cases ${summary.cases}, 500s ${count('status_500')}, hangs ${count('hang')}, other failures ${
        summary.failures.length - count('status_500') - count('hang')
      } (${((Date.now() - started) / 1000).toFixed(0)} s)`,
    );
    // Background work the cases started (extractions, trainings) finishes before the database goes.
    for (let i = 0; i < 1200 && (await db.job.count({ where: { status: { in: ['queued', 'running'] } } })) > 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    process.exitCode = summary.failures.length ? 1 : 0;
  } finally {
    await db.$disconnect();
    temp.cleanup();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
