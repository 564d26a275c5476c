/**
 * Dataset-level value range for the channel mapping: ONE range per dataset (never per image), so that the absolute
 * potential level, which carries the MEP signal, survives in the pixels. Robust percentiles of all pixels of all
 * images (default 1st and 99th), from a deterministic strided subsample of at most `maxSamples` values.
 */
export interface ValueRange {
  minEv: number;
  maxEv: number;
  lowPercentile: number;
  highPercentile: number;
  samples: number;
}

export function datasetValueRange(
  images: Iterable<Float32Array>,
  { lowPercentile = 1, highPercentile = 99, maxSamples = 2_000_000 }: { lowPercentile?: number; highPercentile?: number; maxSamples?: number } = {},
): ValueRange {
  const list = [...images];
  const total = list.reduce((s, im) => s + im.length, 0);
  if (total === 0) throw new RangeError('datasetValueRange: no pixels');
  const stride = Math.max(1, Math.ceil(total / maxSamples));
  const values = new Float64Array(Math.ceil(total / stride));
  let n = 0;
  let k = 0;
  for (const im of list) {
    for (let i = 0; i < im.length; i++, k++) if (k % stride === 0 && Number.isFinite(im[i])) values[n++] = im[i];
  }
  const sorted = values.subarray(0, n).sort();
  const at = (p: number): number => {
    const x = (p / 100) * (n - 1);
    const i = Math.floor(x);
    const f = x - i;
    return i + 1 < n ? sorted[i] * (1 - f) + sorted[i + 1] * f : sorted[n - 1];
  };
  let minEv = at(lowPercentile);
  let maxEv = at(highPercentile);
  if (!(maxEv > minEv)) {
    // Degenerate (constant) data: a unit-wide range around the value keeps the mapping defined.
    minEv -= 0.5;
    maxEv += 0.5;
  }
  return { minEv, maxEv, lowPercentile, highPercentile, samples: n };
}
