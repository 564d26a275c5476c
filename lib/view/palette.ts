/**
 * Categorical styles for up to ~20 series (surfaces) that stay apart for colour-blind readers: the seven Okabe-Ito
 * colours that read on white (Okabe & Ito 2008, "Color Universal Design"; the yellow is left out), each combined with
 * a marker shape, so series 8..14 repeat a colour with a new shape, and so on (7 x 4 = 28 styles).
 */

export const OKABE_ITO = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'] as const;

/** Marker shapes Recharts draws (Scatter `shape`). */
export const MARKER_SHAPES = ['circle', 'triangle', 'square', 'diamond'] as const;
export type MarkerShape = (typeof MARKER_SHAPES)[number];

export interface SeriesStyle {
  colour: string;
  shape: MarkerShape;
  /** Dash pattern for the series' fit line (solid for the first round of colours). */
  dash: string | undefined;
}

/** Style of the i-th series (0-based). */
export function seriesStyle(i: number): SeriesStyle {
  const n = OKABE_ITO.length;
  const k = ((i % (n * MARKER_SHAPES.length)) + n * MARKER_SHAPES.length) % (n * MARKER_SHAPES.length);
  const round = Math.floor(k / n);
  return {
    colour: OKABE_ITO[k % n],
    shape: MARKER_SHAPES[round],
    dash: round === 0 ? undefined : ['6 3', '2 2', '8 3 2 3'][round - 1],
  };
}

/**
 * A surface's name as a reader needs it: the name when it already names the dopant (MoS2-V) or is the pristine host
 * itself, else the name with host and dopant ("upload-1 (MoS2:V)", "slab (MoS2, pristine)").
 */
export function surfaceDisplayName(name: string, host: string | null, dopant: string | null): string {
  const tokens = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  if (dopant) return tokens.includes(dopant) ? name : `${name} (${host ?? '?'}:${dopant})`;
  if (!host || name === host) return name;
  return `${name} (${host}, pristine)`;
}
