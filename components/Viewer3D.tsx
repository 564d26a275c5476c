'use client';

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import * as THREE from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import type { ColormapName } from '@/lib/epdi/settings';
import type { Vec3 } from '@/lib/math/mat3';
import { cartesianToFractional } from '@/lib/math/mat3';
import { parseFloat32Body } from '@/lib/view/binary-body';
import { colourOf, finiteRange, valuesToRgba } from '@/lib/view/colour-scale';
import { fitCamera } from '@/lib/view/camera-fit';
import { cssHex, elementVisual, speciesColours, speciesRole } from '@/lib/view/elements-visual';
import { formatFixed, siteDisplayName } from '@/lib/view/format';
import { POTENTIAL_SYMBOL } from '@/lib/view/units';
import type { GridHeader, SliceHeader } from '@/lib/view/slice';
import { sliceCorners } from '@/lib/view/slice';
import { bondEnds, cellEdges, findBonds, hopPath, repeatOffsets, viewCentre } from '@/lib/view/structure-geometry';
import {
  hopPaths,
  siteEnergy,
  type EnergySource,
  type ViewHop,
  type ViewSite,
  type ViewStructure,
} from '@/lib/view/surface-model';
import type { IsoRequest, IsoResponse } from './isosurface.worker';
import { ColourBar } from './ColourBar';

export interface SliceData {
  header: SliceHeader;
  values: Float32Array;
}

interface Props {
  surfaceName: string;
  structure: ViewStructure;
  sites: ViewSite[];
  hops: ViewHop[];
  slice: SliceData | null;
  sliceRange: [number, number] | null;
  sliceColormap: ColormapName;
  energySource: EnergySource;
  gridUrl: string;
  selectedSiteId: string | null;
  onSelectSite: (id: string | null) => void;
}

const ENERGY_COLORMAP: ColormapName = 'plasma';
const BARRIER_COLORMAP: ColormapName = 'inferno';
const NO_VALUE = new THREE.Color(0x94a3b8);
const DOPANT_RING = 0xd946ef;
const ATOM_SCALE = 0.45;
/** Camera elevation above the surface plane on load and on "Reset view", degrees. */
const VIEW_ELEVATION_DEG = 60;
const SITE_RADIUS = 0.28;

interface Three {
  renderer: THREE.WebGLRenderer;
  scene: THREE.Scene;
  camera: THREE.PerspectiveCamera;
  controls: OrbitControls;
  groups: Record<'structure' | 'sites' | 'hops' | 'slice' | 'iso' | 'selection', THREE.Group>;
  sitesMesh: THREE.InstancedMesh | null;
  requestRender: () => void;
}

/** Dispose the geometries and materials (and textures) under a group and empty it. */
function clearGroup(group: THREE.Group, keepTextures = false): void {
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

const Y_AXIS = new THREE.Vector3(0, 1, 0);

/** Matrix of a unit cylinder (height 1 along y, radius 1) stretched between p and q with radius r. */
function cylinderMatrix(p: Vec3, q: Vec3, r: number, out: THREE.Matrix4): THREE.Matrix4 {
  const a = new THREE.Vector3(...p);
  const b = new THREE.Vector3(...q);
  const dir = b.clone().sub(a);
  const len = dir.length();
  const quat = new THREE.Quaternion().setFromUnitVectors(Y_AXIS, dir.normalize());
  return out.compose(a.add(b).multiplyScalar(0.5), quat, new THREE.Vector3(r, len, r));
}

type Visibility = Record<'atoms' | 'bonds' | 'cell' | 'sites' | 'hops' | 'slice' | 'iso', boolean>;

function applyVisibility(t: Three, show: Visibility): void {
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

/** The isosurface triangles (one cell, from the worker) in every repeat tile, at the c offset of the drawn slab. */
function drawIsosurface(t: Three, positions: Float32Array | null, structure: ViewStructure, offsets: Vec3[]): void {
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

export function Viewer3D(props: Props) {
  const {
    surfaceName,
    structure,
    sites,
    hops,
    slice,
    sliceRange,
    sliceColormap,
    energySource,
    gridUrl,
    selectedSiteId,
    onSelectSite,
  } = props;
  const containerRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const threeRef = useRef<Three | null>(null);
  const [repeat, setRepeat] = useState(1);
  const [show, setShow] = useState<Visibility>({
    atoms: true,
    bonds: true,
    cell: true,
    sites: true,
    hops: true,
    slice: true,
    iso: false,
  });
  const [hover, setHover] = useState<{ x: number; y: number; site: ViewSite } | null>(null);
  const [isoLevel, setIsoLevel] = useState<number | null>(null);
  const [isoGrid, setIsoGrid] = useState<GridHeader | null>(null);
  const [isoStatus, setIsoStatus] = useState('');
  const [webglError, setWebglError] = useState<string | null>(null);
  const [isoPositions, setIsoPositions] = useState<Float32Array | null>(null);
  const workerRef = useRef<Worker | null>(null);
  const requestIdRef = useRef(0);

  const energyRange = useMemo(() => finiteRange(sites.map((s) => siteEnergy(s, energySource))), [sites, energySource]);
  const paths = useMemo(() => hopPaths(sites, hops, energySource), [sites, hops, energySource]);
  const barrierRange = useMemo(() => finiteRange(paths.map((p) => p.barrierEv)), [paths]);
  const speciesList = useMemo(() => [...new Set(structure.species)], [structure.species]);
  const dopantSpecies = useMemo(
    () => [...new Set(structure.dopantIndices.map((i) => structure.species[i]))],
    [structure],
  );
  const offsets = useMemo(() => repeatOffsets(structure.lattice, repeat), [structure.lattice, repeat]);
  const colours = useMemo(() => speciesColours(structure.species, dopantSpecies), [structure.species, dopantSpecies]);

  /**
   * Camera looking down at the slab from the front (VIEW_ELEVATION_DEG above the plane), framed on what is drawn: the
   * atoms and the cell of every repeat tile (the cell holds the potential slice at any height), edge to edge.
   */
  const resetView = useCallback(() => {
    const t = threeRef.current;
    if (!t) return;
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
  }, [structure, offsets]);

  // Renderer, camera, controls, lights: once.
  useEffect(() => {
    const canvas = canvasRef.current;
    const container = containerRef.current;
    if (!canvas || !container) return;
    let renderer: THREE.WebGLRenderer;
    try {
      renderer = new THREE.WebGLRenderer({ canvas, antialias: true, preserveDrawingBuffer: true });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      queueMicrotask(() => setWebglError(message));
      return;
    }
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
    threeRef.current = { renderer, scene, camera, controls, groups, sitesMesh: null, requestRender };
    resize();
    return () => {
      observer.disconnect();
      cancelAnimationFrame(frame);
      controls.dispose();
      for (const g of Object.values(groups)) clearGroup(g);
      renderer.dispose();
      threeRef.current = null;
    };
  }, []);

  useEffect(() => {
    resetView();
    // Refit when the canvas changes shape (first layout, window resize) until the user moves the camera.
    const container = containerRef.current;
    const t = threeRef.current;
    if (!container || !t) return;
    let userMoved = false;
    const onStart = () => (userMoved = true);
    const onResize = () => {
      if (!userMoved) resetView();
    };
    t.controls.addEventListener('start', onStart);
    container.addEventListener('viewer-resize', onResize);
    return () => {
      t.controls.removeEventListener('start', onStart);
      container.removeEventListener('viewer-resize', onResize);
    };
  }, [resetView]);

  // Atoms, bonds, cell, dopant rings.
  useEffect(() => {
    const t = threeRef.current;
    if (!t) return;
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
  }, [structure, offsets, speciesList, colours]);

  // Sites (instanced spheres coloured by E_b) and hop tubes (coloured by barrier).
  useEffect(() => {
    const t = threeRef.current;
    if (!t) return;
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
        structure.lattice,
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
  }, [sites, paths, offsets, energySource, energyRange, barrierRange, structure.lattice]);

  // Selected site: a ring around it.
  useEffect(() => {
    const t = threeRef.current;
    if (!t) return;
    clearGroup(t.groups.selection);
    const s = sites.find((x) => x.id === selectedSiteId);
    if (s) {
      const ring = new THREE.Mesh(
        new THREE.TorusGeometry(0.5, 0.06, 8, 40),
        new THREE.MeshBasicMaterial({ color: 0x0ea5e9 }),
      );
      ring.quaternion.setFromUnitVectors(new THREE.Vector3(0, 0, 1), new THREE.Vector3(...structure.normal));
      ring.position.set(...s.position);
      t.groups.selection.add(ring);
    }
    t.requestRender();
  }, [sites, selectedSiteId, structure.normal]);

  // The potential slice, one textured parallelogram per repeat tile.
  useEffect(() => {
    const t = threeRef.current;
    if (!t) return;
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
  }, [slice, sliceRange, sliceColormap, offsets]);

  // Isosurface: fetch the down-sampled grid once, hand it to the worker, ask for surfaces as the level changes.
  useEffect(() => {
    if (!show.iso || workerRef.current) return;
    let cancelled = false;
    const worker = new Worker(new URL('./isosurface.worker.ts', import.meta.url), { type: 'module' });
    workerRef.current = worker;
    worker.onmessage = (ev: MessageEvent<IsoResponse>) => {
      const msg = ev.data;
      if (msg.type === 'error') return setIsoStatus(`isosurface failed: ${msg.message}`);
      if (msg.requestId !== requestIdRef.current) return; // a newer level is on its way
      setIsoPositions(msg.positions);
      setIsoStatus(
        `${msg.triangleCount.toLocaleString()} triangles at ${POTENTIAL_SYMBOL} = ${formatFixed(msg.level, 2)} eV (${msg.ms.toFixed(0)} ms in the worker)`,
      );
    };
    setIsoStatus('loading the down-sampled grid…');
    fetch(gridUrl)
      .then(async (res) => {
        if (!res.ok) throw new Error(`${res.status} ${res.statusText}`);
        const { header, values } = parseFloat32Body(new Uint8Array(await res.arrayBuffer()));
        if (cancelled) return;
        const h = header as GridHeader;
        worker.postMessage({
          type: 'grid',
          field: { dims: h.dims, lattice: h.lattice, data: values },
        } satisfies IsoRequest);
        setIsoGrid(h);
        setIsoLevel((level) => level ?? (h.minEv < -1 && h.maxEv > -1 ? -1 : (h.minEv + h.maxEv) / 2));
      })
      .catch((err: unknown) =>
        setIsoStatus(`could not load the grid: ${err instanceof Error ? err.message : String(err)}`),
      );
    return () => {
      cancelled = true;
    };
  }, [show.iso, gridUrl]);

  useEffect(() => () => workerRef.current?.terminate(), []);

  useEffect(() => {
    if (!show.iso || !isoGrid || isoLevel === null || !workerRef.current) return;
    const id = ++requestIdRef.current;
    const timer = setTimeout(() => {
      setIsoStatus('computing…');
      workerRef.current?.postMessage({ type: 'level', level: isoLevel, requestId: id } satisfies IsoRequest);
    }, 150);
    return () => clearTimeout(timer);
  }, [show.iso, isoGrid, isoLevel]);

  useEffect(() => {
    const t = threeRef.current;
    if (t) drawIsosurface(t, isoPositions, structure, offsets);
  }, [isoPositions, offsets, structure]);

  // Visibility toggles.
  useEffect(() => {
    const t = threeRef.current;
    if (t) applyVisibility(t, show);
  }, [show, structure, offsets, sites, slice, isoPositions]);

  const pickSite = useCallback(
    (ev: React.PointerEvent<HTMLCanvasElement>): ViewSite | null => {
      const t = threeRef.current;
      if (!t || !t.sitesMesh || !show.sites) return null;
      const rect = ev.currentTarget.getBoundingClientRect();
      const ndc = new THREE.Vector2(
        ((ev.clientX - rect.left) / rect.width) * 2 - 1,
        -((ev.clientY - rect.top) / rect.height) * 2 + 1,
      );
      const ray = new THREE.Raycaster();
      ray.setFromCamera(ndc, t.camera);
      const hit = ray.intersectObject(t.sitesMesh, false)[0];
      return hit && hit.instanceId !== undefined ? sites[hit.instanceId % sites.length] : null;
    },
    [sites, show.sites],
  );

  const screenshot = () => {
    const t = threeRef.current;
    if (!t) return;
    t.renderer.render(t.scene, t.camera);
    const a = document.createElement('a');
    a.href = t.renderer.domElement.toDataURL('image/png');
    a.download = `${surfaceName}-3d.png`;
    a.click();
  };

  const toggle = (key: keyof typeof show, label: string) => (
    <label className="flex items-center gap-1">
      <input
        type="checkbox"
        checked={show[key]}
        onChange={(e) => setShow((s) => ({ ...s, [key]: e.target.checked }))}
      />
      {label}
    </label>
  );

  const energyLabel =
    energySource === 'dft' ? 'Site E_b, DFT (predicted where missing)' : 'Site E_b, predicted (DFT where missing)';

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm" role="toolbar" aria-label="3D view controls">
        <span className="flex items-center gap-1" role="radiogroup" aria-label="Periodic repeat">
          Repeat
          {[1, 2, 3].map((n) => (
            <button
              key={n}
              type="button"
              role="radio"
              aria-checked={repeat === n}
              onClick={() => setRepeat(n)}
              className={`rounded border px-2 py-0.5 text-xs ${repeat === n ? 'border-indigo-600 bg-indigo-600 text-white' : 'border-slate-300 bg-white'}`}
            >
              {n}×{n}
            </button>
          ))}
        </span>
        {toggle('atoms', 'Atoms')}
        {toggle('bonds', 'Bonds')}
        {toggle('cell', 'Cell')}
        {toggle('sites', 'Sites')}
        {toggle('hops', 'Hops')}
        {toggle('slice', 'Potential slice')}
        {toggle('iso', 'Isosurface')}
        <button
          type="button"
          onClick={resetView}
          className="rounded border border-slate-300 bg-white px-2 py-0.5 text-xs"
        >
          Reset view
        </button>
        <button
          type="button"
          onClick={screenshot}
          className="rounded border border-slate-300 bg-white px-2 py-0.5 text-xs"
        >
          Screenshot (PNG)
        </button>
      </div>
      {show.iso && (
        <div className="flex flex-wrap items-center gap-3 text-sm">
          <label className="flex items-center gap-2">
            Isosurface level, {POTENTIAL_SYMBOL} (eV)
            <input
              type="range"
              aria-label="Isosurface level in eV"
              min={isoGrid?.minEv ?? -10}
              max={isoGrid?.maxEv ?? 0}
              step={0.05}
              value={isoLevel ?? -1}
              disabled={!isoGrid}
              onChange={(e) => setIsoLevel(Number(e.target.value))}
              className="w-56"
            />
            <span className="w-16 tabular-nums">{formatFixed(isoLevel, 2)} eV</span>
          </label>
          <span className="text-xs text-slate-500" role="status">
            {isoStatus}
            {isoGrid && ` · grid ${isoGrid.dims.join('×')} from ${isoGrid.sourceDims.join('×')}`}
          </span>
        </div>
      )}
      <div
        ref={containerRef}
        className="relative h-[460px] w-full overflow-hidden rounded border border-slate-200 bg-slate-50"
      >
        <canvas
          ref={canvasRef}
          className="block h-full w-full"
          role="img"
          aria-label={`3D view of ${surfaceName}: atoms, bonds, unit cell, binding sites, hops and the potential slice; drag to rotate, scroll to zoom`}
          onPointerMove={(ev) => {
            const s = pickSite(ev);
            const rect = ev.currentTarget.getBoundingClientRect();
            setHover(s ? { x: ev.clientX - rect.left, y: ev.clientY - rect.top, site: s } : null);
          }}
          onPointerLeave={() => setHover(null)}
          onClick={(ev) => {
            const s = pickSite(ev as unknown as React.PointerEvent<HTMLCanvasElement>);
            if (s) onSelectSite(s.id);
          }}
        />
        {webglError && (
          <p role="alert" className="absolute inset-x-0 top-1/3 text-center text-sm text-red-700">
            WebGL is not available in this browser: {webglError}
          </p>
        )}
        {hover && (
          <div
            className="pointer-events-none absolute z-10 rounded bg-slate-900/90 px-2 py-1 text-xs text-white"
            style={{ left: hover.x + 12, top: hover.y + 12 }}
          >
            <SiteSummary site={hover.site} />
          </div>
        )}
        <div
          className="pointer-events-none absolute left-2 top-2 space-y-0.5 rounded bg-white/90 px-2 py-1 text-xs shadow-sm"
          role="group"
          aria-label="Legend"
        >
          {speciesList.map((s) => (
            <div key={s} className="flex items-center gap-1.5">
              <span
                className="inline-block h-3 w-3 rounded-full border border-slate-400"
                style={{ background: cssHex(colours.get(s) ?? elementVisual(s).colour) }}
              />
              <span className="font-medium">{s}</span>
              <span className="text-slate-500">{speciesRole(s, dopantSpecies)}</span>
              {dopantSpecies.includes(s) && (
                <span
                  className="inline-block h-3 w-3 rounded-full border-2"
                  style={{ borderColor: cssHex(DOPANT_RING) }}
                  title="dopant marker (drawn over the slice)"
                />
              )}
            </div>
          ))}
          <div className="flex items-center gap-1.5 text-slate-600">
            <span className="inline-block h-2.5 w-2.5 rounded-full bg-gradient-to-r from-indigo-800 to-amber-300" />
            site (colour: E_b)
          </div>
          <div className="flex items-center gap-1.5 text-slate-600">
            <span className="inline-block h-1 w-3 bg-gradient-to-r from-black to-yellow-200" />
            hop (colour: barrier)
          </div>
        </div>
      </div>
      <div className="flex flex-wrap gap-6">
        {energyRange ? (
          <ColourBar range={energyRange} colormap={ENERGY_COLORMAP} label={energyLabel} />
        ) : (
          <p className="text-xs text-slate-500">Sites: no binding energies yet (grey markers).</p>
        )}
        {barrierRange ? (
          <ColourBar range={barrierRange} colormap={BARRIER_COLORMAP} label="Hop barrier max(E_S − E_A, E_S − E_B)" />
        ) : (
          <p className="text-xs text-slate-500">Hops: barriers unknown (grey tubes).</p>
        )}
        {sliceRange && slice && (
          <ColourBar
            range={sliceRange}
            colormap={sliceColormap}
            label={`${POTENTIAL_SYMBOL} at ${formatFixed(slice.header.heightA, 2)} Å above top X`}
          />
        )}
      </div>
    </div>
  );
}

/** Kind, MEP, E_b (DFT, predicted ± sigma) of a site, for tooltips. */
export function SiteSummary({ site }: { site: ViewSite }) {
  const f = (v: number | null, d = 3) => formatFixed(v, d);
  return (
    <div className="space-y-0.5">
      <div className="font-semibold">
        {siteDisplayName(site.name, site.label)} · {site.kind}
      </div>
      <div>
        MEP {POTENTIAL_SYMBOL} {f(site.mepV)} eV
      </div>
      <div>E_b (DFT) {f(site.eBindingEv)} eV</div>
      <div>
        E_b (pred.) {f(site.predictedEv)}
        {site.sigmaEv !== null && ` ± ${f(site.sigmaEv)}`} eV
      </div>
    </div>
  );
}
