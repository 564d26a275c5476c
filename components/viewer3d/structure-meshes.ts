/** Atoms, bonds, cell edges and dopant rings of the 3D viewer (../Viewer3D.tsx), in every repeat tile. */
import * as THREE from 'three';
import type { Vec3 } from '@/lib/math/mat3';
import { cartesianToFractional } from '@/lib/math/mat3';
import { elementVisual } from '@/lib/view/elements-visual';
import { bondEnds, cellEdges, findBonds, viewCentre } from '@/lib/view/structure-geometry';
import type { ViewStructure } from '@/lib/view/surface-model';
import { clearGroup, type Three } from './scene';

export const DOPANT_RING = 0xd946ef;
const ATOM_SCALE = 0.45;

const Y_AXIS = new THREE.Vector3(0, 1, 0);

/** Matrix of a unit cylinder (height 1 along y, radius 1) stretched between p and q with radius r. */
export function cylinderMatrix(p: Vec3, q: Vec3, r: number, out: THREE.Matrix4): THREE.Matrix4 {
  const a = new THREE.Vector3(...p);
  const b = new THREE.Vector3(...q);
  const dir = b.clone().sub(a);
  const len = dir.length();
  const quat = new THREE.Quaternion().setFromUnitVectors(Y_AXIS, dir.normalize());
  return out.compose(a.add(b).multiplyScalar(0.5), quat, new THREE.Vector3(r, len, r));
}

/** Fill `t.groups.structure`: atoms (instanced spheres per species), bonds, cell edges and dopant rings. */
export function drawStructure(
  t: Three,
  structure: ViewStructure,
  offsets: Vec3[],
  speciesList: string[],
  colours: Map<string, number>,
): void {
  const g = t.groups.structure;
  clearGroup(g);
  const { lattice, species, positions } = structure;
  const m = new THREE.Matrix4();
  const atoms = new THREE.Group();
  atoms.name = 'atoms';
  const sphere = new THREE.SphereGeometry(1, 24, 16);
  for (const symbol of speciesList) {
    const idx = species.flatMap((s, i) => (s === symbol ? [i] : []));
    const vis = elementVisual(symbol);
    const mesh = new THREE.InstancedMesh(
      sphere.clone(),
      new THREE.MeshStandardMaterial({ color: colours.get(symbol) ?? vis.colour, roughness: 0.5, metalness: 0.1 }),
      idx.length * offsets.length,
    );
    let n = 0;
    const r = ATOM_SCALE * vis.covalentRadiusA;
    for (const o of offsets)
      for (const i of idx) {
        const p = positions[i];
        mesh.setMatrixAt(n++, m.makeScale(r, r, r).setPosition(p[0] + o[0], p[1] + o[1], p[2] + o[2]));
      }
    atoms.add(mesh);
  }
  sphere.dispose();
  g.add(atoms);

  const bonds = findBonds(lattice, species, positions, { imageRange: [1, 1, 0] });
  const bondMesh = new THREE.InstancedMesh(
    new THREE.CylinderGeometry(1, 1, 1, 10, 1),
    new THREE.MeshStandardMaterial({ color: 0x9ca3af, roughness: 0.6 }),
    Math.max(1, bonds.length * offsets.length),
  );
  bondMesh.name = 'bonds';
  let nb = 0;
  for (const o of offsets)
    for (const bond of bonds) {
      const [p, q] = bondEnds(lattice, positions, bond);
      bondMesh.setMatrixAt(
        nb++,
        cylinderMatrix([p[0] + o[0], p[1] + o[1], p[2] + o[2]], [q[0] + o[0], q[1] + o[1], q[2] + o[2]], 0.12, m),
      );
    }
  bondMesh.count = nb;
  g.add(bondMesh);

  // Cell edges (each repeat tile), drawn at the c offset of the unwrapped slab.
  const centreFrac = cartesianToFractional(viewCentre(lattice, positions), lattice);
  const cShift = Math.floor(centreFrac[2]);
  const c = lattice[2];
  const pts: number[] = [];
  for (const o of offsets)
    for (const [p, q] of cellEdges(lattice, [o[0] + cShift * c[0], o[1] + cShift * c[1], o[2] + cShift * c[2]]))
      pts.push(...p, ...q);
  const cell = new THREE.LineSegments(
    new THREE.BufferGeometry().setAttribute('position', new THREE.Float32BufferAttribute(pts, 3)),
    new THREE.LineBasicMaterial({ color: 0x334155 }),
  );
  cell.name = 'cell';
  g.add(cell);

  // Dopants: a ring in the surface plane around each dopant atom, drawn over everything (the slice above included).
  const rings = new THREE.Group();
  rings.name = 'dopants';
  const n = new THREE.Vector3(...structure.normal);
  const ringQuat = new THREE.Quaternion().setFromUnitVectors(new THREE.Vector3(0, 0, 1), n);
  for (const o of offsets)
    for (const i of structure.dopantIndices) {
      const r = ATOM_SCALE * elementVisual(species[i]).covalentRadiusA * 1.9;
      const ring = new THREE.Mesh(
        new THREE.TorusGeometry(r, 0.1, 8, 40),
        new THREE.MeshBasicMaterial({ color: DOPANT_RING, depthTest: false, depthWrite: false, transparent: true }),
      );
      ring.renderOrder = 10;
      ring.quaternion.copy(ringQuat);
      ring.position.set(positions[i][0] + o[0], positions[i][1] + o[1], positions[i][2] + o[2]);
      rings.add(ring);
    }
  g.add(rings);
  t.requestRender();
}
