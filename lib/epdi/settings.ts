import { z } from 'zod';

/**
 * Extraction settings: part of a dataset, recorded (with their hash) with every derived MEP and EPDI so results are
 * reproducible. Lengths in Angstrom, potentials in eV (vacuum-aligned).
 */
export const COLORMAPS = ['grey', 'viridis', 'magma', 'inferno', 'plasma', 'cividis', 'turbo'] as const;
export type ColormapName = (typeof COLORMAPS)[number];

export interface ExtractionSettings {
  /** Li height above the top X plane (Angstrom). */
  heightA: number;
  /** Radius of the MEP ball (Angstrom). */
  mepRadiusA: number;
  /** Side of the square EPDI window (Angstrom). */
  windowA: number;
  /** EPDI side in pixels (N x N). */
  pixels: number;
  colormap: ColormapName;
  /** Fixed dataset-level potential range [min, max] (eV, aligned) for the channel mapping; absent until computed. */
  valueRange?: [number, number];
}

export const DEFAULT_EXTRACTION_SETTINGS: Readonly<ExtractionSettings> = Object.freeze({
  heightA: 1.5,
  mepRadiusA: 1.0,
  windowA: 6.4,
  pixels: 64,
  colormap: 'grey',
});

/**
 * What the numbers mean beyond the settings (interpolation, MEP quadrature, image orientation). Part of the hash so
 * that a change of algorithm never reuses stale results.
 */
export const EPDI_ALGORITHM = 'epdi-v1;tricubic-catmull-rom;mep-ball-gl4xlebedev50;vacuum-aligned;row0=+y;bridge-hop=+x';

export const extractionSettingsSchema = z.object({
  heightA: z.number().gt(0).lte(10),
  mepRadiusA: z.number().gt(0).lte(5),
  windowA: z.number().gt(0).lte(50),
  pixels: z.number().int().min(4).max(224),
  colormap: z.enum(COLORMAPS),
  valueRange: z
    .tuple([z.number(), z.number()])
    .refine(([lo, hi]) => hi > lo, 'valueRange must have max > min')
    .optional(),
});

/** Defaults filled in and validated (throws a ZodError on bad input). */
export function resolveSettings(partial: Partial<ExtractionSettings> = {}): ExtractionSettings {
  const merged = { ...DEFAULT_EXTRACTION_SETTINGS, ...Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined)) };
  return extractionSettingsSchema.parse(merged) as ExtractionSettings;
}

/** Canonical text of settings: fixed key order, numbers as shortest round-trip strings. */
export function canonicalSettings(settings: ExtractionSettings): string {
  const parts = [
    `algorithm=${EPDI_ALGORITHM}`,
    `heightA=${settings.heightA}`,
    `mepRadiusA=${settings.mepRadiusA}`,
    `windowA=${settings.windowA}`,
    `pixels=${settings.pixels}`,
    `colormap=${settings.colormap}`,
    `valueRange=${settings.valueRange ? `${settings.valueRange[0]},${settings.valueRange[1]}` : 'none'}`,
  ];
  return parts.join(';');
}

/** cyrb53: a fast 53-bit string hash (public domain, bryc). */
function cyrb53(text: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** Stable hash of settings (14 hex digits), identical across runs, platforms and key order of the input. */
export function settingsHash(settings: ExtractionSettings): string {
  return cyrb53(canonicalSettings(settings)).toString(16).padStart(14, '0');
}
