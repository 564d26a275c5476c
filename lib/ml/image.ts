/**
 * EPDI potential images -> pictures. One fixed potential range per dataset maps eV to [0, 1] (never per image: the
 * absolute level carries the MEP signal); grey is replicated to 3 channels unless the sample brings its own `rgb`.
 */
import { epdiRangeEv } from '../epdi/range';
import type { ImageSettings, Sample } from './types';

/** The EPDI range (../epdi/range.ts `epdiRangeEv`: min/max + 2%) over the given samples' EPDIs (eV). */
export function datasetRangeEv(samples: readonly Sample[]): [number, number] {
  const r = epdiRangeEv(samples.map((s) => s.epdi));
  return [r.minEv, r.maxEv];
}

/**
 * The EPDI value range of a model from its TRAINING inputs only (never a test sample's potential): the one range
 * function (../epdi/range.ts) over the training samples. Every protocol (./evaluate.ts, ./new-surface.ts) fits each
 * split with it; the range is stored with the model (imageSettings.rangeEv).
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
