/**
 * VASP volumetric files: LOCPOT, CHGCAR, CHG, AECCAR0/1/2, PARCHG, ELFCAR.
 *
 * Layout: a POSCAR header (VASP 4 or 5), a blank line, `NGX NGY NGZ`, then NGX*NGY*NGZ values in Fortran order
 * (x fastest; index = i + NGX*(j + NGY*k)), any count per line (VASP writes 5 for CHGCAR, 10 for some PARCHGs).
 * CHGCAR adds `augmentation occupancies` blocks after a grid; spin-polarised files repeat `NGX NGY NGZ` and a second
 * grid (magnetisation), non-collinear ones three (mx, my, mz). Everything between grids is skipped.
 *
 * Units (as VASP writes them, never rescaled here):
 *   LOCPOT: eV (ionic + Hartree (+ xc) potential). CHGCAR/CHG/AECCAR/PARCHG: rho * V_cell (electrons; divide by the cell
 *   volume in Angstrom^3 for e/A^3, see `chargeDensityPerA3`). ELFCAR: dimensionless.
 *
 * Reading is streaming: `VolumetricParser.push(chunk)` (./volumetric-parser.ts) takes byte chunks of any size. The
 * grid header is checked against `maxPoints` and against the bytes that can still arrive (each value needs at least 2
 * bytes); the grid then grows as values arrive (./grow-buffer.ts), so a small gzip whose header declares a huge grid
 * costs nothing until the data proves the grid exists. Peak memory: the grid(s) plus one chunk and one 4 MiB block.
 */
import { cellVolume } from '../math/mat3';
import type { Grid3D } from '../grid/grid3d';
import { CappedGunzip, DEFAULT_MAX_DECOMPRESSED_BYTES, isGzip } from './gzip';
import type { VolumetricData, VolumetricOptions } from './volumetric-data';
import { VolumetricParser } from './volumetric-parser';

// Kinds, options and data (./volumetric-data.ts), the streaming parser (./volumetric-parser.ts) and the writer
// (./volumetric-write.ts) are re-exported: this module is the entry point for volumetric files.
export * from './volumetric-data';
export * from './volumetric-parser';
export * from './volumetric-write';

export interface VolumetricReadOptions extends VolumetricOptions {
  /** Cap on decompressed bytes for gzip input (default 16 GiB). */
  maxDecompressedBytes?: number;
}

const SLICE = 4 << 20;

/** Read a whole volumetric file from bytes (plain or gzip) or text. */
export function parseVolumetric(input: Uint8Array | string, opts: VolumetricReadOptions = {}): VolumetricData {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  if (isGzip(bytes)) {
    const cap = opts.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES;
    const { onProgress, ...rest } = opts;
    const parser = new VolumetricParser({ ...rest, totalBytes: undefined, maxBytes: cap });
    const g = new CappedGunzip(cap, (c) => parser.push(c), opts.fileName);
    for (let p = 0; p < bytes.length; p += SLICE) {
      const e = Math.min(bytes.length, p + SLICE);
      g.push(bytes.subarray(p, e), e === bytes.length);
      onProgress?.(e, bytes.length);
    }
    if (bytes.length === 0) g.push(bytes, true);
    return parser.finish();
  }
  const parser = new VolumetricParser({ ...opts, totalBytes: bytes.length });
  for (let p = 0; p < bytes.length; p += SLICE) parser.push(bytes.subarray(p, Math.min(bytes.length, p + SLICE)));
  return parser.finish();
}

/**
 * Read a volumetric file from an async byte stream (a Node ReadStream, a web ReadableStream, ...). Gzip input is
 * detected by its magic bytes and inflated with the `maxDecompressedBytes` cap. `totalBytes` is the size of the
 * source (compressed or not): progress reports source bytes; for plain input it also bounds the grid.
 */
export async function parseVolumetricStream(
  source: AsyncIterable<Uint8Array>,
  opts: VolumetricReadOptions = {},
): Promise<VolumetricData> {
  const { onProgress, ...rest } = opts;
  let parser: VolumetricParser | undefined;
  let gunzip: CappedGunzip | undefined;
  let head = new Uint8Array(0);
  let seen = 0;
  let lastReport = 0;
  const feed = (chunk: Uint8Array): void => {
    if (gunzip) gunzip.push(chunk, false);
    else parser!.push(chunk);
  };
  for await (const raw of source) {
    const chunk = raw instanceof Uint8Array ? raw : new Uint8Array(raw as ArrayBufferLike);
    seen += chunk.length;
    if (!parser) {
      const merged = new Uint8Array(head.length + chunk.length);
      merged.set(head);
      merged.set(chunk, head.length);
      if (merged.length < 2) {
        head = merged;
        continue;
      }
      if (isGzip(merged)) {
        const cap = opts.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES;
        parser = new VolumetricParser({ ...rest, totalBytes: undefined, maxBytes: cap });
        const p = parser;
        gunzip = new CappedGunzip(cap, (c) => p.push(c), opts.fileName);
      } else {
        parser = new VolumetricParser(rest);
      }
      feed(merged);
    } else feed(chunk);
    if (onProgress && seen - lastReport >= (opts.totalBytes ? Math.max(opts.totalBytes / 100, 1 << 16) : 4 << 20)) {
      lastReport = seen;
      onProgress(seen, opts.totalBytes);
    }
  }
  if (!parser) {
    parser = new VolumetricParser(rest);
    parser.push(head);
  }
  if (gunzip) gunzip.push(new Uint8Array(0), true);
  const out = parser.finish();
  onProgress?.(seen, opts.totalBytes);
  return out;
}

/**
 * Charge density in e/A^3 from a CHGCAR-like grid (rho*V_cell): divides every value by the cell volume.
 * Returns a new grid; the input is left as is.
 */
export function chargeDensityPerA3(grid: Grid3D): Grid3D {
  const v = cellVolume(grid.lattice);
  if (!(v > 0)) throw new RangeError('cell volume must be positive');
  const data = new Float32Array(grid.data.length);
  for (let i = 0; i < data.length; i++) data[i] = grid.data[i] / v;
  return { dims: [...grid.dims] as [number, number, number], lattice: grid.lattice, data };
}
