/**
 * Round axis and colour-bar ticks (the d3-scale `ticks` / `nice` algorithm): steps of 1, 2 or 5 times a power of ten,
 * labels with just enough decimals to tell neighbouring ticks apart, never "-0".
 */

const E10 = Math.sqrt(50);
const E5 = Math.sqrt(10);
const E2 = Math.sqrt(2);

/** The round step (1, 2 or 5 x 10^k) giving about `count` intervals over [lo, hi]; NaN for a degenerate range. */
export function tickStep(lo: number, hi: number, count = 5): number {
  const span = hi - lo;
  if (!(span > 0) || !Number.isFinite(span) || !(count > 0)) return NaN;
  const raw = span / count;
  const power = Math.floor(Math.log10(raw));
  const error = raw / Math.pow(10, power);
  const factor = error >= E10 ? 10 : error >= E5 ? 5 : error >= E2 ? 2 : 1;
  return factor * Math.pow(10, power);
}

/** Removes binary noise from a multiple of `step` (0.30000000000000004 -> 0.3) and the sign of zero. */
function clean(v: number, step: number): number {
  const d = tickDecimals(step);
  const r = Number(v.toFixed(Math.min(20, d + 2)));
  return Math.abs(r) < step * 1e-9 ? 0 : r;
}

/** Round ticks inside [lo, hi] (about `count` of them); a degenerate range gives its one value. */
export function niceTicks(range: readonly [number, number], count = 5): number[] {
  const [lo, hi] = range;
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  if (!(hi > lo)) return [lo];
  const step = tickStep(lo, hi, Math.max(1, count - 1));
  const first = Math.ceil(lo / step - 1e-9);
  const last = Math.floor(hi / step + 1e-9);
  const out: number[] = [];
  for (let k = first; k <= last; k++) out.push(clean(k * step, step));
  return out;
}

/**
 * [lo, hi] widened to whole steps (d3 `scale.nice()`): the axis domain that starts and ends on a tick. A degenerate
 * range is padded by 1 % of its magnitude (or 1 when it is 0) first.
 */
export function niceDomain(range: readonly [number, number], count = 5): [number, number] {
  let [lo, hi] = range;
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  if (hi < lo) [lo, hi] = [hi, lo];
  if (hi === lo) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.01;
    lo -= pad;
    hi += pad;
  }
  // Two passes, as d3: widening can change the step.
  for (let pass = 0; pass < 2; pass++) {
    const step = tickStep(lo, hi, Math.max(1, count - 1));
    lo = clean(Math.floor(lo / step + 1e-9) * step, step);
    hi = clean(Math.ceil(hi / step - 1e-9) * step, step);
  }
  return [lo, hi];
}

/** Decimals needed to write multiples of `step` exactly (0.25 -> 2, 0.2 -> 1, 5 -> 0), at most 12. */
export function tickDecimals(step: number): number {
  if (!(step > 0) || !Number.isFinite(step)) return 0;
  for (let d = 0; d < 12; d++) {
    const scaled = step * Math.pow(10, d);
    if (Math.abs(scaled - Math.round(scaled)) < 1e-6 * Math.max(1, scaled)) return d;
  }
  return 12;
}

/** Tick labels for sorted ticks: one decimal count for all, enough to tell them apart; "0", never "-0". */
export function tickLabels(ticks: readonly number[]): string[] {
  if (ticks.length < 2) return ticks.map((t) => formatTick(t, 0.001));
  let step = Infinity;
  for (let i = 1; i < ticks.length; i++) step = Math.min(step, Math.abs(ticks[i] - ticks[i - 1]));
  return ticks.map((t) => formatTick(t, step));
}

/** One tick label: `v` with the decimals of `step`, and no minus sign on a value that rounds to zero. */
export function formatTick(v: number, step: number): string {
  const s = v.toFixed(tickDecimals(step));
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}

/** What a chart axis needs: a round domain covering the data, its ticks and a formatter labelling them distinctly. */
export interface AxisScale {
  domain: [number, number];
  ticks: number[];
  format: (v: number) => string;
}

/** A round axis for the finite values given (extra values such as band edges can be included); [0, 1] when none. */
export function axisScale(values: Iterable<number | null | undefined>, count = 5): AxisScale {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v === null || v === undefined || !Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const domain = lo <= hi ? niceDomain([lo, hi], count) : ([0, 1] as [number, number]);
  const ticks = niceTicks(domain, count);
  const step = ticks.length > 1 ? ticks[1] - ticks[0] : tickStep(domain[0], domain[1], Math.max(1, count - 1));
  return { domain, ticks, format: (v: number) => formatTick(v, step) };
}
