'use client';

import { useEffect, useMemo, useState } from 'react';
import { COLORMAPS, type ColormapName } from '@/lib/epdi/settings';
import { parseFloat32Body } from '@/lib/view/binary-body';
import { formatFixed, formatSigned } from '@/lib/view/format';
import { POTENTIAL_SYMBOL } from '@/lib/view/units';
import type { SliceHeader } from '@/lib/view/slice';
import type { EnergySource, ViewHop, ViewSite, ViewStructure } from '@/lib/view/surface-model';
import { PotentialMap } from './PotentialMap';
import { SitesTable } from './SitesTable';
import { SiteSummary, Viewer3D, type SliceData } from './Viewer3D';

interface Props {
  surfaceId: string;
  surfaceName: string;
  structure: ViewStructure;
  sites: ViewSite[];
  hops: ViewHop[];
  /** Dataset settings: Li height (default slice height) and EPDI window side, Angstrom. */
  liHeightA: number;
  windowA: number;
}

const SLICE_PIXELS = 128;
const MIN_SPAN_EV = 1e-3;

/**
 * The surface's interactive views sharing one slice height, one colour range and one selected site: the 3D scene and
 * the 2D potential map. The slice is fetched from GET /api/surfaces/[id]/slice (binary) as the slider moves.
 */
export function SurfaceViews({ surfaceId, surfaceName, structure, sites, hops, liHeightA, windowA }: Props) {
  const [heightA, setHeightA] = useState(liHeightA);
  const [slice, setSlice] = useState<SliceData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [lockRange, setLockRange] = useState<[number, number] | null>(null);
  const [colormap, setColormap] = useState<ColormapName>('viridis');
  const [energySource, setEnergySource] = useState<EnergySource>('dft');
  const [selected, setSelected] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(() => {
      fetch(`/api/surfaces/${surfaceId}/slice?heightA=${heightA}&pixels=${SLICE_PIXELS}`, { signal: controller.signal })
        .then(async (res) => {
          if (!res.ok) {
            const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
            throw new Error(body?.error?.message ?? `${res.status} ${res.statusText}`);
          }
          const { header, values } = parseFloat32Body(new Uint8Array(await res.arrayBuffer()));
          setSlice({ header: header as SliceHeader, values });
          setError(null);
        })
        .catch((err: unknown) => {
          if (!controller.signal.aborted) setError(err instanceof Error ? err.message : String(err));
        });
    }, 60);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [surfaceId, heightA]);

  const sliceRange = useMemo<[number, number] | null>(() => {
    if (lockRange) return lockRange;
    if (!slice) return null;
    const { minEv, maxEv } = slice.header;
    // A slice flatter than 1 meV (far in the vacuum) is drawn flat, not as stretched float32 rounding noise.
    const mid = (minEv + maxEv) / 2;
    return maxEv - minEv >= MIN_SPAN_EV ? [minEv, maxEv] : [mid - MIN_SPAN_EV / 2, mid + MIN_SPAN_EV / 2];
  }, [slice, lockRange]);

  const selectedSite = sites.find((s) => s.id === selected) ?? null;
  const hasPredictions = sites.some((s) => s.predictedEv !== null);

  return (
    <div className="space-y-4">
      <div
        className="flex flex-wrap items-center gap-x-6 gap-y-2 rounded border border-slate-200 bg-white p-3 text-sm"
        role="group"
        aria-label="Potential slice settings"
      >
        <label className="flex items-center gap-2">
          <span>Slice height above top X layer (Å)</span>
          <input
            type="range"
            min={-2}
            max={8}
            step={0.05}
            value={heightA}
            onChange={(e) => setHeightA(Number(e.target.value))}
            aria-label="Slice height above top X layer in Angstrom"
            aria-valuetext={`${formatFixed(heightA, 2)} Å`}
            className="w-64"
          />
          <span className="w-16 tabular-nums">{formatFixed(heightA, 2)} Å</span>
        </label>
        <button
          type="button"
          className="rounded border border-slate-300 bg-white px-2 py-0.5 text-xs"
          onClick={() => setHeightA(liHeightA)}
        >
          Li height ({liHeightA} Å)
        </button>
        <label className="flex items-center gap-1">
          <input
            type="checkbox"
            checked={lockRange !== null}
            onChange={(e) => setLockRange(e.target.checked && sliceRange ? sliceRange : null)}
            disabled={!sliceRange}
          />
          Lock colour range
          {sliceRange && (
            <span className="tabular-nums text-xs text-slate-500">
              ({POTENTIAL_SYMBOL} {formatFixed(sliceRange[0], 3)} to {formatFixed(sliceRange[1], 3)} eV)
            </span>
          )}
        </label>
        <label className="flex items-center gap-1">
          Colormap
          <select
            value={colormap}
            onChange={(e) => setColormap(e.target.value as ColormapName)}
            className="rounded border border-slate-300 bg-white px-1 py-0.5 text-xs"
          >
            {COLORMAPS.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <label className="flex items-center gap-1">
          Site colours
          <select
            value={energySource}
            onChange={(e) => setEnergySource(e.target.value as EnergySource)}
            className="rounded border border-slate-300 bg-white px-1 py-0.5 text-xs"
          >
            <option value="dft">DFT E_b</option>
            <option value="predicted" disabled={!hasPredictions}>
              predicted E_b{hasPredictions ? '' : ' (none yet)'}
            </option>
          </select>
        </label>
        {slice && (
          <span className="text-xs text-slate-500">
            plane at {formatFixed(slice.header.planeHeightA, 2)} Å along the normal · vacuum shift{' '}
            {formatSigned(slice.header.shiftEv, 3)} eV
          </span>
        )}
        {error && (
          <span role="alert" className="text-xs text-red-700">
            slice: {error}
          </span>
        )}
      </div>

      <section aria-labelledby="view3d-heading">
        <h2 id="view3d-heading" className="mb-2 text-lg font-semibold">
          3D view
        </h2>
        <Viewer3D
          surfaceName={surfaceName}
          structure={structure}
          sites={sites}
          hops={hops}
          slice={slice}
          sliceRange={sliceRange}
          sliceColormap={colormap}
          energySource={energySource}
          gridUrl={`/api/surfaces/${surfaceId}/grid?max=64`}
          selectedSiteId={selected}
          onSelectSite={setSelected}
        />
      </section>

      <section aria-labelledby="map-heading">
        <h2 id="map-heading" className="mb-2 text-lg font-semibold">
          Potential map
        </h2>
        <div className="flex flex-wrap items-start gap-6">
          <PotentialMap
            surfaceName={surfaceName}
            slice={slice}
            sliceRange={sliceRange}
            colormap={colormap}
            sites={sites}
            windowA={windowA}
            selectedSiteId={selected}
            onSelectSite={setSelected}
          />
          <aside className="w-64 space-y-2 text-sm" aria-label="Selected site">
            <h3 className="font-semibold">Selected site</h3>
            {selectedSite ? (
              <>
                <SiteSummary site={selectedSite} />
                {selectedSite.dopantDistanceA !== null && (
                  <p>Dopant distance {formatFixed(selectedSite.dopantDistanceA, 2)} Å</p>
                )}
                {/* eslint-disable-next-line @next/next/no-img-element */}
                <img
                  src={`/api/sites/${selectedSite.id}/epdi`}
                  alt={`EPDI of site ${selectedSite.name}${selectedSite.label && selectedSite.label !== selectedSite.name ? ` (your label ${selectedSite.label})` : ''}`}
                  width={160}
                  height={160}
                  className="rounded border border-slate-200 [image-rendering:pixelated]"
                />
              </>
            ) : (
              <p className="text-slate-500">Click a site in the 3D view, on the map or in the table.</p>
            )}
          </aside>
        </div>
      </section>

      <section aria-labelledby="sites-heading">
        <h2 id="sites-heading" className="mb-2 text-lg font-semibold">
          Sites ({sites.length})
        </h2>
        <SitesTable sites={sites} selectedSiteId={selected} onSelectSite={setSelected} />
      </section>
    </div>
  );
}
