import * as chromatic from 'd3-scale-chromatic';
import { encode } from 'fast-png';
import type { ColormapName } from './settings';

/**
 * Channel mapping: potential (eV) -> [0, 1] with the dataset's fixed range (clamped), -> RGB by a colormap.
 * 'grey' replicates the value in the three channels; the others are d3-scale-chromatic's perceptual maps, tabulated
 * once into 256-entry lookup tables (linear interpolation between entries).
 */
const INTERPOLATORS: Record<Exclude<ColormapName, 'grey'>, (t: number) => string> = {
  viridis: chromatic.interpolateViridis,
  magma: chromatic.interpolateMagma,
  inferno: chromatic.interpolateInferno,
  plasma: chromatic.interpolatePlasma,
  cividis: chromatic.interpolateCividis,
  turbo: chromatic.interpolateTurbo,
};

function parseColor(css: string): [number, number, number] {
  if (css.startsWith('#')) {
    const n = parseInt(css.slice(1, 7), 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  }
  const m = css.match(/rgb\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*\)/);
  if (!m) throw new Error(`unexpected colour '${css}'`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

const LUT_SIZE = 256;
const luts = new Map<ColormapName, Float32Array>();

/** RGB lookup table of a colormap: Shape [256, 3], values in [0, 1]. */
export function colormapLut(name: ColormapName): Float32Array {
  const cached = luts.get(name);
  if (cached) return cached;
  const lut = new Float32Array(LUT_SIZE * 3);
  for (let i = 0; i < LUT_SIZE; i++) {
    const t = i / (LUT_SIZE - 1);
    const rgb = name === 'grey' ? [t * 255, t * 255, t * 255] : parseColor(INTERPOLATORS[name](t));
    lut[3 * i] = rgb[0] / 255;
    lut[3 * i + 1] = rgb[1] / 255;
    lut[3 * i + 2] = rgb[2] / 255;
  }
  luts.set(name, lut);
  return lut;
}

/** Potential -> [0, 1] with a fixed range, clamped. */
export function normalizeValue(v: number, range: readonly [number, number]): number {
  const t = (v - range[0]) / (range[1] - range[0]);
  return t < 0 ? 0 : t > 1 ? 1 : Number.isNaN(t) ? 0 : t;
}

/**
 * Map an image of potentials (Shape [N, N] or any length) to RGB in [0, 1]: Shape [..., 3], channels last.
 * Writes into `out` when it has the right length.
 */
export function potentialsToRgb(potentials: Float32Array, range: readonly [number, number], colormap: ColormapName, out?: Float32Array): Float32Array {
  const rgb = out && out.length === potentials.length * 3 ? out : new Float32Array(potentials.length * 3);
  if (colormap === 'grey') {
    for (let i = 0; i < potentials.length; i++) {
      const t = normalizeValue(potentials[i], range);
      rgb[3 * i] = t;
      rgb[3 * i + 1] = t;
      rgb[3 * i + 2] = t;
    }
    return rgb;
  }
  const lut = colormapLut(colormap);
  for (let i = 0; i < potentials.length; i++) {
    const x = normalizeValue(potentials[i], range) * (LUT_SIZE - 1);
    const j = Math.min(LUT_SIZE - 2, Math.floor(x));
    const f = x - j;
    for (let ch = 0; ch < 3; ch++) rgb[3 * i + ch] = lut[3 * j + ch] * (1 - f) + lut[3 * (j + 1) + ch] * f;
  }
  return rgb;
}

/** Encode an RGB image in [0, 1] (Shape [height, width, 3], row 0 at the top) as an 8-bit PNG (fast-png). */
export function rgbToPng(rgb: Float32Array, width: number, height: number): Uint8Array {
  if (rgb.length !== width * height * 3) throw new RangeError(`rgbToPng: expected ${width * height * 3} values, got ${rgb.length}`);
  const bytes = new Uint8Array(rgb.length);
  for (let i = 0; i < rgb.length; i++) bytes[i] = Math.round(Math.min(1, Math.max(0, rgb[i])) * 255);
  return encode({ width, height, data: bytes, channels: 3, depth: 8 });
}
