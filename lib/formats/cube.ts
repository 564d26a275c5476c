/**
 * Gaussian cube files (GPAW, Quantum ESPRESSO pp.x output_format=6, CP2K V_HARTREE_CUBE), converted once on read to
 * Angstrom and eV (or e/A^3 for densities).
 *
 * Layout:
 *   2 comment lines
 *   NATOMS  ox oy oz            origin (Bohr); NATOMS < 0: a dataset-id line follows the atoms (orbital cubes)
 *   N1  v1x v1y v1z             voxel vector along axis 1; N > 0: Bohr, N < 0: Angstrom (Gaussian spec), |N| points
 *   N2  v2x v2y v2z             axes may be non-orthogonal
 *   N3  v3x v3y v3z
 *   NATOMS lines: Z  charge  x y z   (Bohr, or Angstrom when N1 < 0)
 *   data: N1*N2*N3 values, axis 3 (z) fastest, rows of up to 6 values (written here with 9 significant digits), a line break after every N3 values.
 * Output: `Grid3D` with lattice rows Nk * vk (Angstrom) and data transposed to our x-fastest layout.
 * Frame: atom positions are shifted by -origin, so that grid point (0,0,0) is at the Cartesian origin like every
 * other Grid3D; the file's origin is returned as `originAngstrom`.
 * Units of values: `quantity: 'potential'` (default) multiplies by HARTREE_TO_EV; 'density' divides by Bohr^3
 * (e/Bohr^3 -> e/A^3); 'raw' keeps them.
 */
import type { Mat3, Vec3 } from '../math/mat3';
import { cellVolume } from '../math/mat3';
import type { Grid3D } from '../grid/grid3d';
import type { Structure } from '../structure/structure';
import { ELEMENT_SYMBOLS, atomicNumber } from './elements';
import { FormatError } from './errors';
import { DEFAULT_MAX_POINTS } from './volumetric';
import { GrowableFloat32 } from './grow-buffer';
import { FloatScanner, parseFortranNumber, parseIntToken } from './numbers';
import { joinLineChunks, toText, tokens } from './text';
import { gunzipCapped, isGzip, sniffGzipStream, DEFAULT_MAX_DECOMPRESSED_BYTES } from './gzip';

/** CODATA 2018 Bohr radius in Angstrom. */
export const BOHR_TO_ANGSTROM = 0.529177210903;
/** CODATA 2018 Hartree energy in eV. */
export const HARTREE_TO_EV = 27.211386245988;

export type CubeQuantity = 'potential' | 'density' | 'raw';

export interface CubeOptions {
  fileName?: string;
  quantity?: CubeQuantity;
  maxPoints?: number;
  /** Refuse structures with more atoms than this (default 10^7, a bound against garbage counts). */
  maxAtoms?: number;
  maxDecompressedBytes?: number;
}

export interface CubeData {
  comments: [string, string];
  structure: Structure;
  grid: Grid3D;
  originAngstrom: Vec3;
  /** Units of the grid values after conversion. */
  units: string;
  /** Whether the file declared Angstrom lengths (negative voxel counts). */
  angstromInFile: boolean;
}

function unitsOf(q: CubeQuantity): string {
  return q === 'potential' ? 'eV' : q === 'density' ? 'e/A^3' : 'as written';
}

/** Header fields the data section needs. */
interface CubeHeader {
  comments: [string, string];
  dims: [number, number, number];
  lattice: Mat3;
  origin: Vec3;
  species: string[];
  positions: Vec3[];
  angstrom: boolean;
}

/**
 * Streaming cube reader: `push` decompressed byte chunks, then `finish`. The header is read line by line. When
 * `totalBytes` is known (plain input: the bytes are there), the grid is allocated once and values go one z row at a
 * time straight to their x-fastest place. When it is not (gzip input), the grid grows in file order as rows arrive
 * (./grow-buffer.ts) and is reordered at the end, so a small gzip declaring a huge grid costs nothing until the data
 * proves it exists (peak 2x the grid at the end, for gzip input only). Both bounded by `maxPoints`.
 */
export class CubeParser {
  private readonly fileName?: string;
  private readonly lines: string[] = [];
  private pending = '';
  private header?: CubeHeader;
  private data?: Float32Array;
  /** Rows in file order (z fastest), when the grid grows as data arrives. */
  private grown?: GrowableFloat32;
  private row?: Float32Array;
  private scanner?: FloatScanner;
  private rowsDone = 0;
  private factor = 1;
  private trailingValue = false;

  constructor(private readonly opts: CubeOptions & { totalBytes?: number } = {}) {
    this.fileName = opts.fileName;
  }

  push(chunk: Uint8Array, last = false): void {
    let p = 0;
    if (!this.header) {
      p = this.readHeader(chunk, last);
      if (!this.header) return;
    }
    this.readValues(chunk, p, last);
  }

  finish(): CubeData {
    if (!this.header) {
      if (this.pending) this.lines.push(this.pending.replace(/\r$/, ''));
      this.pending = '';
      this.parseHeaderIfComplete(true);
    }
    if (this.scanner) this.readValues(new Uint8Array(0), 0, true);
    const h = this.header!;
    const n = h.dims[0] * h.dims[1] * h.dims[2];
    if (this.rowsDone < h.dims[0] * h.dims[1]) {
      const count = this.rowsDone * h.dims[2] + (this.scanner?.count ?? 0);
      throw new FormatError('unexpected_eof', `file ends after ${count} of ${n} values`, {
        fileName: this.fileName,
        line: this.scanner?.line,
        expected: `${n} values for the ${h.dims.join('x')} grid`,
      });
    }
    const q = this.opts.quantity ?? 'potential';
    const data = this.data ?? zFastestToXFastest(this.grown!.finish(), h.dims);
    this.grown = undefined;
    return {
      comments: h.comments,
      structure: { comment: h.comments[0].trim(), lattice: h.lattice, species: h.species, positions: h.positions },
      grid: { dims: h.dims, lattice: h.lattice, data },
      originAngstrom: h.origin,
      units: unitsOf(q),
      angstromInFile: h.angstrom,
    };
  }

  /** Collects header lines; returns the offset of the first data byte once the header is complete. */
  private readHeader(chunk: Uint8Array, last: boolean): number {
    let p = 0;
    while (!this.header && p < chunk.length) {
      let e = chunk.indexOf(10, p);
      const end = e < 0 ? chunk.length : e;
      if (this.pending.length + (end - p) > 4096) {
        throw new FormatError('bad_header', 'line too long', { fileName: this.fileName, line: this.lines.length + 1 });
      }
      this.pending += toText(chunk.subarray(p, end));
      if (e < 0) {
        if (!last) return chunk.length;
        e = chunk.length;
      }
      this.lines.push(this.pending.replace(/\r$/, ''));
      this.pending = '';
      p = e + 1;
      this.parseHeaderIfComplete(false);
    }
    return Math.min(p, chunk.length);
  }

  private fail(
    code: 'bad_header' | 'bad_number' | 'bad_value' | 'too_large' | 'unsupported' | 'unexpected_eof',
    message: string,
    line: number,
    expected: string,
    got?: string,
  ): never {
    throw new FormatError(code, message, { fileName: this.fileName, line, expected, got });
  }

  private nums(index: number, n: number, what: string): number[] {
    const line = this.lines[index];
    const t = tokens(line);
    if (t.length < n) this.fail('bad_header', `bad ${what}`, index + 1, what, line);
    return t.slice(0, n).map((x, k) => {
      const v = k === 0 ? parseIntToken(x) : parseFortranNumber(x);
      if (Number.isNaN(v)) this.fail('bad_number', `bad ${what}`, index + 1, what, x);
      return v;
    });
  }

  /** Parses the header once all its lines are in (6 + natoms, +1 with a dataset-id line). */
  private parseHeaderIfComplete(final: boolean): void {
    const l = this.lines;
    const need = (count: number, what: string): boolean => {
      if (l.length >= count) return true;
      if (final) this.fail('unexpected_eof', `file ends before ${what}`, l.length + 1, what);
      return false;
    };
    if (!need(3, 'NATOMS and origin')) return;
    const [natomsRaw] = this.nums(2, 4, 'NATOMS and the origin (4 numbers)');
    const natoms = Math.abs(natomsRaw);
    const maxAtoms = Math.min(this.opts.maxAtoms ?? 10_000_000, 10_000_000);
    if (natoms > maxAtoms) this.fail('too_large', 'too many atoms', 3, `at most ${maxAtoms} atoms`, String(natoms));
    const headerLines = 6 + natoms + (natomsRaw < 0 ? 1 : 0);
    if (!need(headerLines, natoms > 0 ? `atom ${natoms}` : 'voxel axis 3')) return;
    const [, ox, oy, oz] = this.nums(2, 4, 'NATOMS and the origin (4 numbers)');
    const axes = [1, 2, 3].map((k) => this.nums(2 + k, 4, `N${k} and voxel vector ${k} (4 numbers)`));
    const angstrom = axes[0][0] < 0;
    const lenScale = angstrom ? 1 : BOHR_TO_ANGSTROM;
    const dims = axes.map((a) => Math.abs(a[0])) as [number, number, number];
    if (dims.some((d) => d === 0))
      this.fail('bad_value', 'zero voxel count', 4, 'non-zero voxel counts', dims.join(' '));
    // The sign of N only flags units; the cell vector is |N| * v.
    const lattice = [0, 1, 2].map((k) => [0, 1, 2].map((c) => axes[k][c + 1] * dims[k] * lenScale)) as Mat3;
    if (!(cellVolume(lattice) > 0))
      this.fail('bad_value', 'voxel axes are degenerate', 4, 'three independent voxel vectors');
    const origin: Vec3 = [ox * lenScale, oy * lenScale, oz * lenScale];
    const species: string[] = [];
    const positions: Vec3[] = [];
    for (let a = 0; a < natoms; a++) {
      const [z, , x, y, zz] = this.nums(6 + a, 5, `atom ${a + 1}: Z, charge, x, y, z`);
      species.push(ELEMENT_SYMBOLS[z] ?? 'X');
      positions.push([x * lenScale - origin[0], y * lenScale - origin[1], zz * lenScale - origin[2]]);
    }
    if (natomsRaw < 0) {
      const t = tokens(l[6 + natoms]);
      if (t[0] !== '1') {
        this.fail(
          'unsupported',
          'cube files with several datasets per voxel are not supported',
          7 + natoms,
          'one dataset (DSET_IDS count 1)',
          t.join(' '),
        );
      }
    }
    const n = dims[0] * dims[1] * dims[2];
    const maxPoints = this.opts.maxPoints ?? DEFAULT_MAX_POINTS;
    const headerBytes = l.reduce((a, line) => a + line.length + 1, 0);
    const bytesLeft = this.opts.totalBytes === undefined ? Infinity : this.opts.totalBytes - headerBytes;
    if (n > maxPoints || 2 * n - 1 > bytesLeft) {
      this.fail(
        'too_large',
        `grid of ${n} points`,
        headerLines,
        n > maxPoints ? `at most ${maxPoints} points` : `a grid that fits the ${bytesLeft} bytes left`,
        dims.join(' '),
      );
    }
    const q = this.opts.quantity ?? 'potential';
    this.factor = q === 'potential' ? HARTREE_TO_EV : q === 'density' ? 1 / BOHR_TO_ANGSTROM ** 3 : 1;
    this.header = { comments: [l[0], l[1]], dims, lattice, origin, species, positions, angstrom };
    if (this.opts.totalBytes === undefined) this.grown = new GrowableFloat32(n);
    else this.data = new Float32Array(n);
    this.row = new Float32Array(dims[2]);
    this.scanner = new FloatScanner(this.row, headerLines + 1, this.fileName);
  }

  /** Values, one z row (file order: z fastest) at a time, to data[i + n1 * (j + n2 * k)]. */
  private readValues(chunk: Uint8Array, start: number, last: boolean): void {
    const [n1, n2, n3] = this.header!.dims;
    const rows = n1 * n2;
    const scanner = this.scanner!;
    const data = this.data;
    const row = this.row!;
    let p = start;
    while (this.rowsDone < rows) {
      p = scanner.feed(chunk, p, chunk.length, last);
      if (!scanner.full) return;
      if (data) {
        const i = Math.floor(this.rowsDone / n2);
        const j = this.rowsDone % n2;
        const base = i + n1 * j;
        for (let k = 0; k < n3; k++) data[base + n1 * n2 * k] = row[k] * this.factor;
      } else {
        for (let k = 0; k < n3; k++) row[k] *= this.factor;
        this.grown!.append(row);
      }
      this.rowsDone++;
      scanner.count = 0;
    }
    for (let q = p; q < chunk.length; q++) {
      const c = chunk[q];
      if (c !== 32 && c !== 10 && c !== 13 && c !== 9) this.trailingValue = true;
    }
    if (this.trailingValue) {
      throw new FormatError('wrong_count', 'more values than the grid holds', {
        fileName: this.fileName,
        line: scanner.line,
        expected: `exactly ${n1 * n2 * n3} values`,
      });
    }
  }
}

/** Values in the file's order (index k + n3 * (j + n2 * i), z fastest) to ours (i + n1 * (j + n2 * k), x fastest). */
function zFastestToXFastest(src: Float32Array, dims: [number, number, number]): Float32Array {
  const [n1, n2, n3] = dims;
  const out = new Float32Array(src.length);
  let f = 0;
  for (let i = 0; i < n1; i++) {
    for (let j = 0; j < n2; j++) {
      const base = i + n1 * j;
      for (let k = 0; k < n3; k++) out[base + n1 * n2 * k] = src[f++];
    }
  }
  return out;
}

/** Read a cube file from bytes (plain or gzip) or text. */
export function parseCube(input: Uint8Array | string, opts: CubeOptions = {}): CubeData {
  let bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  if (isGzip(bytes))
    bytes = gunzipCapped(bytes, opts.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES, opts.fileName);
  const parser = new CubeParser({ ...opts, totalBytes: bytes.length });
  parser.push(bytes, true);
  return parser.finish();
}

/**
 * Read a cube file from an async byte stream, plain or gzip (detected by its magic bytes and inflated with the
 * `maxDecompressedBytes` cap; the server inflates at its edge and passes plain chunks). `totalBytes` bounds the grid
 * for plain input only.
 */
export async function parseCubeStream(
  source: AsyncIterable<Uint8Array>,
  opts: CubeOptions & { totalBytes?: number } = {},
): Promise<CubeData> {
  const cap = opts.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES;
  const { gzip, chunks } = await sniffGzipStream(source, cap, opts.fileName);
  // The compressed size says nothing about the grid: totalBytes bounds plain input only.
  const parser = new CubeParser(gzip ? { ...opts, totalBytes: undefined } : opts);
  for await (const chunk of chunks) parser.push(chunk);
  return parser.finish();
}

/**
 * Write a cube file in Bohr and Hartree (or e/Bohr^3 for 'density'), origin 0, 6 values per line, a line break after
 * every z row, as string chunks of about `linesPerChunk` lines (a large grid never becomes one string).
 * `structure` positions are Cartesian Angstrom relative to the grid origin.
 */
export function* writeCubeChunks(
  structure: Structure,
  grid: Grid3D,
  opts: { quantity?: CubeQuantity; comment?: string; linesPerChunk?: number } = {},
): Generator<string> {
  const q = opts.quantity ?? 'potential';
  const linesPerChunk = opts.linesPerChunk ?? 20000;
  const factor = q === 'potential' ? 1 / HARTREE_TO_EV : q === 'density' ? BOHR_TO_ANGSTROM ** 3 : 1;
  const b = (x: number): string => (x / BOHR_TO_ANGSTROM).toFixed(6).padStart(12);
  const head: string[] = [];
  head.push((opts.comment ?? structure.comment ?? 'EPDI Lab').replace(/[\r\n]+/g, ' '));
  head.push(`written by EPDI Lab: ${q === 'potential' ? 'Hartree' : q === 'density' ? 'e/Bohr^3' : 'raw'}, Bohr`);
  head.push(`${String(structure.positions.length).padStart(5)}${b(0)}${b(0)}${b(0)}`);
  grid.lattice.forEach((v, k) => {
    const n = grid.dims[k];
    head.push(`${String(n).padStart(5)}${b(v[0] / n)}${b(v[1] / n)}${b(v[2] / n)}`);
  });
  structure.positions.forEach((pos, a) => {
    const z = atomicNumber(structure.species[a]);
    head.push(`${String(z).padStart(5)}${z.toFixed(6).padStart(12)}${b(pos[0])}${b(pos[1])}${b(pos[2])}`);
  });
  yield `${head.join('\n')}\n`;
  yield* joinLineChunks(cubeValueLines(grid, factor), linesPerChunk);
}

/** The values 6 per line, z fastest (the cube order), a line break after every z row. */
function* cubeValueLines(grid: Grid3D, factor: number): Generator<string> {
  const e = (x: number): string => (x < 0 ? '' : ' ') + x.toExponential(8).replace(/e([+-])(\d)$/, 'e$10$2');
  const [n1, n2, n3] = grid.dims;
  const d = grid.data;
  for (let i = 0; i < n1; i++) {
    for (let j = 0; j < n2; j++) {
      let line = '';
      for (let k = 0; k < n3; k++) {
        line += ` ${e(d[i + n1 * (j + n2 * k)] * factor)}`;
        if ((k + 1) % 6 === 0 || k === n3 - 1) {
          yield line;
          line = '';
        }
      }
    }
  }
}

/** Whole cube file as one string (small grids: tests, exports). */
export function writeCube(
  structure: Structure,
  grid: Grid3D,
  opts: { quantity?: CubeQuantity; comment?: string } = {},
): string {
  return [...writeCubeChunks(structure, grid, opts)].join('');
}
