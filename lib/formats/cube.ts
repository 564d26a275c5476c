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
import { FloatScanner, parseFortranNumber, parseIntToken } from './numbers';
import { toText, tokens } from './text';
import { gunzipCapped, isGzip, DEFAULT_MAX_DECOMPRESSED_BYTES } from './gzip';

/** CODATA 2018 Bohr radius in Angstrom. */
export const BOHR_TO_ANGSTROM = 0.529177210903;
/** CODATA 2018 Hartree energy in eV. */
export const HARTREE_TO_EV = 27.211386245988;

export type CubeQuantity = 'potential' | 'density' | 'raw';

export interface CubeOptions {
  fileName?: string;
  quantity?: CubeQuantity;
  maxPoints?: number;
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

/** Read a cube file from bytes (plain or gzip) or text. */
export function parseCube(input: Uint8Array | string, opts: CubeOptions = {}): CubeData {
  const f = opts.fileName;
  let bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  if (isGzip(bytes)) bytes = gunzipCapped(bytes, opts.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES, f);
  // Header: read lines until the atoms (and the dataset-id line) are done.
  let p = 0;
  let lineNo = 0;
  const nextLine = (what: string): string => {
    if (p >= bytes.length) {
      throw new FormatError('unexpected_eof', `file ends before ${what}`, { fileName: f, line: lineNo + 1, expected: what });
    }
    let e = bytes.indexOf(10, p);
    if (e < 0) e = bytes.length;
    if (e - p > 4096) {
      throw new FormatError('bad_header', 'line too long', { fileName: f, line: lineNo + 1, expected: what });
    }
    const s = toText(bytes.subarray(p, e)).replace(/\r$/, '');
    p = e + 1;
    lineNo++;
    return s;
  };
  const nums = (line: string, n: number, what: string, intFirst: boolean): number[] => {
    const t = tokens(line);
    if (t.length < n) {
      throw new FormatError('bad_header', `bad ${what}`, { fileName: f, line: lineNo, expected: what, got: line });
    }
    return t.slice(0, n).map((x, k) => {
      const v = k === 0 && intFirst ? parseIntToken(x) : parseFortranNumber(x);
      if (Number.isNaN(v)) throw new FormatError('bad_number', `bad ${what}`, { fileName: f, line: lineNo, expected: what, got: x });
      return v;
    });
  };
  const comments: [string, string] = [nextLine('comment line 1'), nextLine('comment line 2')];
  const [natomsRaw, ox, oy, oz] = nums(nextLine('NATOMS and origin'), 4, 'NATOMS and the origin (4 numbers)', true);
  const axes = [1, 2, 3].map((k) => nums(nextLine(`voxel axis ${k}`), 4, `N${k} and voxel vector ${k} (4 numbers)`, true));
  const angstrom = axes[0][0] < 0;
  const lenScale = angstrom ? 1 : BOHR_TO_ANGSTROM;
  const dims = axes.map((a) => Math.abs(a[0])) as [number, number, number];
  if (dims.some((d) => d === 0)) {
    throw new FormatError('bad_value', 'zero voxel count', { fileName: f, line: 4, expected: 'non-zero voxel counts', got: dims.join(' ') });
  }
  const natoms = Math.abs(natomsRaw);
  if (natoms > 10_000_000) {
    throw new FormatError('too_large', 'too many atoms', { fileName: f, line: 3, expected: 'at most 10^7 atoms', got: String(natoms) });
  }
  const lattice: Mat3 = [
    [0, 0, 0],
    [0, 0, 0],
    [0, 0, 0],
  ];
  // The sign of N only flags units; the cell vector is |N| * v.
  for (let k = 0; k < 3; k++) {
    const n = dims[k];
    lattice[k] = [axes[k][1] * n * lenScale, axes[k][2] * n * lenScale, axes[k][3] * n * lenScale];
  }
  if (!(cellVolume(lattice) > 0)) {
    throw new FormatError('bad_value', 'voxel axes are degenerate', { fileName: f, line: 4, expected: 'three independent voxel vectors' });
  }
  const origin: Vec3 = [ox * lenScale, oy * lenScale, oz * lenScale];
  const species: string[] = [];
  const positions: Vec3[] = [];
  for (let a = 0; a < natoms; a++) {
    const [z, , x, y, zz] = nums(nextLine(`atom ${a + 1}`), 5, `atom ${a + 1}: Z, charge, x, y, z`, true);
    species.push(ELEMENT_SYMBOLS[z] ?? 'X');
    positions.push([x * lenScale - origin[0], y * lenScale - origin[1], zz * lenScale - origin[2]]);
  }
  if (natomsRaw < 0) {
    const t = tokens(nextLine('the dataset id line'));
    if (t[0] !== '1') {
      throw new FormatError('unsupported', 'cube files with several datasets per voxel are not supported', {
        fileName: f,
        line: lineNo,
        expected: 'one dataset (DSET_IDS count 1)',
        got: t.join(' '),
      });
    }
  }
  const n = dims[0] * dims[1] * dims[2];
  const maxPoints = opts.maxPoints ?? DEFAULT_MAX_POINTS;
  if (n > maxPoints || 2 * n - 1 > bytes.length - p) {
    throw new FormatError('too_large', `grid of ${n} points`, {
      fileName: f,
      line: lineNo,
      expected: n > maxPoints ? `at most ${maxPoints} points` : `a grid that fits the ${bytes.length - p} bytes left`,
      got: dims.join(' '),
    });
  }
  const fileOrder = new Float32Array(n);
  const scanner = new FloatScanner(fileOrder, lineNo + 1, f);
  const stop = scanner.feed(bytes, Math.min(p, bytes.length), bytes.length, true);
  if (!scanner.full) {
    throw new FormatError('unexpected_eof', `file ends after ${scanner.count} of ${n} values`, {
      fileName: f,
      line: scanner.line,
      expected: `${n} values for the ${dims.join('x')} grid`,
    });
  }
  for (let q = stop; q < bytes.length; q++) {
    const c = bytes[q];
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) {
      throw new FormatError('wrong_count', 'more values than the grid holds', {
        fileName: f,
        line: scanner.line,
        expected: `exactly ${n} values`,
      });
    }
  }
  const q = opts.quantity ?? 'potential';
  const factor = q === 'potential' ? HARTREE_TO_EV : q === 'density' ? 1 / BOHR_TO_ANGSTROM ** 3 : 1;
  // File order: z fastest (t = k + n3*(j + n2*i)); ours: x fastest (i + n1*(j + n2*k)).
  const [n1, n2, n3] = dims;
  const data = new Float32Array(n);
  let t = 0;
  for (let i = 0; i < n1; i++) {
    for (let j = 0; j < n2; j++) {
      const base = i + n1 * j;
      const stride = n1 * n2;
      for (let k = 0; k < n3; k++) data[base + stride * k] = fileOrder[t++] * factor;
    }
  }
  return {
    comments,
    structure: { comment: comments[0].trim(), lattice, species, positions },
    grid: { dims, lattice, data },
    originAngstrom: origin,
    units: unitsOf(q),
    angstromInFile: angstrom,
  };
}

/**
 * Write a cube file in Bohr and Hartree (or e/Bohr^3 for 'density'), origin 0, 6 values per line, a line break after
 * every z row. `structure` positions are Cartesian Angstrom relative to the grid origin.
 */
export function writeCube(structure: Structure, grid: Grid3D, opts: { quantity?: CubeQuantity; comment?: string } = {}): string {
  const q = opts.quantity ?? 'potential';
  const factor = q === 'potential' ? 1 / HARTREE_TO_EV : q === 'density' ? BOHR_TO_ANGSTROM ** 3 : 1;
  const [n1, n2, n3] = grid.dims;
  const e = (x: number): string => (x < 0 ? '' : ' ') + x.toExponential(8).replace(/e([+-])(\d)$/, 'e$10$2');
  const b = (x: number): string => (x / BOHR_TO_ANGSTROM).toFixed(6).padStart(12);
  const out: string[] = [];
  out.push((opts.comment ?? structure.comment ?? 'EPDI Lab').replace(/[\r\n]+/g, ' '));
  out.push(`written by EPDI Lab: ${q === 'potential' ? 'Hartree' : q === 'density' ? 'e/Bohr^3' : 'raw'}, Bohr`);
  out.push(`${String(structure.positions.length).padStart(5)}${b(0)}${b(0)}${b(0)}`);
  grid.lattice.forEach((v, k) => {
    const n = grid.dims[k];
    out.push(`${String(n).padStart(5)}${b(v[0] / n)}${b(v[1] / n)}${b(v[2] / n)}`);
  });
  structure.positions.forEach((pos, a) => {
    const z = atomicNumber(structure.species[a]);
    out.push(`${String(z).padStart(5)}${z.toFixed(6).padStart(12)}${b(pos[0])}${b(pos[1])}${b(pos[2])}`);
  });
  const d = grid.data;
  for (let i = 0; i < n1; i++) {
    for (let j = 0; j < n2; j++) {
      let line = '';
      for (let k = 0; k < n3; k++) {
        line += ` ${e(d[i + n1 * (j + n2 * k)] * factor)}`;
        if ((k + 1) % 6 === 0 || k === n3 - 1) {
          out.push(line);
          line = '';
        }
      }
    }
  }
  return `${out.join('\n')}\n`;
}
