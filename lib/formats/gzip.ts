/**
 * Isomorphic gzip inflation (fflate) with a cap on the decompressed size, so a gzip bomb stops with a `too_large`
 * FormatError instead of exhausting memory. Input is pushed in 16 KiB slices: one slice can inflate to at most
 * ~16 MiB (deflate's 1032:1 limit), which bounds the overshoot past the cap.
 */
import { Gunzip } from 'fflate';
import { FormatError } from './errors';

/**
 * Default cap on decompressed bytes: 4 GiB (a 512^3 LOCPOT, the default grid bound, is ~2.4 GB of text; a bomb stops
 * here). The server lowers it per file by the compression ratio (lib/server/limits.ts).
 */
export const DEFAULT_MAX_DECOMPRESSED_BYTES = 4 * 1024 ** 3;
const SLICE = 16 * 1024;

/** gzip magic 1f 8b. */
export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/**
 * Streaming gunzip with a cap. `push` calls `ondata` synchronously with inflated chunks (possibly several per push).
 * Multi-member gzip streams are read as one.
 */
export class CappedGunzip {
  /** Decompressed bytes produced so far. */
  produced = 0;
  private readonly inflater: Gunzip;
  private sink: (chunk: Uint8Array) => void;

  constructor(
    readonly maxBytes: number,
    ondata: (chunk: Uint8Array) => void,
    readonly fileName?: string,
  ) {
    this.sink = ondata;
    this.inflater = new Gunzip((chunk) => {
      this.produced += chunk.length;
      if (this.produced > this.maxBytes) {
        throw new FormatError('too_large', `decompressed data exceeds ${this.maxBytes} bytes`, {
          fileName: this.fileName,
          expected: `at most ${this.maxBytes} decompressed bytes (raise maxDecompressedBytes if this file is genuine)`,
        });
      }
      if (chunk.length > 0) this.sink(chunk);
    });
  }

  push(chunk: Uint8Array, final = false): void {
    try {
      if (chunk.length === 0) {
        this.inflater.push(chunk, final);
        return;
      }
      for (let p = 0; p < chunk.length; p += SLICE) {
        const end = Math.min(chunk.length, p + SLICE);
        this.inflater.push(chunk.subarray(p, end), final && end === chunk.length);
      }
    } catch (e) {
      if (e instanceof FormatError) throw e;
      const msg = e instanceof Error ? e.message : String(e);
      const eof = /unexpected EOF|end/i.test(msg);
      throw new FormatError(eof ? 'unexpected_eof' : 'bad_header', `corrupt gzip data: ${msg}`, {
        fileName: this.fileName,
        expected: eof ? 'the rest of the gzip stream' : 'valid gzip (deflate) data',
      });
    }
  }
}

/** Inflate a whole gzip buffer with a cap. */
export function gunzipCapped(bytes: Uint8Array, maxBytes = DEFAULT_MAX_DECOMPRESSED_BYTES, fileName?: string): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  const g = new CappedGunzip(
    maxBytes,
    (c) => {
      parts.push(c);
      total += c.length;
    },
    fileName,
  );
  g.push(bytes, true);
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Async-iterate inflated chunks of a gzip byte stream, with the cap. */
export async function* gunzipChunks(
  source: AsyncIterable<Uint8Array>,
  maxBytes = DEFAULT_MAX_DECOMPRESSED_BYTES,
  fileName?: string,
): AsyncGenerator<Uint8Array> {
  let out: Uint8Array[] = [];
  const g = new CappedGunzip(maxBytes, (c) => out.push(c), fileName);
  for await (const chunk of source) {
    g.push(chunk, false);
    if (out.length) {
      const ready = out;
      out = [];
      yield* ready;
    }
  }
  g.push(new Uint8Array(0), true);
  yield* out;
}

/**
 * Look at the first two bytes of a byte stream: when they are the gzip magic 1f 8b, `chunks` yields the inflated data
 * (with the cap), else the bytes as they come. A streaming reader built on it accepts `.gz` input whatever the file's
 * name. Empty chunks are dropped.
 */
export async function sniffGzipStream(
  source: AsyncIterable<Uint8Array>,
  maxBytes = DEFAULT_MAX_DECOMPRESSED_BYTES,
  fileName?: string,
): Promise<{ gzip: boolean; chunks: AsyncIterable<Uint8Array> }> {
  const it = source[Symbol.asyncIterator]();
  // Gather at least two bytes to decide (the first chunk of a stream can be a single byte).
  let head = new Uint8Array(0);
  let done = false;
  while (head.length < 2) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    const merged = new Uint8Array(head.length + r.value.length);
    merged.set(head);
    merged.set(r.value, head.length);
    head = merged;
  }
  async function* rest(): AsyncGenerator<Uint8Array> {
    if (head.length) yield head;
    if (done) return;
    for (let r = await it.next(); !r.done; r = await it.next()) if (r.value.length) yield r.value;
  }
  const gzip = isGzip(head);
  return { gzip, chunks: gzip ? gunzipChunks(rest(), maxBytes, fileName) : rest() };
}
