import type { Mat3 } from '../math/mat3';

/**
 * A scalar field on a periodic grid spanning one cell.
 * Layout: flat `data` of length nx*ny*nz, x fastest (Fortran / VASP order): index = i + nx*(j + ny*k),
 * point (i, j, k) at fractional coordinates (i/nx, j/ny, k/nz). `lattice` rows are a, b, c in Angstrom.
 */
export interface Grid3D {
  dims: [number, number, number];
  lattice: Mat3;
  data: Float32Array;
}

export function gridIndex(dims: readonly [number, number, number], i: number, j: number, k: number): number {
  return i + dims[0] * (j + dims[1] * k);
}

export function pointCount(dims: readonly [number, number, number]): number {
  return dims[0] * dims[1] * dims[2];
}
