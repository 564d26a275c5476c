'use client';

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import * as THREE from 'three';
import type { ColormapName } from '@/lib/epdi/settings';
import { finiteRange } from '@/lib/view/colour-scale';
import { speciesColours } from '@/lib/view/elements-visual';
import { formatFixed } from '@/lib/view/format';
import { POTENTIAL_SYMBOL } from '@/lib/view/units';
import { repeatOffsets } from '@/lib/view/structure-geometry';
import {
  hopPaths,
  siteEnergy,
  type EnergySource,
  type ViewHop,
  type ViewSite,
  type ViewStructure,
} from '@/lib/view/surface-model';
import { ColourBar } from './ColourBar';
import { SiteSummary } from './SiteSummary';
import { useIsosurface } from './useIsosurface';
import { fitView } from './viewer3d/camera';
import { drawIsosurface, drawSlice, type SliceData } from './viewer3d/field-meshes';
import { applyVisibility, createThree, type Three, type Visibility } from './viewer3d/scene';
import { BARRIER_COLORMAP, drawSelection, drawSitesAndHops, ENERGY_COLORMAP } from './viewer3d/site-meshes';
import { Legend } from './viewer3d/Legend';
import { drawStructure } from './viewer3d/structure-meshes';

// The scene is built by ./viewer3d/ (no React state there); SliceData and SiteSummary are re-exported for the views.
export type { SliceData } from './viewer3d/field-meshes';
export { SiteSummary } from './SiteSummary';

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
  const [webglError, setWebglError] = useState<string | null>(null);

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

  /** Frame the camera on what is drawn (./viewer3d/camera.ts `fitView`). */
  const resetView = useCallback(() => {
    const t = threeRef.current;
    if (t) fitView(t, structure, offsets);
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
    const { three, resize, dispose } = createThree(renderer, canvas, container);
    threeRef.current = three;
    resize();
    return () => {
      dispose();
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
    if (t) drawStructure(t, structure, offsets, speciesList, colours);
  }, [structure, offsets, speciesList, colours]);

  // Sites (instanced spheres coloured by E_b) and hop tubes (coloured by barrier).
  useEffect(() => {
    const t = threeRef.current;
    if (t) drawSitesAndHops(t, sites, paths, offsets, energySource, energyRange, barrierRange, structure.lattice);
  }, [sites, paths, offsets, energySource, energyRange, barrierRange, structure.lattice]);

  // Selected site: a ring around it.
  useEffect(() => {
    const t = threeRef.current;
    if (t) drawSelection(t, sites, selectedSiteId, structure.normal);
  }, [sites, selectedSiteId, structure.normal]);

  // The potential slice, one textured parallelogram per repeat tile.
  useEffect(() => {
    const t = threeRef.current;
    if (t) drawSlice(t, slice, sliceRange, sliceColormap, offsets);
  }, [slice, sliceRange, sliceColormap, offsets]);

  // Isosurface: fetch the down-sampled grid once, hand it to the worker, ask for surfaces as the level changes.
  const { isoLevel, setIsoLevel, isoGrid, isoStatus, isoPositions } = useIsosurface(show.iso, gridUrl);

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
        <Legend speciesList={speciesList} colours={colours} dopantSpecies={dopantSpecies} />
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
