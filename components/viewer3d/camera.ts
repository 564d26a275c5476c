/** The 3D viewer's camera framing (../Viewer3D.tsx "Reset view"). */
import * as THREE from 'three';
import type { Vec3 } from '@/lib/math/mat3';
import { cartesianToFractional } from '@/lib/math/mat3';
import { fitCamera } from '@/lib/view/camera-fit';
import { cellEdges, viewCentre } from '@/lib/view/structure-geometry';
import type { ViewStructure } from '@/lib/view/surface-model';
import type { Three } from './scene';

/** Camera elevation above the surface plane on load and on "Reset view", degrees. */
const VIEW_ELEVATION_DEG = 60;

/**
 * Camera looking down at the slab from the front (VIEW_ELEVATION_DEG above the plane), framed on what is drawn: the
 * atoms and the cell of every repeat tile (the cell holds the potential slice at any height), edge to edge.
 */
export function fitView(t: Three, structure: ViewStructure, offsets: Vec3[]): void {
  const { lattice, positions } = structure;
  const cShift = Math.floor(cartesianToFractional(viewCentre(lattice, positions), lattice)[2]);
  const c = lattice[2];
  const points: Vec3[] = [];
  for (const o of offsets) {
    for (const p of positions) points.push([p[0] + o[0], p[1] + o[1], p[2] + o[2]]);
    for (const [p, q] of cellEdges(lattice, [o[0] + cShift * c[0], o[1] + cShift * c[1], o[2] + cShift * c[2]]))
      points.push(p, q);
  }
  const el = THREE.MathUtils.degToRad(VIEW_ELEVATION_DEG);
  const n = structure.normal;
  const e2 = structure.e2;
  const toward: Vec3 = [0, 1, 2].map((k) => -Math.cos(el) * e2[k] + Math.sin(el) * n[k]) as Vec3;
  const fit = fitCamera(points, toward, n, t.camera.fov, t.camera.aspect, 0.04);
  t.camera.up.set(...n);
  t.camera.position.set(...fit.position);
  t.camera.near = Math.max(0.05, fit.distance / 100);
  t.camera.far = fit.distance * 20;
  t.camera.updateProjectionMatrix();
  t.controls.target.set(...fit.target);
  t.controls.update();
  t.requestRender();
}
