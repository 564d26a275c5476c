import type { Mat3, Vec3 } from '../math/mat3';
import { inverse } from '../math/mat3';
import type { Grid3D } from './grid3d';

/**
 * Precomputed frame of a grid: the lattice (rows a, b, c in Angstrom) and its inverse, so that hot loops can convert
 * Cartesian <-> fractional coordinates without allocating. Build once per grid with `gridFrame`.
 */
export interface GridFrame {
  dims: [number, number, number];
  lattice: Mat3;
  /** Inverse of `lattice`: fractional = cartesian * inverseLattice (row vector times matrix). */
  inverseLattice: Mat3;
}

export function gridFrame(grid: Pick<Grid3D, 'dims' | 'lattice'>): GridFrame {
  return { dims: [grid.dims[0], grid.dims[1], grid.dims[2]], lattice: grid.lattice, inverseLattice: inverse(grid.lattice) };
}

/** Fractional coordinates (u, v, w) of grid point (i, j, k): (i/nx, j/ny, k/nz). Writes into `out` when given. */
export function gridPointFractional(dims: readonly [number, number, number], i: number, j: number, k: number, out: Vec3 = [0, 0, 0]): Vec3 {
  out[0] = i / dims[0];
  out[1] = j / dims[1];
  out[2] = k / dims[2];
  return out;
}

/** Cartesian position (Angstrom) of grid point (i, j, k). Writes into `out` when given. */
export function gridPointCartesian(frame: GridFrame, i: number, j: number, k: number, out: Vec3 = [0, 0, 0]): Vec3 {
  const u = i / frame.dims[0];
  const v = j / frame.dims[1];
  const w = k / frame.dims[2];
  return fracToCartInto(frame.lattice, u, v, w, out);
}

/** Fractional (u, v, w) -> Cartesian (Angstrom): u*a + v*b + w*c, written into `out` (no allocation). */
export function fracToCartInto(lattice: Mat3, u: number, v: number, w: number, out: Vec3): Vec3 {
  const [a, b, c] = lattice;
  out[0] = u * a[0] + v * b[0] + w * c[0];
  out[1] = u * a[1] + v * b[1] + w * c[1];
  out[2] = u * a[2] + v * b[2] + w * c[2];
  return out;
}

/** Cartesian (Angstrom) -> fractional with a precomputed inverse lattice, written into `out` (no allocation). */
export function cartToFracInto(inverseLattice: Mat3, x: number, y: number, z: number, out: Vec3): Vec3 {
  const [r0, r1, r2] = inverseLattice;
  out[0] = x * r0[0] + y * r1[0] + z * r2[0];
  out[1] = x * r0[1] + y * r1[1] + z * r2[1];
  out[2] = x * r0[2] + y * r1[2] + z * r2[2];
  return out;
}

/** Wrap a fractional coordinate into [0, 1). */
export function wrapFraction(u: number): number {
  const f = u - Math.floor(u);
  return f >= 1 ? 0 : f; // -1e-17 - floor(-1e-17) rounds to 1.0
}
