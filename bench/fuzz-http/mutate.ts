/**
 * Seeded generators of hostile HTTP inputs for the route fuzzer (bench/fuzz-http/run.ts): path segments, query values,
 * JSON documents, file contents and names. Everything draws from one `Rng`, so a seed reproduces a case exactly.
 */
import { gzipSync, strToU8, zipSync } from 'fflate';

/** mulberry32: small, fast, good enough to pick cases. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0 || 1;
  }
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
}

/** Strings that broke (or could break) a parser, a decoder, SQLite or a file-system call. */
export const NASTY_STRINGS: readonly string[] = [
  '',
  ' ',
  '%',
  '%25',
  '%c0%ae',
  '%c0%ae%c0%ae',
  '%2e%2e',
  '..',
  '.',
  '../../etc/passwd',
  '/etc/passwd',
  'C:\\Windows\\win.ini',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '😀',
  'ｆｕｌｌ',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '"',
  '\\',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '-1',
  '0',
  '1e309',
  '-0',
  'NaN',
  'Infinity',
  '9'.repeat(400),
  'a'.repeat(5000),
  'model.json',
  'profiles.csv',
  'sites.json',
  'tfjs-backend-wasm.wasm',
  '__proto__',
  'constructor',
];

export const NASTY_NUMBERS: readonly unknown[] = [
  0,
  -1,
  1,
  0.5,
  2 ** 31,
  2 ** 53 + 1,
  1e308,
  -1e308,
  1e-320,
  '12',
  '',
  null,
  true,
  [],
  {},
  'NaN',
  'Infinity',
];

/** One of the nasty strings, a known-valid value, or a mutation of a valid value. */
export function mutateString(rng: Rng, valid: readonly string[]): string {
  const r = rng.next();
  if (r < 0.35 && valid.length) return rng.pick(valid);
  if (r < 0.5 && valid.length) {
    const v = rng.pick(valid);
    switch (rng.int(5)) {
      case 0:
        return v.slice(0, rng.int(v.length + 1));
      case 1:
        return `${v}${rng.pick(NASTY_STRINGS)}`;
      case 2:
        return v.toUpperCase();
      case 3:
        return `${rng.pick(NASTY_STRINGS)}${v}`;
      default:
        return v.replace(/./, rng.pick(['%', '\ud800', '/', '..', ' ']));
    }
  }
  return rng.pick(NASTY_STRINGS);
}

/** A JSON value nested `depth` deep, kept as a marker until `toJsonText` writes it (JSON.stringify would overflow). */
export class DeepJson {
  constructor(
    readonly depth: number,
    readonly array: boolean,
  ) {}
  text(): string {
    return this.array
      ? `${'['.repeat(this.depth)}1${']'.repeat(this.depth)}`
      : `${'{"a":'.repeat(this.depth)}1${'}'.repeat(this.depth)}`;
  }
}

export function deepJson(depth: number, array: boolean): DeepJson {
  return new DeepJson(depth, array);
}

/** JSON text of a value that may hold DeepJson markers. */
export function toJsonText(v: unknown): string {
  if (v instanceof DeepJson) return v.text();
  if (Array.isArray(v)) return `[${v.map(toJsonText).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.entries(v)
      .map(([k, x]) => `${JSON.stringify(k)}:${toJsonText(x)}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** A mutation of `template` (a JSON object): fields dropped, retyped, replaced by nasty values, nested deep. */
export function mutateJson(rng: Rng, template: Record<string, unknown>, validStrings: readonly string[]): unknown {
  const r = rng.next();
  if (r < 0.05) return deepJson(rng.pick([10, 100, 6000]), rng.chance(0.5));
  if (r < 0.1) return rng.pick(NASTY_NUMBERS);
  if (r < 0.15) return mutateString(rng, validStrings);
  const out: Record<string, unknown> = { ...template };
  const keys = Object.keys(out);
  const edits = 1 + rng.int(3);
  for (let e = 0; e < edits; e++) {
    const key = keys.length && rng.chance(0.85) ? rng.pick(keys) : mutateString(rng, ['extra', 'name']);
    switch (rng.int(7)) {
      case 0:
        delete out[key];
        break;
      case 1:
        out[key] = rng.pick(NASTY_NUMBERS);
        break;
      case 2:
        out[key] = mutateString(rng, validStrings);
        break;
      case 3:
        out[key] = deepJson(rng.pick([3, 70, 6000]), rng.chance(0.5));
        break;
      case 4:
        out[key] = Array.from({ length: rng.pick([0, 1, 3, 2000]) }, () => mutateString(rng, validStrings));
        break;
      case 5:
        out[key] = rng.pick([-1e308, 1e308, -0, 1e-300, 123456789, -10.5, -1.9]);
        break;
      default:
        if (out[key] && typeof out[key] === 'object' && !Array.isArray(out[key]) && !(out[key] instanceof DeepJson)) {
          out[key] = mutateJson(rng, out[key] as Record<string, unknown>, validStrings);
        }
    }
  }
  return out;
}

/** A JSON body: usually JSON.stringify of a mutation, sometimes broken text. */
export function jsonBody(rng: Rng, template: Record<string, unknown>, validStrings: readonly string[]): string {
  const r = rng.next();
  if (r < 0.05) return rng.pick(['', '{', '{"a":', 'nul', '\u0000', '[1,2', '{"name":"\\ud800"}', '"\\uZZZZ"']);
  const text = toJsonText(mutateJson(rng, template, validStrings));
  return r < 0.08 ? text.slice(0, rng.int(text.length + 1)) : text;
}

/** Mutated bytes of a file: truncated, corrupted, emptied, gzip-wrapped (possibly truncated), or swapped for junk. */
export function mutateBytes(rng: Rng, bytes: Uint8Array): Uint8Array {
  switch (rng.int(9)) {
    case 0:
      return bytes.slice(0, rng.int(bytes.length + 1));
    case 1: {
      const out = bytes.slice();
      for (let k = 0; k < 1 + rng.int(8); k++) if (out.length) out[rng.int(out.length)] = rng.int(256);
      return out;
    }
    case 2:
      return new Uint8Array(0);
    case 3: {
      const gz = gzipSync(bytes);
      return rng.chance(0.5) ? gz : gz.slice(0, rng.int(gz.length));
    }
    case 4:
      return Uint8Array.from({ length: rng.pick([1, 2, 100, 5000]) }, () => rng.int(256));
    case 5:
      return zipSync({ 'a.txt': strToU8('hello'), '../evil': bytes.slice(0, 100) });
    case 6: {
      // Lines duplicated or a numeric token replaced by a huge or broken one.
      const text = new TextDecoder().decode(bytes);
      const replaced = text.replace(/-?\d+(\.\d+)?([eE][+-]?\d+)?/, rng.pick(['9999999', '1e999', 'NaN', '-', '640']));
      return strToU8(replaced);
    }
    default:
      return bytes;
  }
}

/** A file path for a multipart part: the real one, or a hostile one. */
export function mutatePath(rng: Rng, path: string): string {
  if (rng.chance(0.75)) return path;
  return rng.pick([
    `../${path}`,
    `/abs/${path}`,
    `${path}/../../x`,
    path.replace(/\//g, '\\'),
    `${'d'.repeat(300)}/${path}`,
    `${path}\u0000`,
    `x\ud800/${path}`,
    '',
    '.',
    `${path}.gz`,
    path.toLowerCase(),
  ]);
}
