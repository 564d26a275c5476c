import { describe, expect, test } from 'vitest';
import { delaunay, periodicDelaunay } from '../../../lib/surface';
import { mulberry32 } from '../../fixtures/synthetic';

function circumcircle(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): [number, number, number] {
  const d = 2 * (ax * (by - cy) + bx * (cy - ay) + cx * (ay - by));
  const ux = ((ax * ax + ay * ay) * (by - cy) + (bx * bx + by * by) * (cy - ay) + (cx * cx + cy * cy) * (ay - by)) / d;
  const uy = ((ax * ax + ay * ay) * (cx - bx) + (bx * bx + by * by) * (ax - cx) + (cx * cx + cy * cy) * (bx - ax)) / d;
  return [ux, uy, (ax - ux) ** 2 + (ay - uy) ** 2];
}

describe('Delaunay', () => {
  test('random points: every circumcircle is empty and the triangle count is 2n - 2 - hull', () => {
    const rand = mulberry32(11);
    const xy: number[] = [];
    for (let i = 0; i < 60; i++) xy.push(rand() * 10, rand() * 10);
    const tris = delaunay(xy);
    for (const [a, b, c] of tris) {
      const [ux, uy, r2] = circumcircle(xy[2 * a], xy[2 * a + 1], xy[2 * b], xy[2 * b + 1], xy[2 * c], xy[2 * c + 1]);
      for (let p = 0; p < 60; p++) {
        if (p === a || p === b || p === c) continue;
        expect((xy[2 * p] - ux) ** 2 + (xy[2 * p + 1] - uy) ** 2).toBeGreaterThan(r2 * (1 - 1e-9));
      }
    }
    // Total area equals the convex hull area (no overlaps, no holes): compare with a gift-wrapping hull.
    const area = tris.reduce((s, [a, b, c]) => s + Math.abs((xy[2 * b] - xy[2 * a]) * (xy[2 * c + 1] - xy[2 * a + 1]) - (xy[2 * b + 1] - xy[2 * a + 1]) * (xy[2 * c] - xy[2 * a])) / 2, 0);
    const pts = Array.from({ length: 60 }, (_, i) => [xy[2 * i], xy[2 * i + 1]] as [number, number]).sort((p, q) => p[0] - q[0] || p[1] - q[1]);
    const cross = (o: number[], p: number[], q: number[]): number => (p[0] - o[0]) * (q[1] - o[1]) - (p[1] - o[1]) * (q[0] - o[0]);
    const lower: number[][] = [];
    for (const p of pts) {
      while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], p) <= 0) lower.pop();
      lower.push(p);
    }
    const upper: number[][] = [];
    for (const p of [...pts].reverse()) {
      while (upper.length >= 2 && cross(upper[upper.length - 2], upper[upper.length - 1], p) <= 0) upper.pop();
      upper.push(p);
    }
    const hull = [...lower.slice(0, -1), ...upper.slice(0, -1)];
    let hullArea = 0;
    for (let i = 0; i < hull.length; i++) hullArea += hull[i][0] * hull[(i + 1) % hull.length][1] - hull[(i + 1) % hull.length][0] * hull[i][1];
    expect(area).toBeCloseTo(Math.abs(hullArea) / 2, 9);
    expect(tris.length).toBe(2 * 60 - 2 - hull.length);
  });

  test.each([
    ['triangular', [3, 0], [-1.5, 2.598076211353316]],
    ['square (4 cocircular points per cell: degenerate)', [3, 0], [0, 3]],
  ] as const)('periodic %s lattice of 4x4 points gives 2 triangles per point in the home cell', (_name, a, b) => {
    const fr: [number, number][] = [];
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) fr.push([i / 4, j / 4]);
    const { home } = periodicDelaunay(fr, [4 * a[0], 4 * a[1]], [4 * b[0], 4 * b[1]]);
    expect(home.length).toBe(32);
  });
});
