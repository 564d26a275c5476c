/**
 * Delaunay triangulation (Bowyer-Watson) of 2D points, and its periodic version for a 2D lattice.
 *
 * Robustness: the in-circle test uses a relative tolerance (a point on a circumcircle counts as outside), so exactly
 * cocircular points (the square-lattice degeneracy) give one valid triangulation instead of overlapping triangles.
 * The periodic version triangulates the 3x3 replicated images and keeps the triangles whose centroid lies in the home
 * cell (fractions in [-eps, 1 - eps)); it checks Euler's count on the torus (2 triangles per point) and, if a
 * degenerate configuration broke it, retries with 5x5 images and then with a tiny deterministic perturbation.
 */
import { SurfaceError } from './errors';

export type Triangle = [number, number, number];

/** Delaunay triangles of the points (x, y interleaved), as index triples, counter-clockwise. */
export function delaunay(xy: Float64Array | number[]): Triangle[] {
  const n = xy.length / 2;
  if (n < 3) return [];
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    minX = Math.min(minX, xy[2 * i]);
    maxX = Math.max(maxX, xy[2 * i]);
    minY = Math.min(minY, xy[2 * i + 1]);
    maxY = Math.max(maxY, xy[2 * i + 1]);
  }
  const span = Math.max(maxX - minX, maxY - minY, 1e-9);
  const cx = (minX + maxX) / 2;
  const cy = (minY + maxY) / 2;
  // Super triangle well outside the points.
  const px = new Float64Array(n + 3);
  const py = new Float64Array(n + 3);
  for (let i = 0; i < n; i++) {
    px[i] = xy[2 * i];
    py[i] = xy[2 * i + 1];
  }
  px[n] = cx - 20 * span;
  py[n] = cy - 10 * span;
  px[n + 1] = cx + 20 * span;
  py[n + 1] = cy - 10 * span;
  px[n + 2] = cx;
  py[n + 2] = cy + 20 * span;
  interface Tri {
    v: Triangle;
    ux: number;
    uy: number;
    r2: number;
  }
  const make = (a: number, b: number, c: number): Tri => {
    // Counter-clockwise order.
    const cross = (px[b] - px[a]) * (py[c] - py[a]) - (py[b] - py[a]) * (px[c] - px[a]);
    if (cross < 0) [b, c] = [c, b];
    const ax = px[a];
    const ay = py[a];
    const bx = px[b] - ax;
    const by = py[b] - ay;
    const qx = px[c] - ax;
    const qy = py[c] - ay;
    const d = 2 * (bx * qy - by * qx);
    const b2 = bx * bx + by * by;
    const c2 = qx * qx + qy * qy;
    const ux = d === 0 ? Infinity : (qy * b2 - by * c2) / d;
    const uy = d === 0 ? Infinity : (bx * c2 - qx * b2) / d;
    return { v: [a, b, c], ux: ax + ux, uy: ay + uy, r2: ux * ux + uy * uy };
  };
  let tris: Tri[] = [make(n, n + 1, n + 2)];
  const eps = 1e-9;
  for (let p = 0; p < n; p++) {
    const x = px[p];
    const y = py[p];
    const bad: Tri[] = [];
    const good: Tri[] = [];
    for (const t of tris) {
      const dx = x - t.ux;
      const dy = y - t.uy;
      if (dx * dx + dy * dy < t.r2 * (1 - eps)) bad.push(t);
      else good.push(t);
    }
    // Boundary of the cavity: edges of bad triangles not shared by two bad triangles.
    const edgeCount = new Map<string, [number, number, number]>();
    for (const t of bad) {
      for (let e = 0; e < 3; e++) {
        const a = t.v[e];
        const b = t.v[(e + 1) % 3];
        const key = a < b ? `${a},${b}` : `${b},${a}`;
        const prev = edgeCount.get(key);
        edgeCount.set(key, prev ? [prev[0], prev[1], prev[2] + 1] : [a, b, 1]);
      }
    }
    tris = good;
    for (const [a, b, count] of edgeCount.values()) if (count === 1) tris.push(make(a, b, p));
  }
  return tris.filter((t) => t.v[0] < n && t.v[1] < n && t.v[2] < n).map((t) => t.v);
}

/** A vertex of the periodic triangulation: point index and the lattice image it comes from. */
export interface PeriodicVertex {
  point: number;
  image: [number, number];
}

export interface PeriodicTriangle {
  vertices: [PeriodicVertex, PeriodicVertex, PeriodicVertex];
}

/**
 * Periodic Delaunay triangulation of points given by fractions (u, v) of the 2D lattice (a2, b2).
 * Returns the triangles of the home cell (2 per point), each vertex tagged with its lattice image, and every
 * triangle of the replicated patch (for neighbour lookups across the boundary).
 */
export function periodicDelaunay(
  fractions: readonly [number, number][],
  a2: readonly [number, number],
  b2: readonly [number, number],
): { home: PeriodicTriangle[]; all: PeriodicTriangle[] } {
  const n = fractions.length;
  const wrapped = fractions.map(([u, v]) => [u - Math.floor(u), v - Math.floor(v)] as [number, number]);
  const attempts: { reach: number; jitter: number }[] = [
    { reach: 1, jitter: 0 },
    { reach: 2, jitter: 0 },
    { reach: 2, jitter: 1e-7 },
  ];
  for (const { reach, jitter } of attempts) {
    const xy: number[] = [];
    const tag: PeriodicVertex[] = [];
    for (let s = -reach; s <= reach; s++) {
      for (let t = -reach; t <= reach; t++) {
        wrapped.forEach(([u, v], i) => {
          // Deterministic sub-picometre perturbation, identical for all images of a point (keeps periodicity).
          const ju = jitter * Math.sin(12.9898 * (i + 1));
          const jv = jitter * Math.cos(78.233 * (i + 1));
          const fu = u + s + ju;
          const fv = v + t + jv;
          xy.push(fu * a2[0] + fv * b2[0], fu * a2[1] + fv * b2[1]);
          tag.push({ point: i, image: [s, t] });
        });
      }
    }
    const tris = delaunay(xy);
    const all: PeriodicTriangle[] = tris.map((t) => ({ vertices: [tag[t[0]], tag[t[1]], tag[t[2]]] }));
    const eps = 1e-7;
    const home = all.filter((t) => {
      let cu = 0;
      let cv = 0;
      for (const vtx of t.vertices) {
        cu += wrapped[vtx.point][0] + vtx.image[0];
        cv += wrapped[vtx.point][1] + vtx.image[1];
      }
      cu /= 3;
      cv /= 3;
      return cu >= -eps && cu < 1 - eps && cv >= -eps && cv < 1 - eps;
    });
    if (home.length === 2 * n) return { home, all };
  }
  throw new SurfaceError('triangulation_failed', `periodic Delaunay of ${n} top-layer atoms did not give ${2 * n} triangles`);
}
