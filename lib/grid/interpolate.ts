import type { Vec3 } from '../math/mat3';
import type { Grid3D } from './grid3d';
import { cartToFracInto, gridFrame, type GridFrame } from './coords';

/**
 * Periodic interpolation of a Grid3D at arbitrary points.
 *
 * - `trilinear`: 8-point linear interpolation; exact on fields that are (tri)linear between grid points; error O(h^2).
 * - `tricubic`: tensor-product Catmull-Rom cubic convolution (Keys kernel, a = -1/2), 4x4x4 = 64 points. It
 *   interpolates (passes through grid values), is C1, reproduces polynomials up to degree 2 exactly (hence trilinear
 *   fields exactly, away from the periodic seam) and has error O(h^3) on smooth fields. No prefiltering is needed,
 *   so the grid is used as is (no second copy of a GB-sized LOCPOT).
 *
 * Periodicity: indices wrap modulo (nx, ny, nz), so points anywhere in space (across any cell boundary, negative
 * coordinates, several cells away) get the value of the periodic field; the cell may be any triclinic lattice because
 * Cartesian points are first mapped to fractional coordinates with the inverse lattice.
 */
export type InterpolationMethod = 'trilinear' | 'tricubic';

/** Catmull-Rom weights for the 4 taps at offsets -1, 0, 1, 2 given the fractional offset t in [0, 1). */
export function catmullRomWeights(t: number, out: Float64Array | number[]): void {
  const t2 = t * t;
  const t3 = t2 * t;
  out[0] = 0.5 * (-t3 + 2 * t2 - t);
  out[1] = 0.5 * (3 * t3 - 5 * t2 + 2);
  out[2] = 0.5 * (-3 * t3 + 4 * t2 + t);
  out[3] = 0.5 * (t3 - t2);
}

function mod(i: number, n: number): number {
  const r = i % n;
  return r < 0 ? r + n : r;
}

/**
 * An interpolator bound to one grid, with scratch buffers so that evaluation does not allocate.
 * Not re-entrant across async boundaries (it is synchronous, so this only matters if you share one between workers).
 */
export interface GridSampler {
  readonly grid: Grid3D;
  readonly frame: GridFrame;
  readonly method: InterpolationMethod;
  /** Value at fractional coordinates (any real numbers; periodic). */
  atFractional(u: number, v: number, w: number): number;
  /** Value at a Cartesian point (Angstrom). */
  atCartesian(x: number, y: number, z: number): number;
}

export function createSampler(grid: Grid3D, method: InterpolationMethod = 'tricubic'): GridSampler {
  const frame = gridFrame(grid);
  const frac: Vec3 = [0, 0, 0];
  const atFractional = method === 'trilinear' ? (u: number, v: number, w: number) => sampleTrilinear(grid, u, v, w) : makeTricubic(grid);
  return {
    grid,
    frame,
    method,
    atFractional,
    atCartesian(x: number, y: number, z: number): number {
      cartToFracInto(frame.inverseLattice, x, y, z, frac);
      return atFractional(frac[0], frac[1], frac[2]);
    },
  };
}

/** Periodic trilinear interpolation at fractional (u, v, w). Does not allocate. */
export function sampleTrilinear(grid: Grid3D, u: number, v: number, w: number): number {
  const [nx, ny, nz] = grid.dims;
  const d = grid.data;
  const x = u * nx;
  const y = v * ny;
  const z = w * nz;
  const fx = Math.floor(x);
  const fy = Math.floor(y);
  const fz = Math.floor(z);
  const tx = x - fx;
  const ty = y - fy;
  const tz = z - fz;
  const i0 = mod(fx, nx);
  const j0 = mod(fy, ny);
  const k0 = mod(fz, nz);
  const i1 = i0 + 1 === nx ? 0 : i0 + 1;
  const j1 = j0 + 1 === ny ? 0 : j0 + 1;
  const k1 = k0 + 1 === nz ? 0 : k0 + 1;
  const r00 = nx * (j0 + ny * k0);
  const r10 = nx * (j1 + ny * k0);
  const r01 = nx * (j0 + ny * k1);
  const r11 = nx * (j1 + ny * k1);
  const c00 = d[i0 + r00] + tx * (d[i1 + r00] - d[i0 + r00]);
  const c10 = d[i0 + r10] + tx * (d[i1 + r10] - d[i0 + r10]);
  const c01 = d[i0 + r01] + tx * (d[i1 + r01] - d[i0 + r01]);
  const c11 = d[i0 + r11] + tx * (d[i1 + r11] - d[i0 + r11]);
  const c0 = c00 + ty * (c10 - c00);
  const c1 = c01 + ty * (c11 - c01);
  return c0 + tz * (c1 - c0);
}

/** Builds a periodic tricubic (Catmull-Rom) evaluator at fractional coordinates with private scratch arrays. */
function makeTricubic(grid: Grid3D): (u: number, v: number, w: number) => number {
  const [nx, ny, nz] = grid.dims;
  const d = grid.data;
  const wx = new Float64Array(4);
  const wy = new Float64Array(4);
  const wz = new Float64Array(4);
  const ix = new Int32Array(4);
  const rowOffset = new Int32Array(16); // nx * (j + ny * k) for the 4x4 (j, k) taps
  return (u: number, v: number, w: number): number => {
    const x = u * nx;
    const y = v * ny;
    const z = w * nz;
    const fx = Math.floor(x);
    const fy = Math.floor(y);
    const fz = Math.floor(z);
    catmullRomWeights(x - fx, wx);
    catmullRomWeights(y - fy, wy);
    catmullRomWeights(z - fz, wz);
    const i0 = mod(fx - 1, nx);
    const j0 = mod(fy - 1, ny);
    const k0 = mod(fz - 1, nz);
    for (let a = 0, i = i0; a < 4; a++, i = i + 1 === nx ? 0 : i + 1) ix[a] = i;
    for (let c = 0, k = k0; c < 4; c++, k = k + 1 === nz ? 0 : k + 1) {
      for (let b = 0, j = j0; b < 4; b++, j = j + 1 === ny ? 0 : j + 1) rowOffset[b + 4 * c] = nx * (j + ny * k);
    }
    let sum = 0;
    for (let c = 0; c < 4; c++) {
      let sy = 0;
      for (let b = 0; b < 4; b++) {
        const r = rowOffset[b + 4 * c];
        sy += wy[b] * (wx[0] * d[r + ix[0]] + wx[1] * d[r + ix[1]] + wx[2] * d[r + ix[2]] + wx[3] * d[r + ix[3]]);
      }
      sum += wz[c] * sy;
    }
    return sum;
  };
}

/** One-off periodic tricubic value at fractional coordinates (allocates a sampler; use `createSampler` in loops). */
export function sampleTricubic(grid: Grid3D, u: number, v: number, w: number): number {
  return makeTricubic(grid)(u, v, w);
}
