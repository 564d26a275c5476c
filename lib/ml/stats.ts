/**
 * Small statistics for comparing models on the same test samples: Spearman's rank correlation, the Wilcoxon
 * signed-rank test (exact null distribution, ties allowed), and the Wilson interval of a binomial proportion.
 */
import { normalQuantile } from './metrics';

/** Ranks 1..n with ties given their average rank. */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const ranks = new Array<number>(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k][1]] = r;
    i = j + 1;
  }
  return ranks;
}

function pearson(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}

/** Spearman's rho: Pearson correlation of average ranks; NaN for fewer than 3 pairs or a constant side. */
export function spearman(x: readonly number[], y: readonly number[]): number {
  if (x.length !== y.length) throw new RangeError('spearman: lengths differ');
  if (x.length < 3) return NaN;
  return pearson(averageRanks(x), averageRanks(y));
}

export interface WilcoxonResult {
  /** Pairs with a non-zero difference (zeros dropped, Wilcoxon's convention). */
  n: number;
  /** Sum of the ranks of |d| over positive differences. */
  wPlus: number;
  /** Two-sided p-value from the exact permutation distribution of W+ (all 2^n sign patterns, tied ranks kept). */
  pValue: number;
  /** Median of the differences (all pairs, zeros included). */
  medianDiff: number;
}

/**
 * Wilcoxon signed-rank test of paired differences d (e.g. |error of a model| - |error of the constant| per test
 * sample). Null: the signs of the d are symmetric. The null distribution of W+ is computed exactly by dynamic
 * programming over doubled ranks (integers even with ties), so the p-value is exact at every n (no normal
 * approximation): p = min(1, 2 min(P(W+ <= w), P(W+ >= w))). n = 0 gives p = 1.
 */
export function wilcoxonSignedRank(d: readonly number[]): WilcoxonResult {
  const sorted = [...d].sort((a, b) => a - b);
  const medianDiff = sorted.length
    ? sorted.length % 2
      ? sorted[(sorted.length - 1) / 2]
      : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2
    : NaN;
  const nz = d.filter((v) => v !== 0);
  const n = nz.length;
  if (n === 0) return { n: 0, wPlus: 0, pValue: 1, medianDiff };
  const ranks = averageRanks(nz.map(Math.abs));
  const doubled = ranks.map((r) => Math.round(2 * r));
  const total = doubled.reduce((a, b) => a + b, 0);
  // prob[s] = P(sum of doubled ranks of the positive signs = s) under random signs.
  let prob = new Float64Array(total + 1);
  prob[0] = 1;
  let reach = 0;
  for (const r of doubled) {
    const next = new Float64Array(total + 1);
    for (let s = 0; s <= reach; s++) {
      if (prob[s] === 0) continue;
      next[s] += prob[s] / 2;
      next[s + r] += prob[s] / 2;
    }
    reach += r;
    prob = next;
  }
  const w2 = nz.reduce((a, v, i) => a + (v > 0 ? doubled[i] : 0), 0);
  let lower = 0;
  let upper = 0;
  for (let s = 0; s <= total; s++) {
    if (s <= w2) lower += prob[s];
    if (s >= w2) upper += prob[s];
  }
  return { n, wPlus: w2 / 2, pValue: Math.min(1, 2 * Math.min(lower, upper)), medianDiff };
}

/** Wilson score interval of a proportion k/n at `level` (default 95%); [NaN, NaN] for n = 0. */
export function wilsonInterval(k: number, n: number, level = 0.95): [number, number] {
  if (n <= 0) return [NaN, NaN];
  const z = normalQuantile(0.5 + level / 2);
  const p = k / n;
  const denom = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denom;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}
