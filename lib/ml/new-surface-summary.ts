/**
 * Per-model figures of a new-surface run (./new-surface.ts): E_b MAE of minima and saddles (absolute, and relative to
 * the surface's mean labelled minimum), MAE of symmetry-distinct directed barriers of complete hops, error of the
 * percolating barrier per surface and Spearman's rho of the surfaces ranked by it, coverage of the 90% intervals per
 * distinct test sample (with a 95% Wilson interval), and the paired test against the better constant.
 */
import { normalQuantile } from './metrics';
import type { DirectedBarrier, SurfaceBarrierScore } from './new-surface-score';
import { spearman, wilcoxonSignedRank, wilsonInterval } from './stats';

/** One test prediction, in the JSON output (anyone can re-score it). */
export interface PredictionRow {
  model: string;
  shots: number;
  surface: string;
  /** The user's site name (labels.csv), else the app's id. */
  site: string;
  siteId: string;
  kind: string;
  isSaddle: boolean;
  /** Cartesian Angstrom of the site (extraction plane). */
  x: number;
  y: number;
  predictedEv: number;
  sigmaEv: number | null;
  dftEv: number;
  /** (predicted - predicted surface mean minimum) - (DFT - DFT surface mean minimum), eV. */
  relativeErrorEv: number;
}

export interface PairedTest {
  against: string;
  /** Directed barriers scored by both. */
  n: number;
  /** Mean of |error of this model| - |error of the constant| (eV); negative = better than the constant. */
  meanDiffEv: number;
  /** Two-sided exact Wilcoxon signed-rank p-value of the paired absolute errors. */
  pValue: number;
}

export interface ModelSummary {
  model: string;
  nMinima: number;
  nSaddles: number;
  nBarriers: number;
  minimaMaeEv: number;
  minimaRelMaeEv: number;
  saddleMaeEv: number;
  saddleRelMaeEv: number;
  barrierMaeEv: number;
  /** Surfaces whose percolating barrier was compared. */
  nPercolation: number;
  percolationMaeEv: number;
  /** Spearman's rho of predicted vs DFT percolating barriers over those surfaces. */
  percolationRankRho: number;
  percolation: { surface: string; predictedEv: number; dftEv: number }[];
  /** 90% intervals (mean +- 1.645 sigma) over distinct test samples with a sigma. */
  coverage90: { inside: number; n: number; fraction: number; interval95: [number, number] } | null;
  paired: PairedTest | null;
  fitSeconds: number;
  /** |error| per directed barrier, keyed `${surface}|${key}` (for pairing). */
  barrierAbsErrors: Record<string, number>;
  error?: string;
}

const mae = (v: readonly number[]): number => (v.length ? v.reduce((a, x) => a + Math.abs(x), 0) / v.length : NaN);

export function summariseModel(
  model: string,
  scores: readonly SurfaceBarrierScore[],
  rows: readonly PredictionRow[],
  fitSeconds: number,
): ModelSummary {
  const minima = rows.filter((r) => !r.isSaddle);
  const saddles = rows.filter((r) => r.isSaddle);
  const barriers: DirectedBarrier[] = scores.flatMap((s) => s.barriers);
  const perc = scores.flatMap((s) => (s.percolation ? [{ surface: s.surface, ...s.percolation }] : []));
  const withSigma = rows.filter((r) => r.sigmaEv !== null && Number.isFinite(r.sigmaEv));
  const z = normalQuantile(0.95);
  const inside = withSigma.filter((r) => Math.abs(r.predictedEv - r.dftEv) <= z * r.sigmaEv!).length;
  return {
    model,
    nMinima: minima.length,
    nSaddles: saddles.length,
    nBarriers: barriers.length,
    minimaMaeEv: mae(minima.map((r) => r.predictedEv - r.dftEv)),
    minimaRelMaeEv: mae(minima.map((r) => r.relativeErrorEv)),
    saddleMaeEv: mae(saddles.map((r) => r.predictedEv - r.dftEv)),
    saddleRelMaeEv: mae(saddles.map((r) => r.relativeErrorEv)),
    barrierMaeEv: mae(barriers.map((b) => b.predictedEv - b.dftEv)),
    nPercolation: perc.length,
    percolationMaeEv: mae(perc.map((p) => p.predictedEv - p.dftEv)),
    percolationRankRho: spearman(
      perc.map((p) => p.predictedEv),
      perc.map((p) => p.dftEv),
    ),
    percolation: perc,
    coverage90: withSigma.length
      ? { inside, n: withSigma.length, fraction: inside / withSigma.length, interval95: wilsonInterval(inside, withSigma.length) }
      : null,
    paired: null,
    fitSeconds,
    barrierAbsErrors: Object.fromEntries(barriers.map((b) => [`${b.surface}|${b.key}`, Math.abs(b.predictedEv - b.dftEv)])),
  };
}

/** Paired Wilcoxon test of `m` against `ref` on the directed barriers both scored; null for `ref` itself. */
export function pairedAgainst(m: ModelSummary, ref: ModelSummary): PairedTest | null {
  if (m.model === ref.model || m.error) return null;
  const keys = Object.keys(m.barrierAbsErrors).filter((k) => k in ref.barrierAbsErrors);
  const d = keys.map((k) => m.barrierAbsErrors[k] - ref.barrierAbsErrors[k]);
  const w = wilcoxonSignedRank(d);
  return {
    against: ref.model,
    n: keys.length,
    meanDiffEv: d.length ? d.reduce((a, b) => a + b, 0) / d.length : NaN,
    pValue: w.pValue,
  };
}
