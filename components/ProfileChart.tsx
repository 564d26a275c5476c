'use client';

import {
  Area,
  CartesianGrid,
  ComposedChart,
  ErrorBar,
  Legend,
  Line,
  ResponsiveContainer,
  Scatter,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { HopProfileView } from '@/lib/server/profiles';

/**
 * One hop's minimum-energy profile: the PCHIP curve (the very samples the barriers are read from), its +-1 sigma
 * band when a knot is predicted, the DFT knots, the predicted knots with their sigma as error bars, and the NEB
 * images when a run was matched. Energies are binding energies (eV) on the dataset's mu_Li reference.
 */
export function ProfileChart({ hop }: { hop: HopProfileView }) {
  const curve = hop.s.map((s, i) => ({
    s,
    energy: hop.energyEv[i],
    band: hop.sigmaEv ? [hop.energyEv[i] - hop.sigmaEv[i], hop.energyEv[i] + hop.sigmaEv[i]] : null,
  }));
  const knotS = [0, hop.sSaddle, 1];
  const knots = hop.knots.map((k, i) => ({ s: knotS[i], energy: k.energyEv, sigma: k.sigmaEv ?? 0, site: k.site }));
  const dft = knots.filter((_, i) => hop.knots[i].source === 'dft');
  const predicted = knots.filter((_, i) => hop.knots[i].source === 'predicted');
  const neb = hop.neb ? hop.neb.s.map((s, i) => ({ s, energy: hop.neb!.energyEv[i] })) : [];
  const fmt = (v: number) => v.toFixed(3);
  const title = `${hop.surface} ${hop.hop}: ${hop.knots[0].site} → ${hop.knots[1].site} → ${hop.knots[2].site}`;

  return (
    <figure
      aria-label={`Profile of ${hop.surface} ${hop.hop}`}
      className="rounded border border-slate-200 bg-white p-4"
    >
      <figcaption className="mb-2 text-sm">
        <span className="font-medium">{title}</span>
        <span className="ml-3 text-slate-600">
          forward {fmt(hop.barrierForwardEv)}
          {hop.barrierForwardSigmaEv !== null && ` ± ${fmt(hop.barrierForwardSigmaEv)}`} eV · backward{' '}
          {fmt(hop.barrierBackwardEv)}
          {hop.barrierBackwardSigmaEv !== null && ` ± ${fmt(hop.barrierBackwardSigmaEv)}`} eV · {hop.source}
          {hop.neb?.comparison &&
            ` · NEB ${fmt(hop.neb.comparison.nebBarrierForwardEv)} eV (profile MAE ${fmt(hop.neb.comparison.maeEv)} eV)`}
        </span>
        {!hop.saddleIsMaximum && (
          <span className="ml-2 text-amber-700">the saddle lies below an end point: barriers read from the curve</span>
        )}
      </figcaption>
      <div className="h-80 w-full">
        <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 720, height: 320 }}>
          <ComposedChart margin={{ top: 8, right: 24, bottom: 24, left: 16 }}>
            <CartesianGrid stroke="#e2e8f0" />
            <XAxis
              type="number"
              dataKey="s"
              domain={[0, 1]}
              ticks={[0, 0.25, 0.5, 0.75, 1]}
              label={{ value: 'reaction coordinate s', position: 'insideBottom', offset: -12 }}
              allowDuplicatedCategory={false}
            />
            <YAxis
              type="number"
              domain={['auto', 'auto']}
              tickFormatter={(v: number) => v.toFixed(2)}
              label={{ value: 'E_b (eV)', angle: -90, position: 'insideLeft' }}
            />
            <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(4) : String(v))} />
            <Legend verticalAlign="top" height={28} />
            {hop.sigmaEv && (
              <Area
                data={curve}
                dataKey="band"
                name="±1σ"
                stroke="none"
                fill="#a5b4fc"
                fillOpacity={0.35}
                isAnimationActive={false}
              />
            )}
            <Line
              data={curve}
              dataKey="energy"
              name="PCHIP profile"
              stroke="#4338ca"
              strokeWidth={2}
              dot={false}
              isAnimationActive={false}
            />
            {dft.length > 0 && (
              <Scatter data={dft} dataKey="energy" name="DFT knots" fill="#0f766e" isAnimationActive={false} />
            )}
            {predicted.length > 0 && (
              <Scatter
                data={predicted}
                dataKey="energy"
                name="predicted knots"
                fill="#c2410c"
                shape="diamond"
                isAnimationActive={false}
              >
                <ErrorBar dataKey="sigma" direction="y" width={6} stroke="#c2410c" />
              </Scatter>
            )}
            {neb.length > 0 && (
              <Scatter
                data={neb}
                dataKey="energy"
                name="NEB images"
                fill="#be123c"
                shape="cross"
                isAnimationActive={false}
              />
            )}
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <ul className="mt-2 flex flex-wrap gap-4 text-xs text-slate-600">
        {hop.knots.map((k, i) => (
          <li key={i}>
            {k.site} ({k.kind}): {fmt(k.energyEv)} eV, {k.source}
            {k.sigmaEv !== null && ` ± ${fmt(k.sigmaEv)}`}
            {k.note && `, ${k.note}`}
          </li>
        ))}
      </ul>
    </figure>
  );
}
