import type { Metrics } from './types';

/** MAE, RMSE and R2 (1 - SS_res / SS_tot; 0 when the targets are constant). */
export function regressionMetrics(truth: ArrayLike<number>, pred: ArrayLike<number>): Metrics {
  const n = truth.length;
  if (n === 0) return { n: 0, maeEv: NaN, rmseEv: NaN, r2: NaN };
  let ae = 0;
  let se = 0;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += truth[i] / n;
  let tot = 0;
  for (let i = 0; i < n; i++) {
    const d = pred[i] - truth[i];
    ae += Math.abs(d);
    se += d * d;
    tot += (truth[i] - mean) ** 2;
  }
  return { n, maeEv: ae / n, rmseEv: Math.sqrt(se / n), r2: tot > 0 ? 1 - se / tot : 0 };
}

export function meanStd(values: readonly number[]): { mean: number; std: number } {
  const n = values.length;
  if (n === 0) return { mean: NaN, std: NaN };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const v = n > 1 ? values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) : 0;
  return { mean, std: Math.sqrt(v) };
}

/** Inverse of the standard normal CDF (Acklam's rational approximation, |rel err| < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const pl = 0.02425;
  if (p < pl) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - pl) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/**
 * Quantile of Student's t with `nu` degrees of freedom: exact for nu = 1 and 2, else the Cornish-Fisher expansion
 * about the normal quantile to 1/nu^3 (Abramowitz & Stegun 26.7.5; relative error < 0.3% at p = 0.95, nu = 3).
 */
export function studentTQuantile(p: number, nu: number): number {
  if (!(nu > 0)) throw new RangeError(`degrees of freedom must be positive, got ${nu}`);
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, nu);
  if (nu === 1) return Math.tan(Math.PI * (p - 0.5));
  if (nu === 2) return (2 * p - 1) / Math.sqrt(2 * p * (1 - p));
  const z = normalQuantile(p);
  const z2 = z * z;
  return (
    z +
    (z * (z2 + 1)) / (4 * nu) +
    (z * ((5 * z2 + 16) * z2 + 3)) / (96 * nu ** 2) +
    (z * (((3 * z2 + 19) * z2 + 17) * z2 - 15)) / (384 * nu ** 3)
  );
}

/**
 * t(0.95, nu) / z(0.95): the factor that turns the scale of a Student-t predictive with `nu` degrees of freedom into
 * the Gaussian sigma with the same 90% interval (so that mean +- 1.645 sigma holds 90% however few the samples).
 */
export function studentTWidening(nu: number): number {
  return studentTQuantile(0.95, nu) / normalQuantile(0.95);
}

/**
 * Predictive sigma of a new draw from n normal samples with sample std s (n - 1 in the denominator): the Student-t
 * predictive mean +- t(0.95, n - 1) s sqrt(1 + 1/n), as a Gaussian sigma (`studentTWidening`). 0 for n < 2.
 */
export function predictiveSigma(s: number, n: number): number {
  if (n < 2) return 0;
  return s * Math.sqrt(1 + 1 / n) * studentTWidening(n - 1);
}
