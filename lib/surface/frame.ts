import type { Mat3, Vec3 } from '../math/mat3';
import { cross, dot, norm } from '../math/mat3';

/**
 * Orthonormal surface frame of a slab with vacuum along c: `normal` = a x b normalised and oriented along +c ("up"),
 * `e1`, `e2` span the surface plane. When the surface is the Cartesian xy plane (the usual VASP setting) e1 = x and
 * e2 = y, so in-plane coordinates and angles are plain Cartesian x, y; otherwise e1 = a / |a|, e2 = normal x e1.
 * In-plane lattice: `a2`, `b2` are a and b in (e1, e2) coordinates; `inv2` maps 2D points to fractions of a, b.
 */
export interface SurfaceFrame {
  normal: Vec3;
  e1: Vec3;
  e2: Vec3;
  a2: [number, number];
  b2: [number, number];
  /** Rows of the 2x2 inverse: [u, v] = [x * inv2[0][0] + y * inv2[1][0], x * inv2[0][1] + y * inv2[1][1]]. */
  inv2: [[number, number], [number, number]];
  /** Height gained along the normal per unit fractional c. */
  heightPerFracC: number;
}

export function surfaceFrame(lattice: Mat3): SurfaceFrame {
  const [a, b, c] = lattice;
  const n0 = cross(a, b);
  const ln = norm(n0);
  if (!(ln > 0)) throw new RangeError('surfaceFrame: a and b are parallel');
  const sign = dot(n0, c) >= 0 ? 1 : -1;
  const normal: Vec3 = [(sign * n0[0]) / ln, (sign * n0[1]) / ln, (sign * n0[2]) / ln];
  let e1: Vec3;
  if (Math.abs(normal[2]) > 0.999999) {
    const x: Vec3 = [1 - normal[0] * normal[0], -normal[0] * normal[1], -normal[0] * normal[2]];
    const lx = norm(x);
    e1 = [x[0] / lx, x[1] / lx, x[2] / lx];
  } else {
    const la = norm(a);
    e1 = [a[0] / la, a[1] / la, a[2] / la];
  }
  const e2 = cross(normal, e1);
  const a2: [number, number] = [dot(a, e1), dot(a, e2)];
  const b2: [number, number] = [dot(b, e1), dot(b, e2)];
  const det = a2[0] * b2[1] - a2[1] * b2[0];
  // [x y] = [u v] [[a2], [b2]]  =>  [u v] = [x y] M^-1
  const inv2: [[number, number], [number, number]] = [
    [b2[1] / det, -a2[1] / det],
    [-b2[0] / det, a2[0] / det],
  ];
  return { normal, e1, e2, a2, b2, inv2, heightPerFracC: Math.abs(dot(c, normal)) };
}

/** In-plane coordinates (along e1, e2) of a Cartesian point. */
export function project2(frame: SurfaceFrame, p: Readonly<Vec3>): [number, number] {
  return [dot(p as Vec3, frame.e1), dot(p as Vec3, frame.e2)];
}

/** Fractions of a, b of an in-plane point. */
export function frac2(frame: SurfaceFrame, x: number, y: number): [number, number] {
  return [x * frame.inv2[0][0] + y * frame.inv2[1][0], x * frame.inv2[0][1] + y * frame.inv2[1][1]];
}

/** In-plane point of fractions (u, v) of a, b. */
export function cart2(frame: SurfaceFrame, u: number, v: number): [number, number] {
  return [u * frame.a2[0] + v * frame.b2[0], u * frame.a2[1] + v * frame.b2[1]];
}

/** Minimum-image in-plane displacement from p to q (periodic in a, b; exact for reduced cells, else checks 5x5 images). */
export function minImage2(frame: SurfaceFrame, px: number, py: number, qx: number, qy: number): [number, number] {
  const [du, dv] = frac2(frame, qx - px, qy - py);
  const u0 = du - Math.round(du);
  const v0 = dv - Math.round(dv);
  let best: [number, number] = cart2(frame, u0, v0);
  let best2 = best[0] * best[0] + best[1] * best[1];
  for (let s = -1; s <= 1; s++)
    for (let t = -1; t <= 1; t++) {
      if (s === 0 && t === 0) continue;
      const d = cart2(frame, u0 + s, v0 + t);
      const d2 = d[0] * d[0] + d[1] * d[1];
      if (d2 < best2) {
        best = d;
        best2 = d2;
      }
    }
  return best;
}

/** Minimum-image in-plane distance. */
export function distance2(frame: SurfaceFrame, px: number, py: number, qx: number, qy: number): number {
  const d = minImage2(frame, px, py, qx, qy);
  return Math.hypot(d[0], d[1]);
}
