/**
 * HTTP-level fuzzer over every route handler in app/api (issue 15): seeded cases of mutated path parameters, query
 * strings, JSON bodies, multipart bodies and zips, each handler called in-process against the fixtures' temporary
 * SQLite database. The rule: no 500, no hang (per-case timeout), every 4xx a JSON body with a reason, no absolute
 * path in any answer. Case `i` of seed `s` is rebuilt from those two numbers alone (`describeCase`, ./cases.ts), so
 * a failure printed here replays with `npm run fuzz:http -- --seed s --from i --runs 1`.
 */
import os from 'node:os';
import { describeCase, type FuzzCase } from './cases';
import type { FuzzFixtures } from './fixtures';
import type { RouteEntry } from './routes';

// Routes (./routes.ts) and cases (./cases.ts) are re-exported for bench/fuzz-http.ts and the tests.
export { describeCase, type FuzzCase } from './cases';
export { loadRoutes, type RouteEntry } from './routes';

export interface FuzzFailure {
  index: number;
  kind: 'status_500' | 'hang' | 'threw' | 'no_json_reason' | 'absolute_path' | 'body_error';
  detail: string;
  fuzzCase: FuzzCase;
}

function hostPaths(): string[] {
  return [process.cwd(), os.tmpdir(), os.homedir()].filter((p) => p.length > 4 && p !== '/');
}

/** Run one case; resolves with its status and a failure, or null when the answer kept the rules. */
export async function runCase(
  routes: RouteEntry[],
  c: FuzzCase,
  index: number,
  timeoutMs: number,
): Promise<{ status: number; failure: FuzzFailure | null }> {
  const handler = routes.find((r) => r.pattern === c.route)!.methods[c.method];
  const req = new Request(c.url, {
    method: c.method,
    headers: c.headers,
    body: c.body ? new Uint8Array(c.body) : undefined,
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'hang'>((resolve) => {
    timer = setTimeout(() => resolve('hang'), timeoutMs);
  });
  try {
    const work = (async () => {
      const res = await handler(req, { params: Promise.resolve(c.params) });
      const buf = new Uint8Array(await res.arrayBuffer());
      return { res, buf };
    })();
    const out = await Promise.race([work, timeout]);
    if (out === 'hang')
      return { status: 0, failure: { index, kind: 'hang', detail: `no answer within ${timeoutMs} ms`, fuzzCase: c } };
    const { res, buf } = out;
    const text = buf.length < 4 << 20 ? new TextDecoder().decode(buf) : '';
    const fail = (kind: FuzzFailure['kind'], detail: string) => ({
      status: res.status,
      failure: { index, kind, detail, fuzzCase: c },
    });
    if (res.status >= 500) return fail('status_500', `${res.status} ${text.slice(0, 500)}`);
    if (res.status >= 400) {
      let reason: unknown;
      try {
        reason = (JSON.parse(text) as { error?: { message?: unknown } }).error?.message;
      } catch {
        reason = undefined;
      }
      if (typeof reason !== 'string' || reason === '') {
        return fail('no_json_reason', `${res.status} ${text.slice(0, 300)}`);
      }
      const leak = hostPaths().find((p) => text.includes(p));
      if (leak) return fail('absolute_path', `${res.status} ${text.slice(0, 300)}`);
    }
    return { status: res.status, failure: null };
  } catch (err) {
    const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
    return { status: 0, failure: { index, kind: 'threw', detail, fuzzCase: c } };
  } finally {
    clearTimeout(timer);
  }
}

/** A failure as lines for people, with the command that replays it. */
export function formatFailure(f: FuzzFailure, seed: number): string {
  const c = f.fuzzCase;
  return [
    `case ${f.index} (seed ${seed}): ${f.kind}: ${f.detail.split('\n').slice(0, 8).join('\n  ')}`,
    `  ${c.method} ${c.url}`,
    `  route ${c.route} params ${JSON.stringify(c.params).slice(0, 300)}`,
    `  headers ${JSON.stringify(c.headers)} body ${c.bodyNote}`,
    `  replay: npm run fuzz:http -- --seed ${seed} --from ${f.index} --runs 1`,
  ].join('\n');
}

export interface FuzzSummary {
  cases: number;
  failures: FuzzFailure[];
  statuses: Map<number, number>;
}

/** Run cases [from, from + runs) of `seed` one after another. */
export async function runHttpFuzz(opts: {
  routes: RouteEntry[];
  fixtures: FuzzFixtures;
  seed: number;
  runs: number;
  from?: number;
  timeoutMs?: number;
  onProgress?: (done: number, failures: number) => void;
  /** Called before each case runs (a crash of the process can then name the case). */
  onCase?: (c: FuzzCase, index: number) => void;
}): Promise<FuzzSummary> {
  const failures: FuzzFailure[] = [];
  const statuses = new Map<number, number>();
  const from = opts.from ?? 0;
  for (let i = from; i < from + opts.runs; i++) {
    const c = describeCase(opts.routes, opts.fixtures, opts.seed, i);
    opts.onCase?.(c, i);
    const { status, failure } = await runCase(opts.routes, c, i, opts.timeoutMs ?? 20_000);
    if (failure) failures.push(failure);
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    if (opts.onProgress && (i - from + 1) % 500 === 0) opts.onProgress(i - from + 1, failures.length);
  }
  return { cases: opts.runs, failures, statuses };
}
