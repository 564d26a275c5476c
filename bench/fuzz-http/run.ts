/**
 * HTTP-level fuzzer over every route handler in app/api (issue 15): seeded cases of mutated path parameters, query
 * strings, JSON bodies, multipart bodies and zips, each handler called in-process against the fixtures' temporary
 * SQLite database. The rule: no 500, no hang (per-case timeout), every 4xx a JSON body with a reason, no absolute
 * path in any answer. Case `i` of seed `s` is rebuilt from those two numbers alone (`describeCase`), so a failure
 * printed here replays with `npm run fuzz:http -- --seed s --from i --runs 1`.
 */
import { readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync, strToU8, zipSync } from 'fflate';
import type { FuzzFixtures } from './fixtures';
import { deepJson, jsonBody, mutateBytes, mutatePath, mutateString, NASTY_STRINGS, Rng } from './mutate';

type Handler = (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

export interface RouteEntry {
  /** e.g. /api/datasets/[id]/uploads */
  pattern: string;
  segments: string[];
  methods: Record<string, Handler>;
}

const METHODS = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'] as const;

/** Every app/api route.ts under `root` with its exported verbs. */
export async function loadRoutes(root: string): Promise<RouteEntry[]> {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name === 'route.ts') files.push(full);
    }
  };
  walk(path.join(root, 'app', 'api'));
  files.sort();
  const out: RouteEntry[] = [];
  for (const file of files) {
    const mod = (await import(file)) as Record<string, unknown>;
    const rel = path.relative(path.join(root, 'app'), path.dirname(file)).split(path.sep);
    const methods: Record<string, Handler> = {};
    for (const m of METHODS) if (typeof mod[m] === 'function') methods[m] = mod[m] as Handler;
    out.push({ pattern: `/${rel.join('/')}`, segments: rel, methods });
  }
  return out;
}

export interface FuzzCase {
  route: string;
  method: string;
  params: Record<string, string | string[]>;
  url: string;
  headers: Record<string, string>;
  body?: Uint8Array;
  /** Short description of the body for people. */
  bodyNote: string;
}

const QUERY_KEYS = [
  'pixels',
  'heightA',
  'format',
  'max',
  'surfaces',
  'model',
  'samples',
  'job',
  'colormap',
  'kind',
  'limit',
  'ids',
];
const QUERY_VALUES = [
  '8',
  '128',
  '512',
  '513',
  '100000',
  '-1',
  '0',
  '1.5',
  '1e9',
  'json',
  'binary',
  'none',
  'viridis',
  'grey',
  '',
];

/** Valid values for a dynamic segment, by the collection before it. */
function validFor(segments: string[], k: number, fx: FuzzFixtures): string[] {
  const before = segments[k - 1];
  const name = segments[k];
  if (name === '[file]' && before === 'export')
    return ['profiles.csv', 'barriers.csv', 'sites.csv', 'profiles.json', 'sites.json'];
  if (name === '[file]') return ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm'];
  if (before === 'datasets') return fx.datasetIds;
  if (before === 'surfaces') return fx.surfaceIds;
  if (before === 'sites') return fx.siteIds;
  if (before === 'models') return fx.modelIds;
  if (before === 'jobs') return fx.jobIds;
  return [];
}

function multipartBody(parts: { name: string; filename?: string; data: Uint8Array }[]): {
  body: Uint8Array;
  type: string;
} {
  const boundary = `----fuzz${parts.length}x${parts.reduce((n, p) => n + p.data.length, 0)}`;
  const chunks: Uint8Array[] = [];
  for (const p of parts) {
    let fname = '';
    if (p.filename !== undefined) {
      let enc: string;
      try {
        enc = encodeURIComponent(p.filename);
      } catch {
        enc = p.filename; // a lone surrogate cannot be %-encoded: sent raw
      }
      fname = `; filename="${enc}"`;
    }
    chunks.push(strToU8(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"${fname}\r\n\r\n`));
    chunks.push(p.data, strToU8('\r\n'));
  }
  chunks.push(strToU8(`--${boundary}--\r\n`));
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const body = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    body.set(c, o);
    o += c.length;
  }
  return { body, type: `multipart/form-data; boundary=${boundary}` };
}

function surfaceParts(rng: Rng, fx: FuzzFixtures): { name: string; filename?: string; data: Uint8Array }[] {
  const tag = `Fz${rng.int(1e6)}`;
  const parts: { name: string; filename?: string; data: Uint8Array }[] = fx.surfaceFiles
    .filter(() => rng.chance(0.85))
    .map(([p, data]) => ({
      name: 'file',
      filename: mutatePath(rng, p.replace(/^Fz/, tag)),
      data: rng.chance(0.3) ? mutateBytes(rng, data) : data,
    }));
  if (rng.chance(0.2)) parts.push({ name: 'surface', data: strToU8(mutateString(rng, ['MoS2', tag])) });
  if (rng.chance(0.1)) {
    parts.push({
      name: 'file',
      filename: `${tag}/meta.json`,
      data: strToU8(deepJson(rng.pick([10, 6000]), rng.chance(0.5)).text()),
    });
  }
  return parts;
}

/** A zip like a model export, mutated: entries renamed (zip-slip), junk, a high-ratio entry, broken bytes. */
function modelZipBody(rng: Rng, fx: FuzzFixtures): Uint8Array {
  switch (rng.int(6)) {
    case 0:
      return fx.modelZip;
    case 1:
      return mutateBytes(rng, fx.modelZip);
    case 2:
      return zipSync({ '../../evil.json': strToU8('{}'), '/abs/model.json': strToU8('{}') });
    case 3:
      return zipSync({ 'model.json': new Uint8Array(rng.pick([10, 1 << 20, 32 << 20])) });
    case 4:
      return zipSync(
        Object.fromEntries(Array.from({ length: rng.pick([0, 5, 3000]) }, (_, i) => [`e${i}`, strToU8('x')])),
      );
    default:
      return gzipSync(fx.modelZip);
  }
}

function jsonTemplate(pattern: string, fx: FuzzFixtures): Record<string, unknown> {
  if (pattern === '/api/datasets')
    return {
      name: 'fuzz-new',
      description: '',
      settings: { pixels: 16, heightA: 1.5 },
      muLiReference: 'bcc',
      muLiEv: -1.9,
    };
  if (pattern === '/api/datasets/[id]') return { muLiReference: 'custom', muLiEv: -1.9, note: 'fuzz' };
  if (pattern.endsWith('/train-server'))
    return { spec: { type: 'mean' }, name: 'fz', seed: 1, protocol: { kind: 'none' } };
  if (pattern.endsWith('/predictions')) return { siteId: fx.siteIds[0] ?? 'x', valueEv: -1.5, sigmaEv: 0.1 };
  return { name: 'fuzz', value: 1 };
}

/** Build case `index` of `seed` (deterministic). */
export function describeCase(routes: RouteEntry[], fx: FuzzFixtures, seed: number, index: number): FuzzCase {
  const rng = new Rng((Math.imul(seed, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0);
  const route = rng.pick(routes);
  const method = rng.pick(Object.keys(route.methods));
  const params: Record<string, string | string[]> = {};
  const pathParts: string[] = [];
  for (let k = 0; k < route.segments.length; k++) {
    const seg = route.segments[k];
    const m = /^\[(\.\.\.)?(\w+)\]$/.exec(seg);
    if (!m) {
      pathParts.push(seg);
      continue;
    }
    // Deleting the fixtures would starve later cases: DELETE gets unknown ids only.
    const valid = method === 'DELETE' ? [] : validFor(route.segments, k, fx);
    if (m[1]) {
      const segs = Array.from({ length: 1 + rng.int(3) }, () =>
        mutateString(rng, ['model.json', 'registry.json', 'densenet121']),
      );
      // Next.js hands handlers %-decoded segments, which are always well-formed UTF-16 (an escaped lone surrogate
      // fails to decode and never reaches a handler: proxy.ts answers 400).
      params[m[2]] = segs.map((s) => s.toWellFormed());
      pathParts.push(segs.map((s) => encodeURIComponent(s.toWellFormed())).join('/'));
    } else {
      const v = mutateString(rng, valid).toWellFormed();
      params[m[2]] = v;
      pathParts.push(encodeURIComponent(v));
    }
  }
  const query = new URLSearchParams();
  for (let q = rng.int(4); q > 0; q--) {
    const key = rng.chance(0.9) ? rng.pick(QUERY_KEYS) : rng.pick(NASTY_STRINGS);
    const value = rng.chance(0.6)
      ? rng.pick(QUERY_VALUES)
      : mutateString(rng, [...fx.surfaceIds, ...fx.modelIds, crypto.randomUUID()]);
    query.append(key.isWellFormed() ? key : 'k', value.isWellFormed() ? value : '%');
  }
  const qs = query.toString();
  const url = `http://127.0.0.1/${pathParts.join('/')}${qs ? `?${qs}` : ''}`;
  const headers: Record<string, string> = {};
  let body: Uint8Array | undefined;
  let bodyNote = 'none';
  if (method === 'POST' || method === 'PATCH' || method === 'PUT') {
    const multipartRoute =
      /\/(uploads|labels)$/.test(route.pattern) || /\/models$/.test(route.pattern) || /\/import$/.test(route.pattern);
    const kind = multipartRoute
      ? rng.chance(0.85)
        ? 'multipart'
        : rng.pick(['json', 'raw'])
      : rng.chance(0.85)
        ? 'json'
        : rng.pick(['multipart', 'raw']);
    if (kind === 'json') {
      const text = route.pattern.endsWith('/predictions')
        ? `[${Array.from({ length: rng.int(3) }, () => jsonBody(rng, jsonTemplate(route.pattern, fx), fx.siteIds)).join(',')}]`
        : jsonBody(rng, jsonTemplate(route.pattern, fx), [...fx.siteIds, 'MoS2']);
      body = strToU8(text);
      if (rng.chance(0.8)) headers['content-type'] = 'application/json';
      bodyNote = `json ${text.length > 300 ? `${text.slice(0, 300)}... (${text.length} chars)` : text}`;
    } else if (kind === 'multipart') {
      let parts: { name: string; filename?: string; data: Uint8Array }[];
      if (/\/(models|import)$/.test(route.pattern)) {
        parts = [{ name: rng.pick(['model', 'file', 'zip']), filename: 'model.zip', data: modelZipBody(rng, fx) }];
        if (rng.chance(0.8)) {
          const meta = jsonBody(rng, { name: 'fz-model', trainIds: fx.siteIds.slice(0, 2) }, fx.siteIds);
          parts.push({ name: 'meta', data: strToU8(meta) });
        }
      } else parts = surfaceParts(rng, fx);
      const mp = multipartBody(parts);
      body = rng.chance(0.05) ? mp.body.slice(0, rng.int(mp.body.length)) : mp.body;
      headers['content-type'] = rng.chance(0.95)
        ? mp.type
        : rng.pick(['multipart/form-data', 'text/plain', 'multipart/form-data; boundary=']);
      bodyNote = `multipart ${parts.map((p) => `${p.name}${p.filename !== undefined ? `=${JSON.stringify(p.filename).slice(0, 80)}` : ''}(${p.data.length} B)`).join(', ')}`;
    } else {
      body =
        /\/import$/.test(route.pattern) && rng.chance(0.5)
          ? modelZipBody(rng, fx)
          : mutateBytes(rng, strToU8('{"a":1}'));
      if (rng.chance(0.5))
        headers['content-type'] = rng.pick(['application/zip', 'application/octet-stream', 'application/json']);
      bodyNote = `raw ${body.length} B`;
    }
  }
  return { route: route.pattern, method, params, url, headers, body, bodyNote };
}

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
