/** Sites and hops of the 3D viewer (../Viewer3D.tsx): spheres coloured by E_b, tubes by barrier, the selection ring. */
import * as THREE from 'three';
import type { ColormapName } from '@/lib/epdi/settings';
import type { Mat3, Vec3 } from '@/lib/math/mat3';
import { colourOf } from '@/lib/view/colour-scale';
import { hopPath } from '@/lib/view/structure-geometry';
import { siteEnergy, type EnergySource, type HopPathView, type ViewSite } from '@/lib/view/surface-model';
import { clearGroup, type Three } from './scene';

export const ENERGY_COLORMAP: ColormapName = 'plasma';
export const BARRIER_COLORMAP: ColormapName = 'inferno';
const NO_VALUE = new THREE.Color(0x94a3b8);
const SITE_RADIUS = 0.28;

/** Sites (instanced spheres coloured by E_b) and hop tubes (coloured by barrier) in every repeat tile. */
export function drawSitesAndHops(
  t: Three,
  sites: ViewSite[],
  paths: HopPathView[],
  offsets: Vec3[],
  energySource: EnergySource,
  energyRange: [number, number] | null,
  barrierRange: [number, number] | null,
  lattice: Mat3,
): void {
  clearGroup(t.groups.sites);
  clearGroup(t.groups.hops);
  const m = new THREE.Matrix4();
  const colour = new THREE.Color();
  const rgb: [number, number, number] = [0, 0, 0];
  const mesh = new THREE.InstancedMesh(
    new THREE.SphereGeometry(1, 16, 12),
    new THREE.MeshStandardMaterial({ color: 0xffffff, roughness: 0.4 }),
    Math.max(1, sites.length * offsets.length),
  );
  let k = 0;
  for (const o of offsets)
    sites.forEach((s) => {
      const e = siteEnergy(s, energySource);
      const r = s.kind === 'bridge' ? SITE_RADIUS * 0.7 : SITE_RADIUS;
      mesh.setMatrixAt(
        k,
        m.makeScale(r, r, r).setPosition(s.position[0] + o[0], s.position[1] + o[1], s.position[2] + o[2]),
      );
      if (e !== null && energyRange)
        colour.setRGB(...colourOf(e, { range: energyRange, colormap: ENERGY_COLORMAP }, rgb), THREE.SRGBColorSpace);
      else colour.copy(NO_VALUE);
      mesh.setColorAt(k++, colour);
    });
  mesh.count = k;
  t.groups.sites.add(mesh);
  t.sitesMesh = mesh;

  const byId = new Map(sites.map((s) => [s.id, s]));
  for (const path of paths) {
    const [a, s, b] = hopPath(
      lattice,
      byId.get(path.from)!.position,
      byId.get(path.saddle)!.position,
      byId.get(path.to)!.position,
    );
    const curve = new THREE.CurvePath<THREE.Vector3>();
    curve.add(new THREE.LineCurve3(new THREE.Vector3(...a), new THREE.Vector3(...s)));
    curve.add(new THREE.LineCurve3(new THREE.Vector3(...s), new THREE.Vector3(...b)));
    const geometry = new THREE.TubeGeometry(curve, 8, 0.06, 6, false);
    const c =
      path.barrierEv !== null && barrierRange
        ? new THREE.Color().setRGB(
            ...colourOf(path.barrierEv, { range: barrierRange, colormap: BARRIER_COLORMAP }),
            THREE.SRGBColorSpace,
          )
        : new THREE.Color(0x64748b);
    const material = new THREE.MeshStandardMaterial({ color: c, roughness: 0.7 });
    for (const o of offsets) {
      const tube = new THREE.Mesh(geometry, material);
      tube.position.set(o[0], o[1], o[2]);
      t.groups.hops.add(tube);
    }
  }
  t.requestRender();
}

/** The selected site: a ring around it in the surface plane. */
export function drawSelection(t: Three, sites: ViewSite[], selectedSiteId: string | null, normal: Vec3): void {
  clearGroup(t.groups.selection);
  const s = sites.find((x) => x.id === selectedSiteId);
  if (s) {
    const ring = new THREE.Mesh(
      new THREE.TorusGeometry(0.5, 0.06, 8, 40),
      new THREE.MeshBasicMaterial({ color: 0x0ea5e9 }),
    );
    ring.quaternion.setFromUnitVectors(new THREE.Vector3(0, 0, 1), new THREE.Vector3(...normal));
    ring.position.set(...s.position);
    t.groups.selection.add(ring);
  }
  t.requestRender();
}
