/**
 * Cases of the HTTP fuzzer (./run.ts): case `i` of seed `s` is built from those two numbers alone (`describeCase`):
 * mutated path parameters, query strings, JSON bodies, multipart bodies and zips (./mutate.ts) over the fixtures.
 */
import { gzipSync, strToU8, zipSync } from 'fflate';
import type { FuzzFixtures } from './fixtures';
import { deepJson, jsonBody, mutateBytes, mutatePath, mutateString, NASTY_STRINGS, Rng } from './mutate';
import type { RouteEntry } from './routes';

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
