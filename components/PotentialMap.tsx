'use client';

import { useEffect, useRef, useState } from 'react';
import type { ColormapName } from '@/lib/epdi/settings';
import { colourStops, scalePosition, valuesToRgba } from '@/lib/view/colour-scale';
import { formatFixed } from '@/lib/view/format';
import { niceTicks, tickLabels } from '@/lib/view/ticks';
import { POTENTIAL_SYMBOL, POTENTIAL_TITLE } from '@/lib/view/units';
import { epdiWindowCorners, inPlane, mapTransform, sliceCorners } from '@/lib/view/slice';
import type { ViewSite } from '@/lib/view/surface-model';
import type { SliceData } from './Viewer3D';
import { SiteSummary } from './Viewer3D';

interface Props {
  surfaceName: string;
  slice: SliceData | null;
  sliceRange: [number, number] | null;
  colormap: ColormapName;
  sites: ViewSite[];
  windowA: number;
  selectedSiteId: string | null;
  onSelectSite: (id: string | null) => void;
}

const CSS_WIDTH = 600;
/** The colour bar's tick labels, for the canvas's accessible name (and the e2e checks of distinct labels). */
const labelsOf = (range: [number, number] | null): string =>
  range ? `ticks ${tickLabels(niceTicks(range, 6)).join(', ')}` : 'no range';
const CSS_HEIGHT = 460;
const BAR_WIDTH = 96;
type WindowMode = 'all' | 'selected' | 'none';

/**
 * The slice as a 2D heat map seen from above (+e2 up), the cell repeated around it so that windows at the edge show
 * their periodic context, the cell outline dashed, site markers (circle T_M, triangle H/H_X, diamond bridge, square
 * T_X), the EPDI windows (rotated along the hop for bridges) and a colour bar in eV drawn into the same canvas, so the
 * exported PNG carries its scale.
 */
export function PotentialMap({
  surfaceName,
  slice,
  sliceRange,
  colormap,
  sites,
  windowA,
  selectedSiteId,
  onSelectSite,
}: Props) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const markers = useRef<{ x: number; y: number; site: ViewSite }[]>([]);
  const [windows, setWindows] = useState<WindowMode>('all');
  const [hover, setHover] = useState<{ x: number; y: number; site: ViewSite } | null>(null);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || !slice || !sliceRange) return;
    const dpr = Math.min(2, window.devicePixelRatio || 1);
    canvas.width = CSS_WIDTH * dpr;
    canvas.height = CSS_HEIGHT * dpr;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const { header, values } = slice;
    const scale = { range: sliceRange, colormap };

    const image = document.createElement('canvas');
    image.width = header.width;
    image.height = header.height;
    image
      .getContext('2d')!
      .putImageData(
        new ImageData(valuesToRgba(values, scale) as Uint8ClampedArray<ArrayBuffer>, header.width, header.height),
        0,
        0,
      );

    const corners = sliceCorners(header).map((p) => inPlane(p, header.e1, header.e2));
    const pad = windowA / 2 + 0.3;
    const bounds = {
      minX: Math.min(...corners.map((c) => c[0])) - pad,
      maxX: Math.max(...corners.map((c) => c[0])) + pad,
      minY: Math.min(...corners.map((c) => c[1])) - pad,
      maxY: Math.max(...corners.map((c) => c[1])) + pad,
    };
    const mapW = CSS_WIDTH - BAR_WIDTH;
    const t = mapTransform(header, bounds, mapW, CSS_HEIGHT);
    const u = inPlane(header.u, header.e1, header.e2);
    const v = inPlane(header.v, header.e1, header.e2);

    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, CSS_WIDTH, CSS_HEIGHT);
    ctx.save();
    const [bx0, by0] = t.toCanvas(bounds.minX, bounds.maxY);
    const [bx1, by1] = t.toCanvas(bounds.maxX, bounds.minY);
    ctx.beginPath();
    ctx.rect(bx0, by0, bx1 - bx0, by1 - by0);
    ctx.clip();
    ctx.imageSmoothingEnabled = true;
    // Tiles -2..2 cover the padded bounding box of any reduced (60 or 120 degree) cell.
    for (let i = -2; i <= 2; i++)
      for (let j = -2; j <= 2; j++) {
        const [a, b, c, d, e, f] = t.image([i * u[0] + j * v[0], i * u[1] + j * v[1]]);
        ctx.setTransform(dpr * a, dpr * b, dpr * c, dpr * d, dpr * e, dpr * f);
        ctx.drawImage(image, 0, 0);
      }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    // Cell outline.
    ctx.setLineDash([5, 4]);
    ctx.strokeStyle = 'rgba(255,255,255,0.9)';
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    corners.forEach((c, k) => {
      const [x, y] = t.toCanvas(c[0], c[1]);
      if (k === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    });
    ctx.closePath();
    ctx.stroke();
    ctx.setLineDash([]);
    // EPDI windows.
    for (const s of sites) {
      const selected = s.id === selectedSiteId;
      if (windows === 'none' || (windows === 'selected' && !selected)) continue;
      const angle = s.kind === 'bridge' && s.directionRad !== null ? s.directionRad : 0;
      const pts = epdiWindowCorners(s.xy[0], s.xy[1], angle, windowA).map(([x, y]) => t.toCanvas(x, y));
      ctx.strokeStyle = selected ? '#0ea5e9' : 'rgba(255,255,255,0.3)';
      ctx.lineWidth = selected ? 2.5 : 1;
      ctx.beginPath();
      pts.forEach(([x, y], k) => (k === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y)));
      ctx.closePath();
      ctx.stroke();
    }
    // Site markers.
    const placed: { x: number; y: number; site: ViewSite }[] = [];
    for (const s of sites) {
      const [x, y] = t.toCanvas(s.xy[0], s.xy[1]);
      placed.push({ x, y, site: s });
      ctx.beginPath();
      const r = s.kind === 'bridge' ? 3 : 5;
      if (s.kind === 'T_M') ctx.arc(x, y, r, 0, 2 * Math.PI);
      else if (s.kind === 'H' || s.kind === 'H_X') {
        ctx.moveTo(x, y - r * 1.2);
        ctx.lineTo(x + r, y + r * 0.7);
        ctx.lineTo(x - r, y + r * 0.7);
        ctx.closePath();
      } else if (s.kind === 'bridge') {
        ctx.moveTo(x, y - r);
        ctx.lineTo(x + r, y);
        ctx.lineTo(x, y + r);
        ctx.lineTo(x - r, y);
        ctx.closePath();
      } else ctx.rect(x - r, y - r, 2 * r, 2 * r);
      ctx.fillStyle = s.kind === 'T_M' ? '#ffffff' : s.kind === 'bridge' ? '#e2e8f0' : '#0f172a';
      ctx.strokeStyle = s.kind === 'T_M' || s.kind === 'bridge' ? '#0f172a' : '#ffffff';
      ctx.lineWidth = 1;
      ctx.fill();
      ctx.stroke();
      if (s.id === selectedSiteId) {
        ctx.beginPath();
        ctx.arc(x, y, 9, 0, 2 * Math.PI);
        ctx.strokeStyle = '#0ea5e9';
        ctx.lineWidth = 2.5;
        ctx.stroke();
      }
    }
    markers.current = placed;
    ctx.restore();
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    // Scale bar (1 Angstrom... 2 Angstrom) at the bottom left.
    const [sx, sy] = [bx0 + 10, by1 - 12];
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(sx, sy, 2 * t.scale, 3);
    ctx.font = '11px sans-serif';
    ctx.fillText('2 Å', sx, sy - 4);
    // Colour bar, vertical, high values at the top.
    const barX = mapW + 14;
    const barTop = 30;
    const barH = CSS_HEIGHT - 70;
    const grad = ctx.createLinearGradient(0, barTop + barH, 0, barTop);
    for (const stop of colourStops(colormap, 11)) grad.addColorStop(stop.offset, stop.css);
    ctx.fillStyle = grad;
    ctx.fillRect(barX, barTop, 16, barH);
    ctx.strokeStyle = '#64748b';
    ctx.lineWidth = 1;
    ctx.strokeRect(barX, barTop, 16, barH);
    ctx.fillStyle = '#0f172a';
    ctx.font = '11px sans-serif';
    ctx.fillText(POTENTIAL_TITLE, barX - 4, barTop - 10);
    const ticks = niceTicks(sliceRange, 6);
    const labels = tickLabels(ticks);
    ticks.forEach((tick, k) => {
      const y = barTop + barH - scalePosition(tick, sliceRange) * barH;
      ctx.fillRect(barX + 16, y, 4, 1);
      ctx.fillText(labels[k], barX + 22, y + 4);
    });
    ctx.fillText(`h = ${formatFixed(header.heightA, 2)} Å`, barX - 6, barTop + barH + 22);
  }, [slice, sliceRange, colormap, sites, windowA, selectedSiteId, windows]);

  const pick = (ev: React.MouseEvent<HTMLCanvasElement>) => {
    const rect = ev.currentTarget.getBoundingClientRect();
    const x = ((ev.clientX - rect.left) / rect.width) * CSS_WIDTH;
    const y = ((ev.clientY - rect.top) / rect.height) * CSS_HEIGHT;
    let best: { x: number; y: number; site: ViewSite } | null = null;
    let bestD = 10;
    for (const m of markers.current) {
      const d = Math.hypot(m.x - x, m.y - y);
      if (d < bestD) {
        bestD = d;
        best = m;
      }
    }
    return best ? { x: ev.clientX - rect.left, y: ev.clientY - rect.top, site: best.site } : null;
  };

  const exportPng = () => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const a = document.createElement('a');
    a.href = canvas.toDataURL('image/png');
    a.download = `${surfaceName}-potential-h${slice?.header.heightA.toFixed(2) ?? ''}.png`;
    a.click();
  };

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-4 text-sm">
        <label className="flex items-center gap-2">
          EPDI windows
          <select
            aria-label="EPDI windows"
            value={windows}
            onChange={(e) => setWindows(e.target.value as WindowMode)}
            className="rounded border border-slate-300 bg-white px-1 py-0.5 text-xs"
          >
            <option value="all">all sites</option>
            <option value="selected">selected site</option>
            <option value="none">none</option>
          </select>
        </label>
        <button
          type="button"
          onClick={exportPng}
          className="rounded border border-slate-300 bg-white px-2 py-0.5 text-xs"
          disabled={!slice}
        >
          Export map (PNG)
        </button>
        <span className="text-xs text-slate-500">○ T_M · △ H / H_X · ◇ bridge · □ T_X; click a site to select it</span>
      </div>
      <div className="relative" style={{ width: CSS_WIDTH, maxWidth: '100%' }}>
        <canvas
          ref={canvasRef}
          style={{ width: CSS_WIDTH, height: CSS_HEIGHT, maxWidth: '100%' }}
          className="rounded border border-slate-200"
          role="img"
          aria-label={
            slice
              ? `Potential map of ${surfaceName} at ${formatFixed(slice.header.heightA, 2)} Å above the top X layer, colour scale ${POTENTIAL_SYMBOL} in eV (${labelsOf(sliceRange)}), with site markers and EPDI windows`
              : 'Potential map (loading)'
          }
          onMouseMove={(ev) => setHover(pick(ev))}
          onMouseLeave={() => setHover(null)}
          onClick={(ev) => {
            const p = pick(ev);
            onSelectSite(p ? p.site.id : null);
          }}
        />
        {hover && (
          <div
            className="pointer-events-none absolute z-10 rounded bg-slate-900/90 px-2 py-1 text-xs text-white"
            style={{ left: hover.x + 12, top: hover.y + 12 }}
          >
            <SiteSummary site={hover.site} />
          </div>
        )}
        {!slice && (
          <p className="absolute inset-0 flex items-center justify-center text-sm text-slate-500">Loading the slice…</p>
        )}
      </div>
    </div>
  );
}
