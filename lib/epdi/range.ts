/**
 * The ONE EPDI value range (eV mapped to 0 and 1 of an image channel), used alike by the CLI, the server (display
 * images, the EPDI batch) and the browser, and by every model: the min and max potential over the given images,
 * padded by 2% of the span on each side.
 *
 * Why min/max of the training inputs, and not robust percentiles over every site of a dataset:
 * - The absolute potential level carries the MEP signal (the correlation with E_b), so the range is one per dataset
 *   or model, never per image.
 * - The extremes of the vacuum-aligned potential at the Li height are not noise: they are the deepest wells over
 *   the sites, the sites next to a dopant (an extra or missing valence electron shifts the local potential by tenths
 *   of an eV) and the hosts with the deepest or shallowest levels, i.e. the values that set E_b and that a
 *   new-surface model must tell apart. A clipped window makes two sites of different depth identical inputs.
 *   Measured on the synthetic set of tests/lib/ml/models.test.ts (E_b = 0.6 <V>_{r<=1 A} + 0.25 <V>_{r<=2.5 A} - 0.3;
 *   frozen-ridge on mobilenetv2-035, one paper split, fraction 0.5, seed 11): the app's former 1st-99th percentile
 *   window saturated 1,473 of 73,728 pixels spread over 49 of the 72 images (up to 123 of 1,024 pixels in one) and
 *   the MAE rose to 74.5 meV against the test's 50 meV bound; min/max + 2% clips none: 42.0 meV. (A 0.1-99.9
 *   window, 148 pixels in 25 images, gave 27.2 meV on that one split: more contrast can help, but the best width
 *   depends on the data; min/max has no parameter and never saturates a training image.)
 * - A model's inputs must not depend on its test data: for a model the images are its training inputs only, so
 *   adding a surface (or holding one out) never moves the mapping of the others. The range is stored with the model
 *   (its imageSettings.rangeEv) and reused unchanged to predict a new surface, whose values beyond it are clipped.
 * - The 2% margin keeps the training extremes off the clip edges.
 */
export interface ValueRange {
  minEv: number;
  maxEv: number;
  /** Pixels the range was taken over. */
  samples: number;
}

/** Fraction of the span added on each side. */
export const EPDI_RANGE_MARGIN = 0.02;

/**
 * Min/max (+2%) of the finite values of `images` (eV). Degenerate (constant) data gets a unit-wide range around the
 * value; no finite value at all gets [0, 1].
 */
export function epdiRangeEv(images: Iterable<ArrayLike<number>>): ValueRange {
  let lo = Infinity;
  let hi = -Infinity;
  let n = 0;
  for (const im of images)
    for (let i = 0; i < im.length; i++) {
      const v = im[i];
      if (!Number.isFinite(v)) continue;
      n++;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  if (n === 0) return { minEv: 0, maxEv: 1, samples: 0 };
  if (hi - lo < 1e-9) return { minEv: lo - 0.5, maxEv: hi + 0.5, samples: n };
  const pad = EPDI_RANGE_MARGIN * (hi - lo);
  return { minEv: lo - pad, maxEv: hi + pad, samples: n };
}

/**
 * The range of a dataset's images (the server's display range and `epdi extract`): `epdiRangeEv` over all of them.
 * Throws RangeError when there are no pixels at all.
 */
export function datasetValueRange(images: Iterable<ArrayLike<number>>): ValueRange {
  const list = [...images];
  if (list.every((im) => im.length === 0)) throw new RangeError('datasetValueRange: no pixels');
  return epdiRangeEv(list);
}
