/**
 * Monotone piecewise-cubic Hermite interpolation (PCHIP), as SciPy's `PchipInterpolator`
 * (Fritsch & Carlson 1980, slopes of Fritsch & Butland 1984):
 *
 * - secants m_k = (y_{k+1} - y_k) / h_k on each interval h_k = x_{k+1} - x_k;
 * - interior slope d_k = 0 where m_{k-1} and m_k differ in sign or either is zero (so every local extremum of the
 *   data is an extremum of the curve, with zero slope), else the weighted harmonic mean
 *   (w1 + w2) / d_k = w1 / m_{k-1} + w2 / m_k with w1 = 2 h_k + h_{k-1}, w2 = h_k + 2 h_{k-1};
 * - end slopes from the one-sided three-point formula d_0 = ((2 h_0 + h_1) m_0 - h_0 m_1) / (h_0 + h_1), set to zero
 *   when its sign differs from m_0, and limited to 3 m_0 when m_0 and m_1 differ in sign (SciPy's `_edge_case`);
 * - with two knots the curve is the straight line.
 *
 * The harmonic mean keeps |d_k| <= 3 min(|m_{k-1}|, |m_k|), so the curve is monotone on every interval: it never
 * overshoots the data and its extrema over [x_0, x_N] are knot values. Evaluation outside [x_0, x_N] throws a
 * `RangeError`: this module never extrapolates (emmet PR #1255 is what happens otherwise).
 */
import { ProfileError } from './errors';

/** Relative slack at the ends of the domain, for abscissae that are the ends up to rounding (e.g. a cumulative sum
 * divided by its total). Points within it are snapped to the end; anything farther throws. */
const END_SLACK = 1e-12;

function sign(v: number): number {
  return v > 0 ? 1 : v < 0 ? -1 : 0;
}

/** SciPy's `PchipInterpolator._edge_case`: one-sided slope at an end knot. */
function edgeSlope(h0: number, h1: number, m0: number, m1: number): number {
  const d = ((2 * h0 + h1) * m0 - h0 * m1) / (h0 + h1);
  if (sign(d) !== sign(m0)) return 0;
  if (sign(m0) !== sign(m1) && Math.abs(d) > 3 * Math.abs(m0)) return 3 * m0;
  return d;
}

function checkKnots(x: ArrayLike<number>, y: ArrayLike<number>): void {
  if (x.length !== y.length) {
    throw new ProfileError('bad_knots', `PCHIP needs as many ordinates as abscissae (${x.length} vs ${y.length})`);
  }
  if (x.length < 2) throw new ProfileError('bad_knots', `PCHIP needs at least two knots, got ${x.length}`);
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]) || !Number.isFinite(y[i])) {
      throw new ProfileError('bad_knots', `PCHIP knot ${i} is not finite (x=${x[i]}, y=${y[i]})`);
    }
    if (i > 0 && !(x[i] > x[i - 1])) {
      throw new ProfileError(
        'bad_knots',
        `PCHIP abscissae must increase strictly (x[${i - 1}]=${x[i - 1]}, x[${i}]=${x[i]})`,
      );
    }
  }
}

/**
 * Knot slopes dy/dx of the PCHIP through (x, y). `x` strictly increasing, at least two knots.
 * Shape: [n] for n knots.
 */
export function pchipSlopes(x: ArrayLike<number>, y: ArrayLike<number>): Float64Array {
  checkKnots(x, y);
  const n = x.length;
  const d = new Float64Array(n);
  const h = new Float64Array(n - 1);
  const m = new Float64Array(n - 1);
  for (let k = 0; k < n - 1; k++) {
    h[k] = x[k + 1] - x[k];
    m[k] = (y[k + 1] - y[k]) / h[k];
  }
  if (n === 2) {
    d[0] = m[0];
    d[1] = m[0];
    return d;
  }
  for (let k = 1; k < n - 1; k++) {
    const mPrev = m[k - 1];
    const mNext = m[k];
    if (mPrev === 0 || mNext === 0 || sign(mPrev) !== sign(mNext)) {
      d[k] = 0;
      continue;
    }
    const w1 = 2 * h[k] + h[k - 1];
    const w2 = h[k] + 2 * h[k - 1];
    d[k] = (w1 + w2) / (w1 / mPrev + w2 / mNext);
  }
  d[0] = edgeSlope(h[0], h[1], m[0], m[1]);
  d[n - 1] = edgeSlope(h[n - 2], h[n - 3], m[n - 2], m[n - 3]);
  return d;
}

/** `n` evenly spaced points from `a` to `b` inclusive (n >= 2; n = 1 gives [a]). The last point is exactly `b`. */
export function linspace(a: number, b: number, n: number): number[] {
  if (!Number.isInteger(n) || n < 1) throw new ProfileError('bad_argument', `linspace needs n >= 1, got ${n}`);
  if (n === 1) return [a];
  const out = new Array<number>(n);
  const step = (b - a) / (n - 1);
  for (let i = 0; i < n; i++) out[i] = a + i * step;
  out[n - 1] = b;
  return out;
}

/** Default number of samples of a drawn profile (DESIGN.md, "Profiles and barriers"). */
export const DEFAULT_PROFILE_SAMPLES = 21;

/** A PCHIP curve through fixed knots. Immutable; evaluation allocates nothing. */
export class Pchip {
  /** Knot abscissae, strictly increasing. Shape: [n]. */
  readonly x: Float64Array;
  /** Knot ordinates. Shape: [n]. */
  readonly y: Float64Array;
  /** Knot slopes dy/dx (see `pchipSlopes`). Shape: [n]. */
  readonly slopes: Float64Array;

  constructor(x: ArrayLike<number>, y: ArrayLike<number>) {
    this.slopes = pchipSlopes(x, y);
    this.x = Float64Array.from(x);
    this.y = Float64Array.from(y);
  }

  /** [x_0, x_N]: the only abscissae where the curve is defined. */
  get domain(): [number, number] {
    return [this.x[0], this.x[this.x.length - 1]];
  }

  /** Index k of the interval [x_k, x_{k+1}] holding `t` (already inside the domain). */
  private interval(t: number): number {
    let lo = 0;
    let hi = this.x.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.x[mid] <= t) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** `t` checked against the domain and snapped to its ends within `END_SLACK`; throws `RangeError` outside. */
  private inside(t: number): number {
    const [a, b] = this.domain;
    const slack = END_SLACK * Math.max(1, b - a);
    if (!(t >= a - slack && t <= b + slack)) {
      throw new RangeError(`PCHIP is defined on [${a}, ${b}] only; refusing to extrapolate to ${t}`);
    }
    return t < a ? a : t > b ? b : t;
  }

  /** The curve at `t`. Throws `RangeError` outside [x_0, x_N] (and for NaN). Never leaves [min, max] of the two
   * knots of its interval, even by rounding. */
  evaluate(t: number): number {
    const u = this.inside(t);
    const k = this.interval(u);
    const h = this.x[k + 1] - this.x[k];
    const s = (u - this.x[k]) / h;
    const s2 = s * s;
    const s3 = s2 * s;
    const h00 = 2 * s3 - 3 * s2 + 1;
    const h10 = s3 - 2 * s2 + s;
    const h01 = -2 * s3 + 3 * s2;
    const h11 = s3 - s2;
    const v = h00 * this.y[k] + h10 * h * this.slopes[k] + h01 * this.y[k + 1] + h11 * h * this.slopes[k + 1];
    // The exact curve stays within its interval's knot values (monotone on each interval); clamp the last-ulp
    // rounding so that a sampled maximum never exceeds the knot it approaches.
    const lo = Math.min(this.y[k], this.y[k + 1]);
    const hi = Math.max(this.y[k], this.y[k + 1]);
    return v < lo ? lo : v > hi ? hi : v;
  }

  /** dy/dx at `t`. Throws `RangeError` outside [x_0, x_N]. At an interior knot, the value from the right interval
   * (both sides agree: the curve is C1). */
  derivative(t: number): number {
    const u = this.inside(t);
    const k = this.interval(u);
    const h = this.x[k + 1] - this.x[k];
    const s = (u - this.x[k]) / h;
    const s2 = s * s;
    const dh00 = (6 * s2 - 6 * s) / h;
    const dh10 = 3 * s2 - 4 * s + 1;
    const dh01 = (-6 * s2 + 6 * s) / h;
    const dh11 = 3 * s2 - 2 * s;
    return dh00 * this.y[k] + dh10 * this.slopes[k] + dh01 * this.y[k + 1] + dh11 * this.slopes[k + 1];
  }

  /** The curve at each of `ts` (each inside the domain). */
  evaluateMany(ts: ArrayLike<number>): number[] {
    const out = new Array<number>(ts.length);
    for (let i = 0; i < ts.length; i++) out[i] = this.evaluate(ts[i]);
    return out;
  }

  /** `n` evenly spaced samples over the whole domain, ends included (default 21). */
  sample(n: number = DEFAULT_PROFILE_SAMPLES): { x: number[]; y: number[] } {
    if (!Number.isInteger(n) || n < 2) throw new ProfileError('bad_argument', `sample needs n >= 2, got ${n}`);
    const [a, b] = this.domain;
    const x = linspace(a, b, n);
    return { x, y: this.evaluateMany(x) };
  }
}

/** A PCHIP through (x, y); see `Pchip`. */
export function pchip(x: ArrayLike<number>, y: ArrayLike<number>): Pchip {
  return new Pchip(x, y);
}
