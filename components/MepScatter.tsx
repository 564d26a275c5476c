'use client';

import {
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Scatter,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { linearFit, type LinearFit } from '@/lib/epdi/correlation';
import type { MepCorrelation } from '@/lib/server/mep-correlation';
import { formatFixed, formatSigned, formatSignificant } from '@/lib/view/format';
import { seriesStyle, surfaceDisplayName } from '@/lib/view/palette';
import { axisScale } from '@/lib/view/ticks';
import { MEP_AXIS_TITLE, POTENTIAL_SYMBOL } from '@/lib/view/units';

type Point = MepCorrelation['points'][number];

/** One surface's points, style and least-squares line (null with fewer than 3 points). */
interface SurfaceSeries {
  surface: string;
  label: string;
  points: Point[];
  fit: LinearFit | null;
  colour: string;
  shape: ReturnType<typeof seriesStyle>['shape'];
  dash: string | undefined;
}

/** Groups the host families' points by surface (pristine and each dopant apart), styles and fits each. */
function bySurface(
  hosts: MepCorrelation[],
  surfaces: { name: string; host: string | null; dopant: string | null }[],
): SurfaceSeries[] {
  const groups = new Map<string, Point[]>();
  for (const h of hosts) for (const p of h.points) groups.set(p.surface, [...(groups.get(p.surface) ?? []), p]);
  const meta = new Map(surfaces.map((s) => [s.name, s]));
  return [...groups.keys()]
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    .map((name, i) => {
      const points = groups.get(name)!;
      const m = meta.get(name);
      const host = m?.host ?? hosts.find((h) => h.points.some((p) => p.surface === name))?.host ?? null;
      const style = seriesStyle(i);
      return {
        surface: name,
        label: surfaceDisplayName(name, host, m?.dopant ?? null),
        points,
        fit: linearFit(
          points.map((p) => p.mepV),
          points.map((p) => p.eBindingEv),
        ),
        colour: style.colour,
        shape: style.shape,
        dash: style.dash,
      };
    });
}

function PointTooltip({ active, payload }: { active?: boolean; payload?: readonly { payload?: unknown }[] }) {
  const p = active ? (payload?.[0]?.payload as (Point & { label?: string }) | undefined) : undefined;
  if (!p || p.siteId === undefined) return null;
  return (
    <div className="rounded border border-slate-300 bg-white px-2 py-1 text-xs shadow">
      <div className="font-semibold">
        {p.label ?? p.surface} · {p.kind}
      </div>
      <div>
        MEP {POTENTIAL_SYMBOL} = {formatFixed(p.mepV, 3)} eV
      </div>
      <div>E_b (DFT) = {formatFixed(p.eBindingEv, 3)} eV</div>
    </div>
  );
}

/**
 * MEP against the DFT binding energy, one series per surface (pristine and each doped surface apart, colour-blind-safe
 * colours and shapes), each surface's least-squares line over its own MEP range and its Pearson r.
 */
export function MepScatter({
  hosts,
  surfaces = [],
}: {
  hosts: MepCorrelation[];
  surfaces?: { name: string; host: string | null; dopant: string | null }[];
}) {
  if (hosts.every((h) => h.points.length === 0)) {
    return <p className="text-sm text-slate-600">No labelled sites with an MEP yet.</p>;
  }
  const series = bySurface(hosts, surfaces);
  const all = series.flatMap((s) => s.points);
  const x = axisScale(
    all.map((p) => p.mepV),
    6,
  );
  const y = axisScale(
    all.map((p) => p.eBindingEv),
    6,
  );
  return (
    <figure aria-label="MEP versus binding energy" className="space-y-2">
      <div className="h-96 w-full">
        <ResponsiveContainer>
          <ComposedChart margin={{ top: 10, right: 20, bottom: 30, left: 10 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis
              type="number"
              dataKey="mepV"
              domain={x.domain}
              ticks={x.ticks}
              tickFormatter={x.format}
              name={`MEP ${POTENTIAL_SYMBOL}`}
              label={{ value: MEP_AXIS_TITLE, position: 'bottom', offset: 10 }}
            />
            <YAxis
              type="number"
              dataKey="eBindingEv"
              domain={y.domain}
              ticks={y.ticks}
              tickFormatter={y.format}
              name="E_b"
              width={80}
              label={{ value: 'E_b, DFT (eV)', angle: -90, position: 'insideLeft', offset: -2 }}
            />
            <Tooltip content={<PointTooltip />} />
            <Legend verticalAlign="top" />
            {series.map((s) => (
              <Scatter
                key={s.surface}
                name={s.label}
                data={s.points.map((p) => ({ ...p, label: s.label }))}
                fill={s.colour}
                shape={s.shape}
                isAnimationActive={false}
              />
            ))}
            {series
              .filter((s) => s.fit)
              .map((s) => {
                const xs = s.points.map((p) => p.mepV);
                const data = [Math.min(...xs), Math.max(...xs)].map((v) => ({
                  mepV: v,
                  eBindingEv: s.fit!.slope * v + s.fit!.intercept,
                }));
                return (
                  <Line
                    key={`fit-${s.surface}`}
                    data={data}
                    dataKey="eBindingEv"
                    stroke={s.colour}
                    strokeDasharray={s.dash}
                    dot={false}
                    legendType="none"
                    tooltipType="none"
                    isAnimationActive={false}
                  />
                );
              })}
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="text-xs text-slate-600">
        <ul className="flex flex-wrap gap-x-4 gap-y-0.5">
          {series.map((s) => (
            <li key={s.surface}>
              <span className="mr-1 inline-block h-2 w-2 rounded-full" style={{ background: s.colour }} />
              {s.fit
                ? `${s.label}: r = ${formatFixed(s.fit.pearsonR, 2)}, E_b = ${formatSignificant(s.fit.slope, 3)} × MEP ${formatSigned(s.fit.intercept, 3).replace(/^([+-])/, '$1 ')} eV (n = ${s.fit.n})`
                : `${s.label}: ${s.points.length} point${s.points.length === 1 ? '' : 's'}, too few for a line (3 needed)`}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
