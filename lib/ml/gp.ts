/**
 * Gaussian-process regression on standardised descriptors: one length scale (on standardised inputs, scaled by
 * sqrt(d)), RBF or Matern 5/2 kernel, signal variance profiled out in closed form, length scale and noise ratio chosen
 * by maximum marginal likelihood on a grid. One eigendecomposition per length scale serves every noise ratio.
 * Predictive variances are widened when leave-one-out residuals show them too narrow (looVarianceScale), and for
 * the few-sample Student-t predictive (predictGp).
 * Cost: O(n^3) per grid length scale; fine for a few hundred samples.
 */
import {
  applyStandardiser,
  fitStandardiser,
  fromEigen,
  projectOnEigen,
  symEigen,
  type Matrix,
  type Standardiser,
} from './linalg';
import { studentTWidening } from './metrics';

export type GpKernel = 'rbf' | 'matern52';

export interface GpModel {
  kernel: GpKernel;
  standardiser: Standardiser;
  /** Standardised training inputs, `Shape: [n, d]` row-major. */
  train: Float64Array;
  n: number;
  d: number;
  yMean: number;
  lengthScale: number;
  /** Noise variance / signal variance. */
  noiseRatio: number;
  signalVar: number;
  /** (K + g I)^-1 (y - mean). */
  alpha: Float64Array;
  /** Eigenvalues and eigenvectors (columns, row-major n x n) of K, for predictive variances. */
  eigValues: Float64Array;
  eigVectors: Float64Array;
  logMarginalLikelihood: number;
  /** Factor (>= 1) applied to the marginal-likelihood signal variance by the leave-one-out check. */
  looVarianceScale?: number;
}

export interface GpOptions {
  kernel?: GpKernel;
  /** Multipliers of sqrt(d) to try as length scale. */
  lengthGrid?: readonly number[];
  /** Noise ratios to try. */
  noiseGrid?: readonly number[];
}

const DEFAULT_LENGTHS = [0.3, 0.5, 0.8, 1.2, 2, 3.5];
const DEFAULT_NOISES = Array.from({ length: 11 }, (_, i) => 10 ** (-5 + i * 0.5));

function kernelValue(kernel: GpKernel, r2: number, ls: number): number {
  if (kernel === 'rbf') return Math.exp(-r2 / (2 * ls * ls));
  const r = Math.sqrt(r2) / ls;
  const s5 = Math.sqrt(5) * r;
  return (1 + s5 + (5 / 3) * r * r) * Math.exp(-s5);
}

function sqDist(a: Float64Array, ia: number, b: Float64Array, ib: number, d: number): number {
  let s = 0;
  for (let k = 0; k < d; k++) {
    const t = a[ia + k] - b[ib + k];
    s += t * t;
  }
  return s;
}

export function fitGp(x: Matrix, y: ArrayLike<number>, opts: GpOptions = {}): GpModel {
  const kernel = opts.kernel ?? 'matern52';
  const n = x.rows;
  const d = x.cols;
  if (n < 3) throw new Error('fitGp: need at least 3 samples');
  const standardiser = fitStandardiser(x);
  const z = applyStandardiser(x, standardiser).data;
  let yMean = 0;
  for (let i = 0; i < n; i++) yMean += y[i] / n;
  const yc = new Float64Array(n);
  for (let i = 0; i < n; i++) yc[i] = y[i] - yMean;
  const d2 = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < i; j++) {
      const v = sqDist(z, i * d, z, j * d, d);
      d2[i * n + j] = v;
      d2[j * n + i] = v;
    }
  const scale = Math.sqrt(Math.max(d, 1));
  let best:
    { lml: number; ls: number; g: number; vals: Float64Array; vecs: Float64Array; uy: Float64Array } | undefined;
  for (const mult of opts.lengthGrid ?? DEFAULT_LENGTHS) {
    const ls = mult * scale;
    const k = new Float64Array(n * n);
    for (let i = 0; i < n * n; i++) k[i] = kernelValue(kernel, d2[i], ls);
    const eig = symEigen({ rows: n, cols: n, data: k });
    const vals = eig.values.map((v) => Math.max(v, 0));
    const uy = projectOnEigen(eig, yc);
    for (const g of opts.noiseGrid ?? DEFAULT_NOISES) {
      let quad = 0;
      let logdet = 0;
      for (let q = 0; q < n; q++) {
        quad += (uy[q] * uy[q]) / (vals[q] + g);
        logdet += Math.log(vals[q] + g);
      }
      const sig2 = Math.max(quad / n, 1e-300);
      const lml = -0.5 * n * Math.log(sig2) - 0.5 * logdet - 0.5 * n * (1 + Math.log(2 * Math.PI));
      if (!best || lml > best.lml) best = { lml, ls, g, vals, vecs: eig.vectors, uy };
    }
  }
  if (!best) throw new Error('fitGp: empty hyperparameter grid');
  const { vals, vecs, uy, g } = best;
  const eig = { values: vals, vectors: vecs, n };
  const c = new Float64Array(n);
  let quad = 0;
  for (let q = 0; q < n; q++) {
    c[q] = uy[q] / (vals[q] + g);
    quad += uy[q] * c[q];
  }
  const alpha = fromEigen(eig, c);
  const varianceScale = looVarianceScale(eig, g, alpha, quad / n);
  return {
    kernel,
    standardiser,
    train: z,
    n,
    d,
    yMean,
    lengthScale: best.ls,
    noiseRatio: g,
    signalVar: (quad / n) * varianceScale,
    looVarianceScale: varianceScale,
    alpha,
    eigValues: vals,
    eigVectors: vecs,
    logMarginalLikelihood: best.lml,
  };
}

/**
 * Leave-one-out recalibration (Rasmussen & Williams, GPML section 5.4.2): the LOO residual of sample i is
 * alpha_i / [(K + gI)^-1]_ii and its predictive variance signalVar / [(K + gI)^-1]_ii. When the mean square of the
 * standardised LOO residuals exceeds 1 (too confident, as maximum likelihood tends to be on a handful of samples),
 * the variance is scaled up by it; never down.
 */
function looVarianceScale(
  eig: { values: Float64Array; vectors: Float64Array; n: number },
  g: number,
  alpha: Float64Array,
  signalVar: number,
): number {
  const { n, values, vectors } = eig;
  if (signalVar <= 0) return 1;
  let z2 = 0;
  for (let i = 0; i < n; i++) {
    let inv = 0;
    for (let k = 0; k < n; k++) inv += vectors[i * n + k] ** 2 / (values[k] + g);
    const residual = alpha[i] / inv;
    z2 += (residual * residual * inv) / signalVar;
  }
  return Math.max(1, z2 / n);
}

/**
 * Predictive mean and standard deviation of a new noisy observation (target units). The signal variance is estimated
 * from the n training targets, so the predictive distribution is Student-t with n - 1 degrees of freedom (the mean
 * is estimated too); sigma is widened by t(0.95, n - 1) / z(0.95), the Gaussian sigma with the same 90% interval
 * (a factor 1.30 at n = 5, 1.03 at n = 40), as the mean predictors' `predictiveSigma` does.
 */
export function predictGp(model: GpModel, x: Matrix): { mean: Float64Array; sigma: Float64Array } {
  const { n, d } = model;
  const smallSample = n >= 2 ? studentTWidening(n - 1) : 1;
  const z = applyStandardiser(x, model.standardiser).data;
  const mean = new Float64Array(x.rows);
  const sigma = new Float64Array(x.rows);
  const ks = new Float64Array(n);
  const eig = { values: model.eigValues, vectors: model.eigVectors, n };
  for (let r = 0; r < x.rows; r++) {
    let mu = model.yMean;
    for (let i = 0; i < n; i++) {
      ks[i] = kernelValue(model.kernel, sqDist(z, r * d, model.train, i * d, d), model.lengthScale);
      mu += ks[i] * model.alpha[i];
    }
    const q = projectOnEigen(eig, ks);
    let red = 0;
    for (let k = 0; k < n; k++) red += (q[k] * q[k]) / (model.eigValues[k] + model.noiseRatio);
    mean[r] = mu;
    sigma[r] = smallSample * Math.sqrt(Math.max(model.signalVar * (1 + model.noiseRatio - red), 0));
  }
  return { mean, sigma };
}
