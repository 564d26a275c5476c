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
import type { MepCorrelation } from '@/lib/server/mep-correlation';

const COLOURS = ['#4f46e5', '#dc2626', '#059669', '#d97706', '#7c3aed', '#0891b2', '#be185d'];

/** MEP vs DFT binding energy per host family with each family's least-squares line and Pearson r. */
export function MepScatter({ hosts }: { hosts: MepCorrelation[] }) {
  if (hosts.every((h) => h.points.length === 0)) {
    return <p className="text-sm text-slate-600">No labelled sites with an MEP yet.</p>;
  }
  const lines = hosts
    .filter((h) => h.fit)
    .map((h) => {
      const xs = h.points.map((p) => p.mepV);
      const lo = Math.min(...xs);
      const hi = Math.max(...xs);
      return {
        host: h.host,
        data: [lo, hi].map((x) => ({ mepV: x, eBindingEv: h.fit!.slope * x + h.fit!.intercept })),
      };
    });
  return (
    <figure aria-label="MEP versus binding energy" className="space-y-2">
      <div className="h-80 w-full">
        <ResponsiveContainer>
          <ComposedChart margin={{ top: 10, right: 20, bottom: 30, left: 10 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis
              type="number"
              dataKey="mepV"
              domain={['auto', 'auto']}
              name="MEP (V)"
              label={{ value: 'MEP (V, vacuum-aligned)', position: 'bottom', offset: 10 }}
              tickFormatter={(v: number) => v.toFixed(2)}
            />
            <YAxis
              type="number"
              dataKey="eBindingEv"
              domain={['auto', 'auto']}
              name="E_b (eV)"
              width={70}
              label={{ value: 'E_b (eV)', angle: -90, position: 'insideLeft', offset: -5 }}
              tickFormatter={(v: number) => v.toFixed(2)}
            />
            <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(3) : String(v))} />
            <Legend verticalAlign="top" />
            {hosts.map((h, i) => (
              <Scatter key={h.host} name={h.host} data={h.points} fill={COLOURS[i % COLOURS.length]} />
            ))}
            {lines.map((l) => (
              <Line
                key={`fit-${l.host}`}
                data={l.data}
                dataKey="eBindingEv"
                stroke={COLOURS[hosts.findIndex((h) => h.host === l.host) % COLOURS.length]}
                dot={false}
                legendType="none"
                isAnimationActive={false}
              />
            ))}
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="text-xs text-slate-600">
        {hosts.map((h) =>
          h.fit ? (
            <span key={h.host} className="mr-4">
              {h.host}: r = {h.fit.pearsonR.toFixed(3)}, E_b = {h.fit.slope.toFixed(3)}·MEP{' '}
              {h.fit.intercept >= 0 ? '+' : '−'} {Math.abs(h.fit.intercept).toFixed(3)} eV (n = {h.fit.n})
            </span>
          ) : (
            <span key={h.host} className="mr-4">
              {h.host}: {h.points.length} point(s), too few for a fit
            </span>
          ),
        )}
      </figcaption>
    </figure>
  );
}
