import { describe, expect, test } from 'vitest';
import type { Mat3 } from '../../../lib/math/mat3';
import { fractionalToCartesian } from '../../../lib/math/mat3';
import {
  createSampler,
  collapseAtFractionalC,
  createPlaneSampler,
  slicePlane,
  sliceParallelPlane,
  type Grid3D,
} from '../../../lib/grid';
import { mulberry32 } from '../../fixtures/synthetic';

/** A strongly triclinic cell: no two axes orthogonal, c tilted out of the (a, b) normal. */
const TRICLINIC: Mat3 = [
  [5.0, 0.0, 0.0],
  [1.7, 4.6, 0.0],
  [-1.1, 0.8, 6.3],
];

function fillGrid(dims: [number, number, number], lattice: Mat3, f: (i: number, j: number, k: number) => number): Grid3D {
  const [nx, ny, nz] = dims;
  const data = new Float32Array(nx * ny * nz);
  for (let k = 0; k < nz; k++) for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) data[i + nx * (j + ny * k)] = f(i, j, k);
  return { dims, lattice, data };
}

describe('periodic interpolation', () => {
  test.each(['trilinear', 'tricubic'] as const)('%s is exact on a constant field, anywhere in space', (method) => {
    const grid = fillGrid([7, 9, 11], TRICLINIC, () => -3.25);
    const s = createSampler(grid, method);
    const rand = mulberry32(1);
    for (let n = 0; n < 200; n++) {
      const x = (rand() - 0.5) * 60;
      const y = (rand() - 0.5) * 60;
      const z = (rand() - 0.5) * 60;
      expect(s.atCartesian(x, y, z)).toBeCloseTo(-3.25, 5);
    }
  });

  // P(x, y, z) in grid-index units: a trilinear polynomial (includes xy, yz, xz and xyz terms).
  const P = (x: number, y: number, z: number): number => 0.3 + 0.7 * x - 0.2 * y + 0.11 * z + 0.05 * x * y - 0.03 * y * z + 0.02 * x * z + 0.004 * x * y * z;

  test.each([
    ['trilinear', 0, 1],
    ['tricubic', 1, 2],
  ] as const)('%s reproduces a trilinear field exactly where its stencil does not wrap (triclinic cell, Cartesian input)', (method, lo, hiMargin) => {
    const dims: [number, number, number] = [10, 12, 9];
    const grid = fillGrid(dims, TRICLINIC, P);
    const s = createSampler(grid, method);
    const rand = mulberry32(2);
    for (let n = 0; n < 300; n++) {
      const x = lo + rand() * (dims[0] - 1 - hiMargin - lo);
      const y = lo + rand() * (dims[1] - 1 - hiMargin - lo);
      const z = lo + rand() * (dims[2] - 1 - hiMargin - lo);
      const cart = fractionalToCartesian([x / dims[0], y / dims[1], z / dims[2]], TRICLINIC);
      // Float32 storage limits agreement to ~1e-6 relative.
      expect(s.atCartesian(...cart)).toBeCloseTo(P(x, y, z), 4);
    }
  });

  test('trilinear across the periodic seam blends the last and the first planes', () => {
    const dims: [number, number, number] = [6, 5, 4];
    const grid = fillGrid(dims, TRICLINIC, (i, j, k) => i * 100 + j * 10 + k);
    const s = createSampler(grid, 'trilinear');
    // Halfway between i = 5 and i = 0 (= 6): (500 + 0)/2 + j*10 + k.
    expect(s.atFractional(5.5 / 6, 2 / 5, 1 / 4)).toBeCloseTo(250 + 20 + 1, 4);
    // The same point one cell further and one cell back.
    expect(s.atFractional(5.5 / 6 - 1, 2 / 5 + 3, 1 / 4 - 2)).toBeCloseTo(271, 4);
  });

  // f = sum of cosines, periodic on the cell: every mode has integer wave numbers in fractional coordinates.
  const F = (u: number, v: number, w: number): number =>
    Math.cos(2 * Math.PI * u) + 0.5 * Math.sin(2 * Math.PI * (v + 2 * w)) + 0.3 * Math.cos(2 * Math.PI * (u - v + w) + 0.4);

  function maxTricubicError(n: number): number {
    const dims: [number, number, number] = [n, n + 2, n + 4];
    const grid = fillGrid(dims, TRICLINIC, (i, j, k) => F(i / dims[0], j / dims[1], k / dims[2]));
    const s = createSampler(grid, 'tricubic');
    const rand = mulberry32(3);
    let err = 0;
    for (let p = 0; p < 2000; p++) {
      // Half of the points straddle the cell boundary (fractions near 0 and 1), all in [-1.5, 2.5].
      const near = (): number => (rand() < 0.5 ? -0.05 + 0.1 * rand() + Math.round(rand() * 2) : -1.5 + 4 * rand());
      const u = near();
      const v = near();
      const w = near();
      const cart = fractionalToCartesian([u, v, w], TRICLINIC);
      err = Math.max(err, Math.abs(s.atCartesian(...cart) - F(u, v, w)));
    }
    return err;
  }

  test('tricubic error on a smooth periodic triclinic field is below 5e-3 at ~24 points per wavelength and falls as h^3', () => {
    // Bound: Catmull-Rom has error O(h^3); for cos(theta x) sampled at theta h = 2 pi / 24 the 1D error is
    // ~ theta^3 h^3 / 27 ~ 1e-3 per unit amplitude; three axes and amplitudes summing to 1.8 give < 5e-3.
    const e24 = maxTricubicError(24);
    const e48 = maxTricubicError(48);
    expect(e24).toBeLessThan(5e-3);
    // Third order: halving h divides the error by ~8 (>= 6 allowed for the Float32 floor and sampling).
    expect(e24 / e48).toBeGreaterThan(6);
  });

  test('tricubic passes through the grid values', () => {
    const dims: [number, number, number] = [8, 8, 8];
    const grid = fillGrid(dims, TRICLINIC, (i, j, k) => F(i / 8, j / 8, k / 8));
    const s = createSampler(grid, 'tricubic');
    expect(s.atFractional(3 / 8, 5 / 8, 7 / 8)).toBeCloseTo(grid.data[3 + 8 * (5 + 8 * 7)], 6);
    expect(s.atFractional(-5 / 8, 13 / 8, -1 / 8)).toBeCloseTo(grid.data[3 + 8 * (5 + 8 * 7)], 6);
  });
});

describe('plane slices', () => {
  const dims: [number, number, number] = [20, 22, 26];
  const F = (u: number, v: number, w: number): number => Math.cos(2 * Math.PI * (u + w)) + Math.sin(2 * Math.PI * (v - 2 * w));
  const grid = fillGrid(dims, TRICLINIC, (i, j, k) => F(i / dims[0], j / dims[1], k / dims[2]));

  test('a plane parallel to (a, b) sampled via the c-collapse equals full tricubic sampling', () => {
    const s = createSampler(grid, 'tricubic');
    const origin = fractionalToCartesian([-0.3, 0.8, 1.37], TRICLINIC);
    const uVec: [number, number, number] = [6, 1, 0];
    const vVec: [number, number, number] = [-1, 5, 0];
    // uVec, vVec have no component along the (a, b) normal (z here), so the plane is parallel to (a, b).
    const slow = slicePlane(s, origin, uVec, vVec, 17, 13);
    const fast = sliceParallelPlane(grid, origin, uVec, vVec, 17, 13);
    for (let p = 0; p < slow.length; p++) expect(fast[p]).toBeCloseTo(slow[p], 5);
  });

  test('row-major layout: pixel (r, c) sits at origin + (c+0.5)/cols u + (r+0.5)/rows v', () => {
    const s = createSampler(grid, 'tricubic');
    const origin = fractionalToCartesian([0.1, 0.2, 0.3], TRICLINIC);
    const img = slicePlane(s, origin, [4, 0, 1], [0, 3, -1], 5, 3);
    const at = (c: number, r: number): number => {
      const fu = (c + 0.5) / 5;
      const fv = (r + 0.5) / 3;
      return s.atCartesian(origin[0] + 4 * fu, origin[1] + 3 * fv, origin[2] + fu - fv);
    };
    expect(img[4 + 5 * 2]).toBeCloseTo(at(4, 2), 6);
    expect(img[1 + 5 * 0]).toBeCloseTo(at(1, 0), 6);
  });

  test('the collapsed plane at a grid height reproduces that layer', () => {
    const plane = collapseAtFractionalC(grid, 5 / dims[2]);
    const at = createPlaneSampler(plane);
    expect(at(3 / dims[0], 4 / dims[1])).toBeCloseTo(grid.data[3 + dims[0] * (4 + dims[1] * 5)], 6);
  });
});
