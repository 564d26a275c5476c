'use client';

import type { ComparisonTable } from '@/lib/ml/evaluate';
import { formatFixed, formatMeV } from '@/lib/view/format';
import { formatDuration } from '@/lib/view/time';
import { CalibrationChart, ParityChart } from './TrainingCharts';
import { TrainingWarnings } from './TrainingWarnings';
import type { ParityPoint } from './training-protocol';

interface Props {
  comparison: ComparisonTable;
  model: string;
  /** The model's own fit on every labelled site (s). */
  fitSeconds: number;
  parity: ParityPoint[];
  warnings: string[];
}

/**
 * The model and the baselines on the same splits (as `epdi evaluate --protocol paper|kfold` prints them): test MAE
 * (mean ± std over splits), RMSE, R², 90% coverage and the time of all splits. No "best" is marked when the test sets
 * are too small to rank models (the warnings say how many are needed).
 */
export function TrainingComparison({ comparison: c, model, fitSeconds, parity, warnings }: Props) {
  const rankable = warnings.length === 0;
  const calibration = c.results
    .filter((r) => r.calibration && !r.error)
    .map((r) => ({ model: r.model, points: r.calibration! }));
  return (
    <>
      <p className="text-slate-600">
        {c.description}; {c.splits} splits; {c.nLabelled} labelled sites ({c.nSaddles} saddles); seed {c.seed}. Every
        model ran on the same splits. Your model&apos;s own fit on every labelled site took {formatDuration(fitSeconds)}
        .
      </p>
      <TrainingWarnings warnings={warnings} />
      <table aria-label="Comparison" className="w-full border border-slate-200">
        <thead className="bg-slate-100 text-left text-slate-600">
          <tr>
            <th className="px-3 py-1">Model</th>
            <th className="px-3 py-1">Test MAE (meV)</th>
            <th className="px-3 py-1">RMSE (meV)</th>
            <th className="px-3 py-1">R²</th>
            <th className="px-3 py-1">90% coverage</th>
            <th className="px-3 py-1">Fit + test, all splits</th>
          </tr>
        </thead>
        <tbody>
          {c.results.map((r) => {
            const best = rankable && r.model === c.best;
            return (
              <tr key={r.model} className={`border-t border-slate-100 ${best ? 'bg-emerald-50 font-medium' : ''}`}>
                <td className="px-3 py-1">
                  {r.model}
                  {r.model === model ? ' (yours)' : ''}
                  {best ? ' — best' : ''}
                </td>
                {r.error ? (
                  <td className="px-3 py-1 text-red-700" colSpan={5}>
                    failed: {r.error}
                  </td>
                ) : (
                  <>
                    <td className="px-3 py-1">
                      {formatMeV(r.maeEv.mean, 1)} ± {formatMeV(r.maeEv.std, 1)}
                    </td>
                    <td className="px-3 py-1">{formatMeV(r.rmseEv.mean, 1)}</td>
                    <td className="px-3 py-1">{formatFixed(r.r2.mean, 3)}</td>
                    <td className="px-3 py-1">{r.coverage90 === undefined ? '—' : formatFixed(r.coverage90, 2)}</td>
                    <td className="px-3 py-1">{formatDuration(r.fitSeconds)}</td>
                  </>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="grid gap-4 md:grid-cols-2">
        {parity.length > 0 && <ParityChart points={parity} model={model} />}
        {calibration.length > 0 ? (
          <CalibrationChart curves={calibration} />
        ) : (
          <p className="text-slate-600">No model here gives σ, so there is no calibration figure.</p>
        )}
      </div>
    </>
  );
}
