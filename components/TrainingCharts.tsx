'use client';

import {
  CartesianGrid,
  ComposedChart,
  ErrorBar,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Scatter,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { CalibrationPoint } from '@/lib/ml/calibration';
import type { ParityPoint } from './training-protocol';
import { axisScale } from '@/lib/view/ticks';

const fmt = (v: unknown, d = 3) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(d) : String(v));

/** Train/validation loss (MSE on standardised targets) per epoch, updated live. */
export function LossChart({ points, epochs }: { points: { epoch: number; train: number; val?: number }[]; epochs: number }) {
  return (
    <figure aria-label="Loss curves" className="space-y-1">
      <div className="h-64 w-full">
        <ResponsiveContainer>
          <LineChart data={points} margin={{ top: 10, right: 20, bottom: 30, left: 30 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis
              type="number"
              dataKey="epoch"
              domain={[1, Math.max(epochs, 2)]}
              allowDecimals={false}
              label={{ value: 'epoch', position: 'bottom', offset: 10 }}
            />
            <YAxis
              scale="log"
              domain={['auto', 'auto']}
              allowDataOverflow
              tickFormatter={(v: number) => fmt(v, 3)}
              width={60}
              label={{ value: 'MSE', angle: -90, position: 'insideLeft', offset: -10 }}
            />
            <Tooltip formatter={(v) => fmt(v, 4)} labelFormatter={(l) => `epoch ${l}`} />
            <Legend verticalAlign="top" />
            <Line type="linear" dataKey="train" name="train" stroke="#4f46e5" dot={false} isAnimationActive={false} />
            <Line type="linear" dataKey="val" name="validation" stroke="#dc2626" dot={false} isAnimationActive={false} connectNulls />
          </LineChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="text-xs text-slate-600">
        Mean squared error of standardised E_b per epoch; validation on a held-out 15% of the training sites (the best
        epoch&apos;s weights are kept).
      </figcaption>
    </figure>
  );
}

/** Predicted vs DFT E_b on every test split, error bars ±1σ, with the y = x line. */
export function ParityChart({ points, model }: { points: ParityPoint[]; model: string }) {
  const data = points.map((p) => ({ ...p, err: p.sigmaEv ?? 0 }));
  // One round axis for both (a parity plot is square in meaning), covering the error bars; distinct tick labels.
  const axis = axisScale(points.flatMap((p) => [p.truthEv, p.meanEv - (p.sigmaEv ?? 0), p.meanEv + (p.sigmaEv ?? 0)]));
  const [lo, hi] = axis.domain;
  const diag = [
    { truthEv: lo, line: lo },
    { truthEv: hi, line: hi },
  ];
  const hasSigma = points.some((p) => p.sigmaEv !== undefined);
  return (
    <figure aria-label="Parity plot" className="space-y-1">
      <div className="h-72 w-full">
        <ResponsiveContainer>
          <ComposedChart margin={{ top: 10, right: 20, bottom: 30, left: 20 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis
              type="number"
              dataKey="truthEv"
              domain={axis.domain}
              ticks={axis.ticks}
              tickFormatter={axis.format}
              label={{ value: 'DFT E_b (eV)', position: 'bottom', offset: 10 }}
            />
            <YAxis
              type="number"
              domain={axis.domain}
              ticks={axis.ticks}
              tickFormatter={axis.format}
              label={{ value: 'predicted E_b (eV)', angle: -90, position: 'insideLeft' }}
            />
            <Tooltip formatter={(v) => fmt(v, 3)} />
            <Line data={diag} dataKey="line" stroke="#94a3b8" strokeDasharray="4 4" dot={false} legendType="none" isAnimationActive={false} />
            <Scatter data={data} dataKey="meanEv" name={`${model} (test saddles)`} fill="#4f46e5" isAnimationActive={false}>
              {hasSigma && <ErrorBar dataKey="err" direction="y" stroke="#818cf8" width={3} />}
            </Scatter>
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="text-xs text-slate-600">
        {points.length} test predictions of {model} pooled over all splits{hasSigma ? '; bars are ±1σ' : ' (no σ: this model gives none)'}.
      </figcaption>
    </figure>
  );
}

const COLOURS = ['#4f46e5', '#dc2626', '#059669', '#d97706', '#7c3aed'];

/** Observed vs expected coverage of the central intervals mean ± zσ; the diagonal is perfect calibration. */
export function CalibrationChart({ curves }: { curves: { model: string; points: CalibrationPoint[] }[] }) {
  const rows = [0, ...curves[0].points.map((p) => p.expected), 1].map((expected) => {
    const row: Record<string, number> = { expected, ideal: expected };
    for (const c of curves) {
      const p = c.points.find((q) => q.expected === expected);
      if (p && Number.isFinite(p.observed)) row[c.model] = p.observed;
    }
    return row;
  });
  return (
    <figure aria-label="Calibration" className="space-y-1">
      <div className="h-72 w-full">
        <ResponsiveContainer>
          <LineChart data={rows} margin={{ top: 10, right: 20, bottom: 30, left: 20 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis type="number" dataKey="expected" domain={[0, 1]} label={{ value: 'expected coverage', position: 'bottom', offset: 10 }} />
            <YAxis type="number" domain={[0, 1]} label={{ value: 'observed coverage', angle: -90, position: 'insideLeft' }} />
            <Tooltip formatter={(v) => fmt(v, 2)} />
            <Legend verticalAlign="top" />
            <Line dataKey="ideal" name="ideal" stroke="#94a3b8" strokeDasharray="4 4" dot={false} isAnimationActive={false} />
            {curves.map((c, i) => (
              <Line key={c.model} dataKey={c.model} stroke={COLOURS[i % COLOURS.length]} isAnimationActive={false} connectNulls />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="text-xs text-slate-600">
        Fraction of test errors inside mean ± zσ against the nominal level, pooled over the splits. Below the diagonal:
        σ too small (overconfident).
      </figcaption>
    </figure>
  );
}
