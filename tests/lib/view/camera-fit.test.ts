import { describe, expect, it } from 'vitest';
import { fitCamera } from '@/lib/view/camera-fit';
import type { Vec3 } from '@/lib/math/mat3';

/** Projects p into normalised device coordinates of a camera at `eye` looking at `target` (x right, y up). */
function ndc(p: Vec3, eye: Vec3, target: Vec3, up: Vec3, fovYDeg: number, aspect: number): [number, number] {
  const f = [target[0] - eye[0], target[1] - eye[1], target[2] - eye[2]];
  const nf = Math.hypot(...f);
  const fw = f.map((v) => v / nf);
  const r = [fw[1] * up[2] - fw[2] * up[1], fw[2] * up[0] - fw[0] * up[2], fw[0] * up[1] - fw[1] * up[0]];
  const nr = Math.hypot(...r);
  const rw = r.map((v) => v / nr);
  const u = [rw[1] * fw[2] - rw[2] * fw[1], rw[2] * fw[0] - rw[0] * fw[2], rw[0] * fw[1] - rw[1] * fw[0]];
  const q = [p[0] - eye[0], p[1] - eye[1], p[2] - eye[2]];
  const depth = q[0] * fw[0] + q[1] * fw[1] + q[2] * fw[2];
  const t = Math.tan((fovYDeg * Math.PI) / 360);
  return [
    (q[0] * rw[0] + q[1] * rw[1] + q[2] * rw[2]) / (depth * t * aspect),
    (q[0] * u[0] + q[1] * u[1] + q[2] * u[2]) / (depth * t),
  ];
}

describe('fitCamera', () => {
  it('looking straight down at a square, fits the tighter (vertical) direction edge to edge', () => {
    // Square of side 2 in the z = 0 plane seen from +z with a 90 degree vertical field: tan(45) = 1, so the camera
    // sits at distance 1 from the plane (hand derivation), target at the square's centre.
    const pts: Vec3[] = [
      [-1, -1, 0],
      [1, -1, 0],
      [1, 1, 0],
      [-1, 1, 0],
    ];
    const fit = fitCamera(pts, [0, 0, 1], [0, 1, 0], 90, 2, 0);
    expect(fit.distance).toBeCloseTo(1, 12);
    expect(fit.target).toEqual([0, 0, 0]);
  });

  it('keeps every corner of a tall tilted cell inside the frame and touches its edge', () => {
    const box: Vec3[] = [];
    for (const x of [0, 9.5]) for (const y of [0, 8.2]) for (const z of [0, 21]) box.push([x, y, z]);
    const toward: Vec3 = [0, -Math.cos(0.9), Math.sin(0.9)];
    const aspect = 2.2;
    const fit = fitCamera(box, toward, [0, 0, 1], 35, aspect, 0.05);
    const coords = box.map((p) => ndc(p, fit.position, fit.target, [0, 0, 1], 35, aspect));
    const extent = Math.max(...coords.flat().map(Math.abs));
    expect(extent).toBeLessThanOrEqual(0.9 + 1e-9);
    expect(extent).toBeGreaterThan(0.8);
  });
});
