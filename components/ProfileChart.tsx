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
import { hopFlag } from '@/lib/view/default-hop';
import { formatFixed, formatMeVWithSigma, siteDisplayName } from '@/lib/view/format';
import { axisScale } from '@/lib/view/ticks';

const S_TICKS = [0, 0.25, 0.5, 0.75, 1];

/** Tooltip text of a value: a number in eV, or a [low, high] band. */
function tooltipValue(v: unknown): string {
  if (typeof v === 'number') return `${formatFixed(v, 3)} eV`;
  if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'number')
    return `${formatFixed(v[0], 3)} to ${formatFixed(v[1], 3)} eV`;
  return String(v);
}

/**
 * One hop's minimum-energy profile: the PCHIP curve (the very samples the barriers are read from), its +-1 sigma
 * band when a knot is predicted, the DFT knots, the predicted knots with their sigma as error bars, and the NEB
 * images when a run was matched. Energies are binding energies (eV) on the dataset's mu_Li reference; barriers are
 * printed in meV. The y axis is round and covers the band and the error bars.
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
  const y = axisScale(
    [
      ...hop.energyEv,
      ...curve.flatMap((c) => c.band ?? []),
      ...knots.flatMap((k) => [k.energy - k.sigma, k.energy + k.sigma]),
      ...neb.map((n) => n.energy),
    ],
    6,
  );
  const flag = hopFlag(hop);
  const title = `${hop.surface} ${hop.hop}: ${hop.knots[0].site} → ${hop.knots[1].site} → ${hop.knots[2].site}`;

  return (
    <figure
      aria-label={`Profile of ${hop.surface} ${hop.hop}`}
      className="rounded border border-slate-200 bg-white p-4"
      data-flagged={flag ? 'true' : 'false'}
    >
      <figcaption className="mb-2 text-sm">
        <span className="font-medium">{title}</span>
        <span className="ml-3 text-slate-600" data-testid="profile-barriers">
          forward {formatMeVWithSigma(hop.barrierForwardEv, hop.barrierForwardSigmaEv)} · backward{' '}
          {formatMeVWithSigma(hop.barrierBackwardEv, hop.barrierBackwardSigmaEv)} · {hop.source}
          {hop.sigmaMethod !== 'none' && ` (σ: ${hop.sigmaMethod})`}
          {hop.neb?.comparison &&
            ` · NEB ${formatMeVWithSigma(hop.neb.comparison.nebBarrierForwardEv, null)} (profile MAE ${formatMeVWithSigma(hop.neb.comparison.maeEv, null)})`}
        </span>
        {flag && (
          <span className="mt-1 block text-amber-700" role="note">
            Flagged: {flag}.
          </span>
        )}
      </figcaption>
      <div className="h-80 w-full">
        <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 720, height: 320 }}>
          <ComposedChart margin={{ top: 8, right: 24, bottom: 24, left: 24 }}>
            <CartesianGrid stroke="#e2e8f0" />
            <XAxis
              type="number"
              dataKey="s"
              domain={[0, 1]}
              ticks={S_TICKS}
              tickFormatter={(v: number) => formatFixed(v, 2)}
              label={{ value: 's (normalised path length, A → B)', position: 'insideBottom', offset: -12 }}
              allowDuplicatedCategory={false}
            />
            <YAxis
              type="number"
              domain={y.domain}
              ticks={y.ticks}
              allowDataOverflow={false}
              tickFormatter={y.format}
              width={64}
              label={{ value: 'E_b (eV)', angle: -90, position: 'insideLeft', offset: -8 }}
            />
            <Tooltip
              labelFormatter={(label) => `s = ${typeof label === 'number' ? formatFixed(label, 3) : String(label)}`}
              formatter={(v, name) => [tooltipValue(v), name]}
            />
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
      <ul className="mt-2 flex flex-wrap gap-4 text-xs text-slate-600" aria-label="Knots">
        {hop.knots.map((k, i) => (
          <li key={i}>
            {['A', 'S', 'B'][i]} = {siteDisplayName(k.siteName, k.site)} ({k.kind}): E_b {formatFixed(k.energyEv, 3)}
            {k.sigmaEv !== null && ` ± ${formatFixed(k.sigmaEv, 3)}`} eV, {k.source}
            {k.note && `, ${k.note}`}
          </li>
        ))}
      </ul>
    </figure>
  );
}
