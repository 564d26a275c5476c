import { describe, expect, it } from 'vitest';
import type { Mat3 } from '@/lib/math/mat3';
import { marchingCubesPeriodic } from '@/lib/view/marching-cubes';

/** Field |r - centre| (minimum image) on an n^3 grid of a cubic cell of side L. */
function distanceField(
  n: number,
  L: number,
  centre: [number, number, number],
): { dims: [number, number, number]; lattice: Mat3; data: Float32Array } {
  const data = new Float32Array(n * n * n);
  for (let k = 0; k < n; k++)
    for (let j = 0; j < n; j++)
      for (let i = 0; i < n; i++) {
        const d = [i, j, k].map((x, ax) => {
          let t = (x * L) / n - centre[ax];
          t -= L * Math.round(t / L);
          return t;
        });
        data[i + n * (j + n * k)] = Math.hypot(d[0], d[1], d[2]);
      }
  return {
    dims: [n, n, n],
    lattice: [
      [L, 0, 0],
      [0, L, 0],
      [0, 0, L],
    ],
    data,
  };
}

function area(p: Float32Array): number {
  let s = 0;
  for (let t = 0; t < p.length; t += 9) {
    const u = [p[t + 3] - p[t], p[t + 4] - p[t + 1], p[t + 5] - p[t + 2]];
    const v = [p[t + 6] - p[t], p[t + 7] - p[t + 1], p[t + 8] - p[t + 2]];
    s += 0.5 * Math.hypot(u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]);
  }
  return s;
}

describe('marchingCubesPeriodic', () => {
  it('puts every vertex of the r = 3 A isosurface of a distance field at 3 A and recovers the sphere area 4 pi r^2', () => {
    const field = distanceField(32, 10, [5, 5, 5]);
    const { positions, triangleCount } = marchingCubesPeriodic(field, 3);
    expect(triangleCount).toBeGreaterThan(500);
    let worst = 0;
    for (let i = 0; i < positions.length; i += 3) {
      const r = Math.hypot(positions[i] - 5, positions[i + 1] - 5, positions[i + 2] - 5);
      worst = Math.max(worst, Math.abs(r - 3));
    }
    expect(worst).toBeLessThan(0.05); // linear interpolation on a 0.3125 A grid
    expect(area(positions) / (4 * Math.PI * 9)).toBeCloseTo(1, 1);
  });

  it('closes a sphere centred on the cell corner across the periodic boundaries', () => {
    const centred = marchingCubesPeriodic(distanceField(32, 10, [5, 5, 5]), 3);
    const corner = marchingCubesPeriodic(distanceField(32, 10, [0, 0, 0]), 3);
    // The same sphere, cut into 8 pieces by the cell faces: same area within 1 %.
    expect(Math.abs(area(corner.positions) / area(centred.positions) - 1)).toBeLessThan(0.01);
    expect(Math.min(...corner.positions)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...corner.positions)).toBeLessThanOrEqual(10);
  });

  it('returns nothing when the level is outside the field', () => {
    expect(marchingCubesPeriodic(distanceField(8, 10, [5, 5, 5]), 100).triangleCount).toBe(0);
  });
});
