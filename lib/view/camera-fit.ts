import type { Vec3 } from '../math/mat3';

/**
 * Frames a set of points in a perspective camera looking along -`towardCamera`: the target is the centre of the points'
 * extent across the view, and the distance is the smallest at which every point lies inside the frustum (each point
 * p at depth z toward the camera and offsets x, y across the view needs distance >= z + |x| / tan(hfov/2) and
 * >= z + |y| / tan(vfov/2)), times a margin.
 */
export interface CameraFit {
  target: Vec3;
  position: Vec3;
  distance: number;
}

const dot = (a: Readonly<Vec3>, b: Readonly<Vec3>): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a: Readonly<Vec3>, b: Readonly<Vec3>): Vec3 => [
  a[1] * b[2] - a[2] * b[1],
  a[2] * b[0] - a[0] * b[2],
  a[0] * b[1] - a[1] * b[0],
];
const unit = (a: Readonly<Vec3>): Vec3 => {
  const n = Math.hypot(a[0], a[1], a[2]);
  return n > 0 ? [a[0] / n, a[1] / n, a[2] / n] : [0, 0, 1];
};

/**
 * @param points    Cartesian Angstrom, at least one.
 * @param towardCamera  direction from the target to the camera (need not be unit length).
 * @param up        the camera's up hint (not parallel to towardCamera).
 * @param fovYDeg   vertical field of view, degrees; `aspect` = width / height of the canvas.
 * @param margin    fraction of the frame left free on each side (0.05 = 5 %).
 */
export function fitCamera(
  points: readonly Readonly<Vec3>[],
  towardCamera: Readonly<Vec3>,
  up: Readonly<Vec3>,
  fovYDeg: number,
  aspect: number,
  margin = 0.05,
): CameraFit {
  const d = unit(towardCamera);
  const right = unit(cross(up, d));
  const upv = cross(d, right);
  if (points.length === 0) return { target: [0, 0, 0], position: [...d] as Vec3, distance: 1 };
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (const p of points) {
    const x = dot(p, right);
    const y = dot(p, upv);
    x0 = Math.min(x0, x);
    x1 = Math.max(x1, x);
    y0 = Math.min(y0, y);
    y1 = Math.max(y1, y);
  }
  let z0 = 0;
  for (const p of points) z0 += dot(p, d) / points.length;
  const xm = (x0 + x1) / 2;
  const ym = (y0 + y1) / 2;
  const target: Vec3 = [0, 1, 2].map((k) => right[k] * xm + upv[k] * ym + d[k] * z0) as Vec3;
  const tanV = Math.tan((fovYDeg * Math.PI) / 360) * (1 - 2 * margin);
  const tanH = tanV * Math.max(1e-6, aspect);
  let distance = 1e-3;
  for (const p of points) {
    const q: Vec3 = [p[0] - target[0], p[1] - target[1], p[2] - target[2]];
    const z = dot(q, d);
    distance = Math.max(distance, z + Math.abs(dot(q, right)) / tanH, z + Math.abs(dot(q, upv)) / tanV);
  }
  return {
    target,
    position: [target[0] + d[0] * distance, target[1] + d[1] * distance, target[2] + d[2] * distance],
    distance,
  };
}
