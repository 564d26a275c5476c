import type { Vec3 } from '../math/mat3';
import type { Grid3D } from './grid3d';
import type { GridSampler } from './interpolate';
import { ballRule, cylinderRule, sphereShellRule, type PointRule } from './quadrature';

/**
 * Planar average along lattice axis `axis` (0 = a, 1 = b, 2 = c): element n is the mean of all grid values with index
 * n along that axis (the plane at fractional n / n_axis). Exact on the grid (no interpolation). Shape: [n_axis].
 */
export function planarAverage(grid: Grid3D, axis: 0 | 1 | 2 = 2): Float64Array {
  const [nx, ny, nz] = grid.dims;
  const d = grid.data;
  const n = grid.dims[axis];
  const out = new Float64Array(n);
  let p = 0;
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      if (axis === 0) {
        for (let i = 0; i < nx; i++, p++) out[i] += d[p];
      } else {
        let s = 0;
        for (let i = 0; i < nx; i++, p++) s += d[p];
        out[axis === 1 ? j : k] += s;
      }
    }
  }
  const count = (nx * ny * nz) / n;
  for (let i = 0; i < n; i++) out[i] /= count;
  return out;
}

/** Weighted mean of the field over the points centre + offsets of a rule (Cartesian Angstrom). Does not allocate. */
export function averageOverRule(sampler: GridSampler, centre: Readonly<Vec3>, rule: PointRule): number {
  const { offsets, weights } = rule;
  let sum = 0;
  for (let p = 0; p < weights.length; p++) {
    sum += weights[p] * sampler.atCartesian(centre[0] + offsets[3 * p], centre[1] + offsets[3 * p + 1], centre[2] + offsets[3 * p + 2]);
  }
  return sum;
}

/**
 * Mean of the field over a sphere of `radius` (Angstrom) centred at `centre` (Cartesian):
 * `mode: 'ball'` (default) averages over the solid ball (200-point rule), `'shell'` over the spherical surface (50-point
 * Lebedev). Pass a prebuilt `rule` (from `ballRule` / `sphereShellRule`) in loops to avoid rebuilding it.
 */
export function sphereAverage(
  sampler: GridSampler,
  centre: Readonly<Vec3>,
  radius: number,
  options: { mode?: 'ball' | 'shell'; rule?: PointRule } = {},
): number {
  const rule = options.rule ?? (options.mode === 'shell' ? sphereShellRule(radius) : ballRule(radius));
  return averageOverRule(sampler, centre, rule);
}

/** Mean of the field over a solid cylinder (axis unit vector, radius and length in Angstrom) centred at `centre`. */
export function cylinderAverage(
  sampler: GridSampler,
  centre: Readonly<Vec3>,
  axis: Readonly<Vec3>,
  radius: number,
  length: number,
  rule: PointRule = cylinderRule(axis, radius, length),
): number {
  return averageOverRule(sampler, centre, rule);
}
