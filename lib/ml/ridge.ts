/**
 * Ridge regression in closed form with standardised inputs, an unpenalised intercept and the regularisation chosen by
 * exact leave-one-out error (PRESS via the hat-matrix diagonal) on a log grid. One eigendecomposition per fit, of the
 * smaller Gram matrix (n x n when p > n, p x p otherwise), serves every lambda on the grid. With `groups` (rows that
 * belong together, e.g. the sites of one surface) it is chosen by leaving one group out instead, refitting per fold.
 */
import {
  applyStandardiser,
  cholesky,
  choleskySolve,
  fitStandardiser,
  gramCols,
  gramRows,
  matTVec,
  matrix,
  projectOnEigen,
  symEigen,
  takeRows,
  type Matrix,
  type Standardiser,
} from './linalg';

export interface RidgeModel {
  standardiser: Standardiser;
  yMean: number;
  /** Weights on standardised inputs. */
  weights: Float64Array;
  lambda: number;
  /** Leave-one-out mean squared error at the chosen lambda (target units squared). */
  looMse: number;
}

export interface RidgeOptions {
  /** Fix lambda (in units of the mean eigenvalue of the standardised Gram matrix); skips the search. */
  lambda?: number;
  /** Relative lambdas to try (default 10^-5 .. 10^3, 17 values). */
  lambdaGrid?: readonly number[];
  /** Absolute lambda on the standardised problem; one Cholesky solve, no search, looMse = NaN (bootstrap heads). */
  fixedAbsoluteLambda?: number;
  /**
   * A group per row (e.g. its surface): lambda is then chosen by leave-one-group-out error, which looMse reports,
   * when there are at least 3 groups. Rows of one surface share its surface-level features, so leaving single rows
   * out rewards fits that recognise the surface and extrapolate wildly to a new one.
   */
  groups?: readonly string[];
}

export const DEFAULT_LAMBDA_GRID: readonly number[] = Array.from({ length: 17 }, (_, i) => 10 ** (-5 + i * 0.5));

export function fitRidge(x: Matrix, y: ArrayLike<number>, opts: RidgeOptions = {}): RidgeModel {
  const n = x.rows;
  if (n < 2) throw new Error('fitRidge: need at least 2 samples');
  const standardiser = fitStandardiser(x);
  const z = applyStandardiser(x, standardiser);
  let yMean = 0;
  for (let i = 0; i < n; i++) yMean += y[i] / n;
  const yc = new Float64Array(n);
  for (let i = 0; i < n; i++) yc[i] = y[i] - yMean;
  const p = z.cols;
  if (opts.fixedAbsoluteLambda !== undefined) return fitRidgeFixed(z, yc, standardiser, yMean, opts.fixedAbsoluteLambda);
  const dual = n <= p;
  const eig = symEigen(dual ? gramRows(z) : gramCols(z));
  const m = eig.n;
  const s = eig.values.map((v) => Math.max(v, 0));
  let meanEig = 0;
  for (let k = 0; k < m; k++) meanEig += s[k] / m;
  if (!(meanEig > 0)) meanEig = 1;
  // T: Shape [n, m], the data in the eigenbasis (dual: U diag(sqrt s) ; primal: Z V).
  const t = new Float64Array(n * m);
  if (dual) {
    for (let i = 0; i < n; i++) for (let k = 0; k < m; k++) t[i * m + k] = eig.vectors[i * m + k] * Math.sqrt(s[k]);
  } else {
    for (let i = 0; i < n; i++)
      for (let k = 0; k < m; k++) {
        let acc = 0;
        for (let j = 0; j < p; j++) acc += z.data[i * p + j] * eig.vectors[j * m + k];
        t[i * m + k] = acc;
      }
  }
  // ty = T^T yc
  const ty = new Float64Array(m);
  for (let i = 0; i < n; i++) for (let k = 0; k < m; k++) ty[k] += t[i * m + k] * yc[i];
  const grid = opts.lambda !== undefined ? [opts.lambda] : (opts.lambdaGrid ?? DEFAULT_LAMBDA_GRID);
  let best = { rel: grid[0], loo: Infinity };
  const grouped = opts.groups && new Set(opts.groups).size >= 3 ? opts.groups : null;
  if (grouped) best = leaveGroupOut(x, y, grouped, grid, meanEig);
  else for (const rel of grid) {
    const lam = rel * meanEig;
    let press = 0;
    for (let i = 0; i < n; i++) {
      let fit = 0;
      let h = 1 / n;
      for (let k = 0; k < m; k++) {
        const tik = t[i * m + k];
        const inv = 1 / (s[k] + lam);
        fit += tik * ty[k] * inv;
        h += tik * tik * inv;
      }
      const r = (yc[i] - fit) / Math.max(1 - h, 1e-9);
      press += r * r;
    }
    const loo = press / n;
    if (loo < best.loo) best = { rel, loo };
  }
  const lam = best.rel * meanEig;
  const coef = new Float64Array(m);
  for (let k = 0; k < m; k++) coef[k] = ty[k] / (s[k] + lam);
  let weights: Float64Array;
  if (dual) {
    // w = Z^T alpha, alpha = U diag(1/(s+lam)) U^T yc ; note T^T yc = sqrt(s) U^T yc
    const uy = projectOnEigen(eig, yc);
    const alpha = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let acc = 0;
      for (let k = 0; k < m; k++) acc += eig.vectors[i * m + k] * (uy[k] / (s[k] + lam));
      alpha[i] = acc;
    }
    weights = matTVec(z, alpha);
  } else {
    weights = new Float64Array(p);
    for (let j = 0; j < p; j++) {
      let acc = 0;
      for (let k = 0; k < m; k++) acc += eig.vectors[j * m + k] * coef[k];
      weights[j] = acc;
    }
  }
  return { standardiser, yMean, weights, lambda: lam, looMse: best.loo };
}

/** The relative lambda with the lowest leave-one-group-out mean squared error, and that error. */
function leaveGroupOut(
  x: Matrix,
  y: ArrayLike<number>,
  groups: readonly string[],
  grid: readonly number[],
  meanEig: number,
): { rel: number; loo: number } {
  const folds = [...new Set(groups)].map((g) => {
    const train: number[] = [];
    const test: number[] = [];
    groups.forEach((h, i) => (h === g ? test : train).push(i));
    return { train, test };
  });
  let best = { rel: grid[0], loo: Infinity };
  for (const rel of grid) {
    let sse = 0;
    for (const { train, test } of folds) {
      if (train.length < 2) continue;
      // The Gram matrix grows with the rows: the same penalty per row on the fold's fewer rows.
      const lam = (rel * meanEig * train.length) / x.rows;
      const model = fitRidge(takeRows(x, train), train.map((i) => y[i]), { fixedAbsoluteLambda: lam });
      const pred = predictRidge(model, takeRows(x, test));
      test.forEach((i, k) => (sse += (y[i] - pred[k]) ** 2));
    }
    const mse = sse / x.rows;
    if (mse < best.loo) best = { rel, loo: mse };
  }
  return best;
}

function fitRidgeFixed(z: Matrix, yc: Float64Array, standardiser: Standardiser, yMean: number, lam: number): RidgeModel {
  const n = z.rows;
  const p = z.cols;
  let weights: Float64Array;
  if (n <= p) {
    const k = gramRows(z);
    for (let i = 0; i < n; i++) k.data[i * n + i] += lam;
    weights = matTVec(z, choleskySolve(cholesky(k), n, yc));
  } else {
    const c = gramCols(z);
    for (let i = 0; i < p; i++) c.data[i * p + i] += lam;
    weights = choleskySolve(cholesky(c), p, matTVec(z, yc));
  }
  return { standardiser, yMean, weights, lambda: lam, looMse: NaN };
}

export function predictRidge(model: RidgeModel, x: Matrix): Float64Array {
  const { mean, std } = model.standardiser;
  const p = x.cols;
  const out = new Float64Array(x.rows);
  for (let i = 0; i < x.rows; i++) {
    let acc = model.yMean;
    for (let j = 0; j < p; j++) acc += ((x.data[i * p + j] - mean[j]) / std[j]) * model.weights[j];
    out[i] = acc;
  }
  return out;
}

/** Ordinary least squares on one column (the MEP-linear baseline): y = a + b x. */
export function fitLine(x: ArrayLike<number>, y: ArrayLike<number>): { intercept: number; slope: number } {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i] / n;
    my += y[i] / n;
  }
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
  }
  const slope = sxx > 1e-300 ? sxy / sxx : 0;
  return { intercept: my - slope * mx, slope };
}

export { matrix };
