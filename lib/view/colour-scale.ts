import { colormapLut } from '../epdi/colormap';
import type { ColormapName } from '../epdi/settings';

/**
 * Value -> colour for the views: a linear map of [min, max] onto a colormap (clamped), its colour bar and ticks.
 * Colours are RGB in [0, 1] (three.js) or 8-bit RGBA (canvas ImageData).
 */
export interface ColourScale {
  range: [number, number];
  colormap: ColormapName;
}

/** Position of `v` on the bar, in [0, 1] (clamped; NaN -> 0; a degenerate range maps everything to 0.5). */
export function scalePosition(v: number, range: readonly [number, number]): number {
  const span = range[1] - range[0];
  if (!(span > 0)) return 0.5;
  const t = (v - range[0]) / span;
  return Number.isNaN(t) ? 0 : t < 0 ? 0 : t > 1 ? 1 : t;
}

/** RGB in [0, 1] of `v`, linearly interpolated in the 256-entry table of the colormap. Writes into `out`. */
export function colourOf(
  v: number,
  scale: ColourScale,
  out: [number, number, number] = [0, 0, 0],
): [number, number, number] {
  const lut = colormapLut(scale.colormap);
  const x = scalePosition(v, scale.range) * 255;
  const j = Math.min(254, Math.floor(x));
  const f = x - j;
  for (let ch = 0; ch < 3; ch++) out[ch] = lut[3 * j + ch] * (1 - f) + lut[3 * (j + 1) + ch] * f;
  return out;
}

/** CSS colour of `v` (rgb(r, g, b)). */
export function cssColourOf(v: number, scale: ColourScale): string {
  const [r, g, b] = colourOf(v, scale);
  return `rgb(${Math.round(r * 255)}, ${Math.round(g * 255)}, ${Math.round(b * 255)})`;
}

/** Evenly spaced gradient stops of a colormap: offset in [0, 1] and CSS colour. */
export function colourStops(colormap: ColormapName, stops = 11): { offset: number; css: string }[] {
  const out: { offset: number; css: string }[] = [];
  for (let i = 0; i < stops; i++) {
    const t = i / (stops - 1);
    out.push({ offset: t, css: cssColourOf(t, { range: [0, 1], colormap }) });
  }
  return out;
}

/** A CSS linear-gradient for a horizontal colour bar, low values on the left. */
export function colourBarGradient(colormap: ColormapName, stops = 11): string {
  return `linear-gradient(to right, ${colourStops(colormap, stops)
    .map((s) => `${s.css} ${(s.offset * 100).toFixed(1)}%`)
    .join(', ')})`;
}

/**
 * Values -> 8-bit RGBA (alpha 255), Shape [n, 4], the layout of canvas ImageData and of a three.js RGBA texture.
 * Writes into `out` when it has the right length.
 */
export function valuesToRgba(
  values: ArrayLike<number>,
  scale: ColourScale,
  out?: Uint8ClampedArray,
): Uint8ClampedArray {
  const rgba = out && out.length === values.length * 4 ? out : new Uint8ClampedArray(values.length * 4);
  const c: [number, number, number] = [0, 0, 0];
  for (let i = 0; i < values.length; i++) {
    colourOf(values[i], scale, c);
    rgba[4 * i] = Math.round(c[0] * 255);
    rgba[4 * i + 1] = Math.round(c[1] * 255);
    rgba[4 * i + 2] = Math.round(c[2] * 255);
    rgba[4 * i + 3] = 255;
  }
  return rgba;
}

/** Finite min and max of values; null when there is none. */
export function finiteRange(values: ArrayLike<number | null | undefined>): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined || !Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : null;
}
