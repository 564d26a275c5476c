/** The potential in the 3D viewer (../Viewer3D.tsx): the slice as a textured parallelogram, the isosurface. */
import * as THREE from 'three';
import type { ColormapName } from '@/lib/epdi/settings';
import type { Vec3 } from '@/lib/math/mat3';
import { cartesianToFractional } from '@/lib/math/mat3';
import { valuesToRgba } from '@/lib/view/colour-scale';
import type { SliceHeader } from '@/lib/view/slice';
import { sliceCorners } from '@/lib/view/slice';
import { viewCentre } from '@/lib/view/structure-geometry';
import type { ViewStructure } from '@/lib/view/surface-model';
import { clearGroup, type Three } from './scene';

export interface SliceData {
  header: SliceHeader;
  values: Float32Array;
}

/** The potential slice, one textured parallelogram per repeat tile. */
export function drawSlice(
  t: Three,
  slice: SliceData | null,
  sliceRange: [number, number] | null,
  sliceColormap: ColormapName,
  offsets: Vec3[],
): void {
  clearGroup(t.groups.slice);
  if (!slice || !sliceRange) return void t.requestRender();
  const { header, values } = slice;
  const rgba = valuesToRgba(values, { range: sliceRange, colormap: sliceColormap });
  const texture = new THREE.DataTexture(new Uint8Array(rgba.buffer), header.width, header.height, THREE.RGBAFormat);
  texture.colorSpace = THREE.SRGBColorSpace;
  texture.magFilter = THREE.LinearFilter;
  texture.minFilter = THREE.LinearFilter;
  texture.wrapS = THREE.RepeatWrapping;
  texture.wrapT = THREE.RepeatWrapping;
  texture.needsUpdate = true;
  const corners = sliceCorners(header);
  const geometry = new THREE.BufferGeometry();
  geometry.setAttribute('position', new THREE.Float32BufferAttribute(corners.flat(), 3));
  geometry.setAttribute('uv', new THREE.Float32BufferAttribute([0, 0, 1, 0, 1, 1, 0, 1], 2));
  geometry.setIndex([0, 1, 2, 0, 2, 3]);
  const material = new THREE.MeshBasicMaterial({
    map: texture,
    side: THREE.DoubleSide,
    transparent: true,
    opacity: 0.9,
    depthWrite: false,
  });
  for (const o of offsets) {
    const mesh = new THREE.Mesh(geometry, material);
    mesh.position.set(o[0], o[1], o[2]);
    mesh.renderOrder = 1;
    t.groups.slice.add(mesh);
  }
  t.requestRender();
}

/** The isosurface triangles (one cell, from the worker) in every repeat tile, at the c offset of the drawn slab. */
export function drawIsosurface(t: Three, positions: Float32Array | null, structure: ViewStructure, offsets: Vec3[]): void {
  clearGroup(t.groups.iso);
  if (!positions || positions.length === 0) return void t.requestRender();
  const geometry = new THREE.BufferGeometry();
  geometry.setAttribute('position', new THREE.BufferAttribute(positions, 3));
  geometry.computeVertexNormals();
  const material = new THREE.MeshPhongMaterial({
    color: 0x38bdf8,
    transparent: true,
    opacity: 0.45,
    side: THREE.DoubleSide,
    depthWrite: false,
    shininess: 40,
  });
  const { lattice } = structure;
  const cShift = Math.floor(cartesianToFractional(viewCentre(lattice, structure.positions), lattice)[2]);
  const c = lattice[2];
  for (const o of offsets) {
    const mesh = new THREE.Mesh(geometry, material);
    mesh.position.set(o[0] + cShift * c[0], o[1] + cShift * c[1], o[2] + cShift * c[2]);
    mesh.renderOrder = 2;
    t.groups.iso.add(mesh);
  }
  t.requestRender();
}
