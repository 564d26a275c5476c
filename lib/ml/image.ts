/**
 * EPDI potential images -> pictures. One fixed potential range per dataset maps eV to [0, 1] (never per image: the
 * absolute level carries the MEP signal); grey is replicated to 3 channels unless the sample brings its own `rgb`.
 */
import type { ImageSettings, Sample } from './types';

/** The dataset range: min and max potential over the given samples' EPDIs (eV), padded by 2%. */
export function datasetRangeEv(samples: readonly Sample[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of samples)
    for (let i = 0; i < s.epdi.length; i++) {
      const v = s.epdi[i];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  if (hi - lo < 1e-9) return [lo - 0.5, hi + 0.5];
  const pad = 0.02 * (hi - lo);
  return [lo - pad, hi + pad];
}

/**
 * The EPDI value range of a model from its TRAINING inputs only (never a test surface's potential): `datasetRangeEv`
 * over the training samples. (The app's display range, lib/server/sites.ts, is the 1st-99th percentile of all sites;
 * that clips the extreme potentials the models learn from, so the models keep the full range.)
 */
export function trainingRangeEv(train: readonly Sample[]): [number, number] {
  return datasetRangeEv(train);
}

/** Grey [0, 1] image of one sample, `Shape: [pixels, pixels]`. */
export function greyImage(sample: Sample, settings: ImageSettings, out?: Float32Array): Float32Array {
  const [lo, hi] = settings.rangeEv;
  const span = hi - lo > 0 ? hi - lo : 1;
  const img = out ?? new Float32Array(sample.epdi.length);
  for (let i = 0; i < sample.epdi.length; i++) {
    const v = (sample.epdi[i] - lo) / span;
    img[i] = v < 0 ? 0 : v > 1 ? 1 : v;
  }
  return img;
}

/** Batch of RGB [0, 1] images in one Float32Array, `Shape: [batch, N, N, 3]`; every sample must have N pixels. */
export function rgbBatch(samples: readonly Sample[], settings: ImageSettings): { data: Float32Array; pixels: number } {
  const n = samples[0]?.pixels ?? 0;
  const px = n * n;
  const data = new Float32Array(samples.length * px * 3);
  const grey = new Float32Array(px);
  samples.forEach((s, b) => {
    if (s.pixels !== n) throw new Error(`rgbBatch: sample ${s.id} has ${s.pixels} pixels, expected ${n}`);
    const o = b * px * 3;
    if (s.rgb) {
      data.set(s.rgb.subarray(0, px * 3), o);
      return;
    }
    greyImage(s, settings, grey);
    for (let i = 0; i < px; i++) {
      const v = grey[i];
      data[o + 3 * i] = v;
      data[o + 3 * i + 1] = v;
      data[o + 3 * i + 2] = v;
    }
  });
  return { data, pixels: n };
}

/** Box-average down-sampling of an N x N image to M x M (bilinear when M does not divide N). */
export function downsample(img: ArrayLike<number>, n: number, m: number, out?: Float64Array): Float64Array {
  const res = out ?? new Float64Array(m * m);
  const f = n / m;
  for (let y = 0; y < m; y++)
    for (let x = 0; x < m; x++) {
      const y0 = Math.floor(y * f);
      const y1 = Math.max(y0 + 1, Math.floor((y + 1) * f));
      const x0 = Math.floor(x * f);
      const x1 = Math.max(x0 + 1, Math.floor((x + 1) * f));
      let s = 0;
      let c = 0;
      for (let yy = y0; yy < Math.min(y1, n); yy++)
        for (let xx = x0; xx < Math.min(x1, n); xx++) {
          s += img[yy * n + xx];
          c++;
        }
      res[y * m + x] = c > 0 ? s / c : 0;
    }
  return res;
}
