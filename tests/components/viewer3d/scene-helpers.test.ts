import * as THREE from 'three';
import { describe, expect, it } from 'vitest';
import { clearGroup } from '@/components/viewer3d/scene';
import { cylinderMatrix } from '@/components/viewer3d/structure-meshes';

describe('cylinderMatrix', () => {
  // A unit cylinder runs from y = -0.5 to y = +0.5 with radius 1; the matrix must carry its end centres onto p and q
  // and its rim to distance r from the p-q axis (hand derivation: translate to the midpoint, scale (r, |q-p|, r),
  // rotate y onto the unit vector of q - p).
  it.each([
    [[0, 0, 0], [0, 0, 2], 0.1],
    [[1, 2, 3], [4, 6, 3], 0.25],
    [[-1, 0.5, 2], [-1, 0.5, -3], 0.12],
  ] as [[number, number, number], [number, number, number], number][])(
    'maps the unit cylinder onto the segment %j -> %j with radius %s',
    (p, q, r) => {
      const m = cylinderMatrix(p, q, r, new THREE.Matrix4());
      const bottom = new THREE.Vector3(0, -0.5, 0).applyMatrix4(m);
      const top = new THREE.Vector3(0, 0.5, 0).applyMatrix4(m);
      for (let k = 0; k < 3; k++) {
        expect(bottom.getComponent(k)).toBeCloseTo(p[k], 10);
        expect(top.getComponent(k)).toBeCloseTo(q[k], 10);
      }
      const axis = new THREE.Vector3(q[0] - p[0], q[1] - p[1], q[2] - p[2]).normalize();
      const mid = new THREE.Vector3((p[0] + q[0]) / 2, (p[1] + q[1]) / 2, (p[2] + q[2]) / 2);
      for (const rim of [new THREE.Vector3(1, 0, 0), new THREE.Vector3(0, 0, 1)]) {
        const d = rim.applyMatrix4(m).sub(mid);
        expect(d.dot(axis)).toBeCloseTo(0, 10);
        expect(d.length()).toBeCloseTo(r, 10);
      }
    },
  );
});

describe('clearGroup', () => {
  function meshWithTexture(): { mesh: THREE.Mesh; disposed: string[] } {
    const disposed: string[] = [];
    const geometry = new THREE.BoxGeometry();
    const map = new THREE.DataTexture(new Uint8Array(4), 1, 1);
    const material = new THREE.MeshBasicMaterial({ map });
    geometry.addEventListener('dispose', () => disposed.push('geometry'));
    material.addEventListener('dispose', () => disposed.push('material'));
    map.addEventListener('dispose', () => disposed.push('texture'));
    return { mesh: new THREE.Mesh(geometry, material), disposed };
  }

  it('disposes geometries, materials and textures of nested children and empties the group', () => {
    const group = new THREE.Group();
    const inner = new THREE.Group();
    const a = meshWithTexture();
    const b = meshWithTexture();
    group.add(a.mesh, inner);
    inner.add(b.mesh);
    clearGroup(group);
    expect(group.children).toHaveLength(0);
    expect(a.disposed.sort()).toEqual(['geometry', 'material', 'texture']);
    expect(b.disposed.sort()).toEqual(['geometry', 'material', 'texture']);
  });

  it('keeps textures when asked', () => {
    const group = new THREE.Group();
    const a = meshWithTexture();
    group.add(a.mesh);
    clearGroup(group, true);
    expect(group.children).toHaveLength(0);
    expect(a.disposed.sort()).toEqual(['geometry', 'material']);
  });
});
