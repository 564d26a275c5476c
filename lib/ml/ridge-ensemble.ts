/**
 * Ridge ensembles (pixel-ridge, frozen-ridge, site-relative): a ridge fit with LOO-chosen lambda plus bootstrap heads
 * at the same lambda for sigma, stored as plain JSON (`RidgeEnsemble`) in a model's state.
 */
import { takeRows, type Matrix } from './linalg';
import { fitRidge, predictRidge, type RidgeModel } from './ridge';
import { bootstrapIndices, mulberry32 } from './rng';

interface RidgeJson {
  mean: number[];
  std: number[];
  yMean: number;
  weights: number[];
  lambda: number;
  looMse: number;
}

const toJson = (m: RidgeModel): RidgeJson => ({
  mean: [...m.standardiser.mean],
  std: [...m.standardiser.std],
  yMean: m.yMean,
  weights: [...m.weights],
  lambda: m.lambda,
  looMse: m.looMse,
});
const fromJson = (j: RidgeJson): RidgeModel => ({
  standardiser: { mean: Float64Array.from(j.mean), std: Float64Array.from(j.std) },
  yMean: j.yMean,
  weights: Float64Array.from(j.weights),
  lambda: j.lambda,
  looMse: j.looMse,
});

export interface RidgeEnsemble {
  full: RidgeJson;
  heads: RidgeJson[];
}

/**
 * Ridge with LOO-chosen lambda (leave one group out when `groups` are given, ./ridge.ts) plus `b` bootstrap heads at
 * the same lambda (for sigma).
 */
export function fitRidgeEnsemble(x: Matrix, y: Float64Array, b: number, seed: number, groups?: readonly string[]): RidgeEnsemble {
  const full = fitRidge(x, y, { groups });
  const heads: RidgeJson[] = [];
  const rand = mulberry32(seed);
  for (let k = 0; k < b; k++) {
    const idx = bootstrapIndices(x.rows, rand);
    heads.push(toJson(fitRidge(takeRows(x, idx), Float64Array.from(idx.map((i) => y[i])), { fixedAbsoluteLambda: full.lambda })));
  }
  return { full: toJson(full), heads };
}

/** Mean from the full fit; sigma^2 = bootstrap variance + LOO residual variance. */
export function predictRidgeEnsemble(e: RidgeEnsemble, x: Matrix): { mean: Float64Array; sigma: Float64Array } {
  const mean = predictRidge(fromJson(e.full), x);
  const sigma = new Float64Array(x.rows).fill(Math.sqrt(Math.max(e.full.looMse, 0)));
  if (e.heads.length >= 2) {
    const preds = e.heads.map((h) => predictRidge(fromJson(h), x));
    for (let i = 0; i < x.rows; i++) {
      let m = 0;
      for (const p of preds) m += p[i] / preds.length;
      let v = 0;
      for (const p of preds) v += (p[i] - m) ** 2 / (preds.length - 1);
      sigma[i] = Math.sqrt(v + Math.max(e.full.looMse, 0));
    }
  }
  return { mean, sigma };
}
