'use client';

import { useEffect, useRef, useState, type Dispatch, type SetStateAction } from 'react';
import { parseFloat32Body } from '@/lib/view/binary-body';
import { formatFixed } from '@/lib/view/format';
import type { GridHeader } from '@/lib/view/slice';
import { POTENTIAL_SYMBOL } from '@/lib/view/units';
import type { IsoRequest, IsoResponse } from './isosurface.worker';

/**
 * The 3D viewer's isosurface (./Viewer3D.tsx): once `enabled`, fetch the down-sampled grid from `gridUrl` once, hand
 * it to ./isosurface.worker.ts, and ask for surfaces as the level changes (150 ms after the last change). The
 * triangles of one cell come back in `isoPositions`; `isoStatus` says what is happening, for people.
 */
export function useIsosurface(
  enabled: boolean,
  gridUrl: string,
): {
  isoLevel: number | null;
  setIsoLevel: Dispatch<SetStateAction<number | null>>;
  isoGrid: GridHeader | null;
  isoStatus: string;
  isoPositions: Float32Array | null;
} {
  const [isoLevel, setIsoLevel] = useState<number | null>(null);
  const [isoGrid, setIsoGrid] = useState<GridHeader | null>(null);
  const [isoStatus, setIsoStatus] = useState('');
  const [isoPositions, setIsoPositions] = useState<Float32Array | null>(null);
  const workerRef = useRef<Worker | null>(null);
  const requestIdRef = useRef(0);

  useEffect(() => {
    if (!enabled || workerRef.current) return;
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
  }, [enabled, gridUrl]);

  useEffect(() => () => workerRef.current?.terminate(), []);

  useEffect(() => {
    if (!enabled || !isoGrid || isoLevel === null || !workerRef.current) return;
    const id = ++requestIdRef.current;
    const timer = setTimeout(() => {
      setIsoStatus('computing…');
      workerRef.current?.postMessage({ type: 'level', level: isoLevel, requestId: id } satisfies IsoRequest);
    }, 150);
    return () => clearTimeout(timer);
  }, [enabled, isoGrid, isoLevel]);

  return { isoLevel, setIsoLevel, isoGrid, isoStatus, isoPositions };
}
