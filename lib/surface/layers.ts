import type { Structure } from '../structure/structure';
import type { Vec3 } from '../math/mat3';
import { cartesianToFractional, dot } from '../math/mat3';
import { SurfaceError } from './errors';
import { surfaceFrame, type SurfaceFrame } from './frame';

/** Chalcogens recognised by default (O included for oxide analogues). */
export const CHALCOGENS: readonly string[] = ['S', 'Se', 'Te', 'O'];

export interface LayerOptions {
  /** Species to leave out entirely (adsorbates already present). Default ['Li']. */
  ignoreSpecies?: readonly string[];
  /** Atom indices to leave out. */
  ignoreIndices?: readonly number[];
  /** Species treated as chalcogens (the X of MX2). Default CHALCOGENS. */
  chalcogens?: readonly string[];
  /** Atoms closer than this along the normal belong to the same layer (Angstrom). Default 0.6. */
  layerToleranceA?: number;
}

/** One layer: atom indices and its mean height along the surface normal (Angstrom, unwrapped slab frame). */
export interface Layer {
  indices: number[];
  heightA: number;
}

/**
 * The top of a slab with vacuum along c: the top chalcogen layer (facing the largest gap along c, the side Li sits
 * on), the metal layer under it and the chalcogen layer under that. Heights are along `frame.normal`, in a frame where
 * the slab is contiguous (`unwrapped` positions: atoms shifted by whole c vectors so that the slab does not straddle
 * the cell boundary). The host metal is the most frequent species of the metal layer; the others are dopants.
 */
export interface SlabLayers {
  frame: SurfaceFrame;
  /** Cartesian positions shifted by whole c vectors so the slab is contiguous (same order as the structure). */
  unwrapped: Vec3[];
  /** Height of every atom along the normal (Angstrom), NaN for ignored atoms. */
  heights: number[];
  topX: Layer;
  metal: Layer;
  lowerX: Layer;
  hostMetal: string;
  /** Indices (into the structure) of metal-layer atoms of a minority species. */
  dopantIndices: number[];
  /** Atoms left out (ignored species or indices). */
  ignored: number[];
  /** Fractional c of the start of the vacuum gap and its width. */
  gapStartFrac: number;
  gapFrac: number;
}

function cluster(indices: number[], heights: number[], tolerance: number): Layer[] {
  const sorted = [...indices].sort((i, j) => heights[i] - heights[j]);
  const layers: Layer[] = [];
  let current: number[] = [];
  for (const i of sorted) {
    if (current.length > 0 && heights[i] - heights[current[current.length - 1]] > tolerance) {
      layers.push(makeLayer(current, heights));
      current = [];
    }
    current.push(i);
  }
  if (current.length > 0) layers.push(makeLayer(current, heights));
  return layers;
}

function makeLayer(indices: number[], heights: number[]): Layer {
  return { indices: [...indices].sort((a, b) => a - b), heightA: indices.reduce((s, i) => s + heights[i], 0) / indices.length };
}

export function detectLayers(structure: Structure, options: LayerOptions = {}): SlabLayers {
  const { ignoreSpecies = ['Li'], ignoreIndices = [], chalcogens = CHALCOGENS, layerToleranceA = 0.6 } = options;
  const frame = surfaceFrame(structure.lattice);
  const n = structure.positions.length;
  const skip = new Set(ignoreIndices);
  structure.species.forEach((s, i) => {
    if (ignoreSpecies.includes(s)) skip.add(i);
  });
  const kept = [...Array(n).keys()].filter((i) => !skip.has(i));
  if (kept.length === 0) throw new SurfaceError('no_atoms', 'no atoms left after ignoring adsorbates');
  const w = structure.positions.map((p) => cartesianToFractional(p, structure.lattice)[2]);
  const wrapped = w.map((x) => x - Math.floor(x));
  // Largest periodic gap along c among the kept atoms: the vacuum.
  const ws = kept.map((i) => wrapped[i]).sort((x, y) => x - y);
  let gapStart = ws[ws.length - 1];
  let gapFrac = ws[0] + 1 - gapStart;
  for (let i = 0; i + 1 < ws.length; i++) {
    if (ws[i + 1] - ws[i] > gapFrac) {
      gapStart = ws[i];
      gapFrac = ws[i + 1] - ws[i];
    }
  }
  // Unwrap every atom to within half a cell of the slab middle.
  const slabMid = gapStart - (1 - gapFrac) / 2;
  const c = structure.lattice[2];
  const unwrapped: Vec3[] = structure.positions.map((p, i) => {
    const shift = Math.round(slabMid - w[i]);
    return [p[0] + shift * c[0], p[1] + shift * c[1], p[2] + shift * c[2]];
  });
  const heights = unwrapped.map((p, i) => (skip.has(i) ? NaN : dot(p, frame.normal)));
  const xIdx = kept.filter((i) => chalcogens.includes(structure.species[i]));
  if (xIdx.length === 0) throw new SurfaceError('no_chalcogen_layer', `no chalcogen atoms (${chalcogens.join(', ')}) in the slab`);
  const xLayers = cluster(xIdx, heights, layerToleranceA);
  const topX = xLayers[xLayers.length - 1];
  // Metal layer: the highest cluster of non-chalcogen atoms below the top X layer (within 3 A).
  const mIdx = kept.filter((i) => !chalcogens.includes(structure.species[i]) && heights[i] < topX.heightA - 0.3 && heights[i] > topX.heightA - 3.0);
  if (mIdx.length === 0) throw new SurfaceError('no_metal_layer', 'no metal atoms within 3 A below the top chalcogen layer');
  const mLayers = cluster(mIdx, heights, layerToleranceA);
  const metal = mLayers[mLayers.length - 1];
  const below = xLayers.filter((l) => l.heightA < metal.heightA);
  const lowerX = below.length > 0 ? below[below.length - 1] : { indices: [], heightA: NaN };
  const counts = new Map<string, number>();
  for (const i of metal.indices) counts.set(structure.species[i], (counts.get(structure.species[i]) ?? 0) + 1);
  let hostMetal = '';
  let best = -1;
  for (const [s, k] of counts) {
    if (k > best) {
      best = k;
      hostMetal = s;
    }
  }
  const dopantIndices = metal.indices.filter((i) => structure.species[i] !== hostMetal);
  return {
    frame,
    unwrapped,
    heights,
    topX,
    metal,
    lowerX,
    hostMetal,
    dopantIndices,
    ignored: [...skip].sort((a, b) => a - b),
    gapStartFrac: gapStart,
    gapFrac,
  };
}
