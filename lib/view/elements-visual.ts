/**
 * How atoms look: Jmol/CPK colours (0xRRGGBB) and single-bond covalent radii in Angstrom (Cordero et al., Dalton Trans.
 * 2008, 2832; low-spin values for Mn, Fe, Co). Elements not listed get a neutral pink and 1.5 A. One departure from
 * Jmol: V is drawn red (Jmol's 0xa6a6ab is nearly Ti's grey, and V is the commonest dopant of these hosts).
 */
export interface ElementVisual {
  colour: number;
  covalentRadiusA: number;
}

const TABLE: Record<string, [number, number]> = {
  H: [0xffffff, 0.31],
  Li: [0xcc80ff, 1.28],
  B: [0xffb5b5, 0.84],
  C: [0x909090, 0.76],
  N: [0x3050f8, 0.71],
  O: [0xff0d0d, 0.66],
  F: [0x90e050, 0.57],
  Na: [0xab5cf2, 1.66],
  Mg: [0x8aff00, 1.41],
  Al: [0xbfa6a6, 1.21],
  Si: [0xf0c8a0, 1.11],
  P: [0xff8000, 1.07],
  S: [0xffff30, 1.05],
  Cl: [0x1ff01f, 1.02],
  K: [0x8f40d4, 2.03],
  Ca: [0x3dff00, 1.76],
  Sc: [0xe6e6e6, 1.7],
  Ti: [0xbfc2c7, 1.6],
  V: [0xd6452e, 1.53],
  Cr: [0x8a99c7, 1.39],
  Mn: [0x9c7ac7, 1.39],
  Fe: [0xe06633, 1.32],
  Co: [0xf090a0, 1.26],
  Ni: [0x50d050, 1.24],
  Cu: [0xc88033, 1.32],
  Zn: [0x7d80b0, 1.22],
  Ga: [0xc28f8f, 1.22],
  Ge: [0x668f8f, 1.2],
  As: [0xbd80e3, 1.19],
  Se: [0xffa100, 1.2],
  Br: [0xa62929, 1.2],
  Rb: [0x702eb0, 2.2],
  Sr: [0x00ff00, 1.95],
  Y: [0x94ffff, 1.9],
  Zr: [0x94e0e0, 1.75],
  Nb: [0x73c2c9, 1.64],
  Mo: [0x54b5b5, 1.54],
  Tc: [0x3b9e9e, 1.47],
  Ru: [0x248f8f, 1.46],
  Rh: [0x0a7d8c, 1.42],
  Pd: [0x006985, 1.39],
  Ag: [0xc0c0c0, 1.45],
  Cd: [0xffd98f, 1.44],
  In: [0xa67573, 1.42],
  Sn: [0x668080, 1.39],
  Sb: [0x9e63b5, 1.39],
  Te: [0xd47a00, 1.38],
  I: [0x940094, 1.39],
  Cs: [0x57178f, 2.44],
  Ba: [0x00c900, 2.15],
  Hf: [0x4dc2ff, 1.75],
  Ta: [0x4da6ff, 1.7],
  W: [0x2194d6, 1.62],
  Re: [0x267dab, 1.51],
  Os: [0x266696, 1.44],
  Ir: [0x175487, 1.41],
  Pt: [0xd0d0e0, 1.36],
  Au: [0xffd123, 1.36],
  Hg: [0xb8b8d0, 1.32],
  Pb: [0x575961, 1.46],
  Bi: [0x9e4fb5, 1.48],
};

const FALLBACK: ElementVisual = { colour: 0xff1493, covalentRadiusA: 1.5 };

export function elementVisual(symbol: string): ElementVisual {
  const row = TABLE[symbol];
  return row ? { colour: row[0], covalentRadiusA: row[1] } : FALLBACK;
}

/** Non-metals (and metalloids) of the table; bonds are drawn only when at least one end is one of these. */
export const NON_METALS: ReadonlySet<string> = new Set([
  'H',
  'B',
  'C',
  'N',
  'O',
  'F',
  'Si',
  'P',
  'S',
  'Cl',
  'Ge',
  'As',
  'Se',
  'Br',
  'Sb',
  'Te',
  'I',
]);

/** CSS colour (#rrggbb) of a 0xRRGGBB number. */
export function cssHex(colour: number): string {
  return `#${colour.toString(16).padStart(6, '0')}`;
}

/** Euclidean distance of two 0xRRGGBB colours in 8-bit RGB (0 .. 441). */
export function colourDistance(a: number, b: number): number {
  const d = [16, 8, 0].map((s) => ((a >> s) & 0xff) - ((b >> s) & 0xff));
  return Math.hypot(d[0], d[1], d[2]);
}

/** Colours a dopant may take when its element colour is too close to another species of the slab. */
const DOPANT_FALLBACKS = [0xd946ef, 0xff7f00, 0x2ca02c];
/** Below this RGB distance two species read as the same colour (Ti vs Zr: 58). */
const TOO_CLOSE = 90;

/**
 * The colour of each species of one slab: the element colours, except that a dopant whose colour is within TOO_CLOSE
 * of another species' takes the first fallback (magenta, orange, green) far from every other species, so that host
 * metal and dopant never look alike.
 */
export function speciesColours(species: readonly string[], dopants: readonly string[]): Map<string, number> {
  const unique = [...new Set(species)];
  const out = new Map(unique.map((s) => [s, elementVisual(s).colour]));
  for (const d of new Set(dopants)) {
    if (!out.has(d)) continue;
    const others = unique.filter((s) => s !== d).map((s) => out.get(s)!);
    if (others.every((c) => colourDistance(c, out.get(d)!) >= TOO_CLOSE)) continue;
    const pick = DOPANT_FALLBACKS.find((f) => others.every((c) => colourDistance(c, f) >= 2 * TOO_CLOSE));
    out.set(d, pick ?? DOPANT_FALLBACKS[0]);
  }
  return out;
}

/** The role of a species in a doped TMD slab, for legends. */
export function speciesRole(
  symbol: string,
  dopants: readonly string[],
): 'dopant' | 'host metal' | 'chalcogen' | 'adsorbate' {
  if (dopants.includes(symbol)) return 'dopant';
  if (symbol === 'Li') return 'adsorbate';
  return NON_METALS.has(symbol) ? 'chalcogen' : 'host metal';
}
