/**
 * Mutation fuzzing of the readers (shared by the short run in the test suite and `npm run fuzz`). Every mutated input
 * must either parse into a self-consistent value or throw a FormatError with a code; anything else (TypeError,
 * RangeError, a hang, a grid whose length disagrees with its dims) is a failure.
 */
import { FormatError, parseCube, parseLabelsCsv, parseOutcar, parsePoscar, parseVolumetric, parseVasprun } from '../../../lib/formats';

export type Reader = (bytes: Uint8Array) => unknown;

export const READERS: Record<string, Reader> = {
  volumetric: (b) => {
    const v = parseVolumetric(b, { maxPoints: 1 << 20, maxDecompressedBytes: 1 << 22 });
    const n = v.dims[0] * v.dims[1] * v.dims[2];
    if (v.grid.data.length !== n) throw new Error(`grid length ${v.grid.data.length} != ${n}`);
    for (const g of v.extraGrids) if (g.data.length !== n) throw new Error('extra grid length');
    for (let i = 0; i < n; i++) if (!Number.isFinite(v.grid.data[i])) throw new Error('non-finite value accepted');
    return v;
  },
  poscar: (b) => parsePoscar(b),
  cube: (b) => parseCube(b, { maxPoints: 1 << 20, maxDecompressedBytes: 1 << 22 }),
  outcar: (b) => parseOutcar(b),
  vasprun: (b) => parseVasprun(b),
  labels: (b) => parseLabelsCsv(b),
};

/** Small deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOKENS = ['\n', '\r\n', '\t', ' ', '-', '+', 'E', 'e', 'D', '.', '*****', 'NaN', 'Inf', '0', '9', '-100', '1e400', '99999999999', '\x00', '"', ',', 'augmentation occupancies 1 2\n'];

/** One random mutation: flip/insert/delete bytes, splice a token, duplicate or cut a range, truncate. */
export function mutate(src: Uint8Array, r: () => number): Uint8Array {
  const n = src.length;
  const at = Math.floor(r() * (n + 1));
  const kind = Math.floor(r() * 7);
  const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
  const cat = (...parts: Uint8Array[]): Uint8Array => {
    const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  };
  switch (kind) {
    case 0: {
      const out = src.slice();
      for (let k = 0; k < 1 + r() * 4; k++) out[Math.floor(r() * n)] = Math.floor(r() * 256);
      return out;
    }
    case 1:
      return src.subarray(0, at);
    case 2: {
      const len = Math.floor(r() * 40);
      return cat(src.subarray(0, at), src.subarray(Math.min(n, at + len)));
    }
    case 3:
      return cat(src.subarray(0, at), enc(TOKENS[Math.floor(r() * TOKENS.length)]), src.subarray(at));
    case 4: {
      const len = Math.floor(r() * 200);
      return cat(src.subarray(0, at), src.subarray(at, at + len), src.subarray(at));
    }
    case 5: {
      // replace a digit run with a big number (header counts/dims)
      const out = src.slice();
      const s = Math.floor(r() * n);
      for (let p = s; p < Math.min(n, s + 200); p++) {
        if (out[p] >= 48 && out[p] <= 57) return cat(out.subarray(0, p), enc(String(Math.floor(r() * 1e10))), out.subarray(p + 1));
      }
      return out;
    }
    default: {
      const out = src.slice();
      const s = Math.floor(r() * n);
      const len = Math.floor(r() * 64);
      for (let p = s; p < Math.min(n, s + len); p++) out[p] = Math.floor(r() * 256);
      return out;
    }
  }
}

export interface FuzzReport {
  runs: number;
  ok: number;
  formatErrors: Record<string, number>;
  failures: { reader: string; error: string; input: string }[];
  ms: number;
}

/** Fuzz `reader` on mutations of `seeds` for `runs` inputs or `budgetMs`, whichever comes first. */
export function fuzz(reader: string, seeds: Uint8Array[], runs: number, budgetMs: number, seed = 1): FuzzReport {
  const r = rng(seed);
  const fn = READERS[reader];
  const t0 = performance.now();
  const rep: FuzzReport = { runs: 0, ok: 0, formatErrors: {}, failures: [], ms: 0 };
  for (let i = 0; i < runs; i++) {
    if ((i & 63) === 0 && performance.now() - t0 > budgetMs) break;
    let input = seeds[Math.floor(r() * seeds.length)];
    const depth = 1 + Math.floor(r() * 3);
    for (let d = 0; d < depth; d++) input = mutate(input, r);
    rep.runs++;
    try {
      fn(input);
      rep.ok++;
    } catch (e) {
      if (e instanceof FormatError && typeof e.code === 'string') rep.formatErrors[e.code] = (rep.formatErrors[e.code] ?? 0) + 1;
      else if (rep.failures.length < 5) {
        rep.failures.push({ reader, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e), input: new TextDecoder().decode(input.subarray(0, 300)) });
      }
    }
  }
  rep.ms = performance.now() - t0;
  return rep;
}
