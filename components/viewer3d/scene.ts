/**
 * The three.js scene of the 3D viewer (../Viewer3D.tsx): renderer, camera, orbit controls, lights and one group per
 * layer (`Three`), rendered on demand; the visibility of the layers; disposal of a group's GPU resources.
 */
import * as THREE from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';

export interface Three {
  renderer: THREE.WebGLRenderer;
  scene: THREE.Scene;
  camera: THREE.PerspectiveCamera;
  controls: OrbitControls;
  groups: Record<'structure' | 'sites' | 'hops' | 'slice' | 'iso' | 'selection', THREE.Group>;
  sitesMesh: THREE.InstancedMesh | null;
  requestRender: () => void;
}

export type Visibility = Record<'atoms' | 'bonds' | 'cell' | 'sites' | 'hops' | 'slice' | 'iso', boolean>;

/** Dispose the geometries and materials (and textures) under a group and empty it. */
export function clearGroup(group: THREE.Group, keepTextures = false): void {
  group.traverse((o) => {
    const mesh = o as THREE.Mesh;
    if (mesh.geometry) mesh.geometry.dispose();
    const mats = mesh.material ? (Array.isArray(mesh.material) ? mesh.material : [mesh.material]) : [];
    for (const m of mats) {
      const map = (m as THREE.MeshBasicMaterial).map;
      if (map && !keepTextures) map.dispose();
      m.dispose();
    }
  });
  group.clear();
}

export function applyVisibility(t: Three, show: Visibility): void {
  for (const child of t.groups.structure.children) {
    if (child.name === 'atoms' || child.name === 'dopants') child.visible = show.atoms;
    if (child.name === 'bonds') child.visible = show.bonds;
    if (child.name === 'cell') child.visible = show.cell;
  }
  t.groups.sites.visible = show.sites;
  t.groups.selection.visible = show.sites;
  t.groups.hops.visible = show.hops;
  t.groups.slice.visible = show.slice;
  t.groups.iso.visible = show.iso;
  t.requestRender();
}

/**
 * Scene, camera, lights, controls and layer groups around a renderer, with on-demand rendering (`requestRender`) and
 * a ResizeObserver on `container` (each resize dispatches `viewer-resize` on it). Call `resize` once after; `dispose`
 * stops the observer and the pending frame and frees the controls, the groups' resources and the renderer.
 */
export function createThree(
  renderer: THREE.WebGLRenderer,
  canvas: HTMLCanvasElement,
  container: HTMLDivElement,
): { three: Three; resize: () => void; dispose: () => void } {
  renderer.setPixelRatio(Math.min(2, window.devicePixelRatio));
  const scene = new THREE.Scene();
  scene.background = new THREE.Color(0xf8fafc);
  const camera = new THREE.PerspectiveCamera(35, 1, 0.1, 2000);
  scene.add(new THREE.AmbientLight(0xffffff, 1.4));
  const sun = new THREE.DirectionalLight(0xffffff, 1.8);
  sun.position.set(10, -20, 30);
  scene.add(sun);
  camera.add(new THREE.DirectionalLight(0xffffff, 0.6));
  scene.add(camera);
  const controls = new OrbitControls(camera, canvas);
  controls.enableDamping = false;
  const groups = {
    structure: new THREE.Group(),
    sites: new THREE.Group(),
    hops: new THREE.Group(),
    slice: new THREE.Group(),
    iso: new THREE.Group(),
    selection: new THREE.Group(),
  };
  for (const g of Object.values(groups)) scene.add(g);
  let frame = 0;
  const requestRender = () => {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      renderer.render(scene, camera);
    });
  };
  controls.addEventListener('change', requestRender);
  const resize = () => {
    const w = container.clientWidth;
    const h = container.clientHeight;
    renderer.setSize(w, h, false);
    camera.aspect = w / Math.max(1, h);
    camera.updateProjectionMatrix();
    requestRender();
    container.dispatchEvent(new Event('viewer-resize'));
  };
  const observer = new ResizeObserver(resize);
  observer.observe(container);
  return {
    three: { renderer, scene, camera, controls, groups, sitesMesh: null, requestRender },
    resize,
    dispose: () => {
      observer.disconnect();
      cancelAnimationFrame(frame);
      controls.dispose();
      for (const g of Object.values(groups)) clearGroup(g);
      renderer.dispose();
    },
  };
}
