/**
 * Site features that carry site information to a surface nobody has computed, in named groups (the ablation of the
 * new-surface table adds them one group at a time). Every value comes from inputs only (structure, potential, host
 * levels), never from labels, so a new surface has all of them. Names are `<group>:<name_with_unit>`.
 *
 * - kind: site-kind indicators; for a saddle, how many of its two end hollows are of each kind (T_M-H on 2H,
 *   T_M-H_X on 1T).
 * - host: the host's acceptor and Fermi levels against the vacuum (./host-levels.ts); absent when meta.json lacks
 *   them (models fill the training mean and say so). And the electrons the dopants add to the cell (sum of the
 *   valence differences to the host metal: -1 for V in MoS2, +1 for V in ZrS2, 0 pristine or isovalent), from the
 *   structure: the level says where Li's electron goes, this what is already there (a hole to fill, an electron to
 *   pair with).
 * - potential: MEP differences along the hop: for a saddle MEP(bridge) - mean MEP(ends) (the discrete curvature of
 *   the potential along the path) and |MEP(A) - MEP(B)|; for a minimum MEP - mean MEP of its adjacent bridges and
 *   MEP - mean MEP of the surface's hollows.
 * - geometry: the dopant's distance (1/d, 0 on a pristine surface) and its valence difference to the host metal
 *   (periodic-table group number, + for more electrons), their product; the height of the top X atoms near the site
 *   relative to the top X plane; the in-plane "gate": for a saddle the distance between the two top X atoms the
 *   bridge crosses, for a hollow the mean distance to its three nearest top X atoms; the mean top X-X distance.
 * - epdi: shape descriptors of the potential image (gradient, Laplacian, anisotropy, ring harmonics, spread), no
 *   absolute levels (./descriptors.ts).
 */
import type { Structure } from '../structure/structure';
import { detectLayers, distance2, minImage2, project2 } from '../surface';
import { IMAGE_DESCRIPTOR_NAMES, imageDescriptors } from './descriptors';
import type { Sample } from './types';

export const FEATURE_GROUPS = ['kind', 'host', 'potential', 'geometry', 'epdi'] as const;
export type FeatureGroup = (typeof FEATURE_GROUPS)[number];

export function isFeatureGroup(s: string): s is FeatureGroup {
  return (FEATURE_GROUPS as readonly string[]).includes(s);
}

/** Periodic-table group of the transition metals a TMD host or dopant is made of (valence electron count). */
const METAL_GROUP: Record<string, number> = {
  Sc: 3, Y: 3, Ti: 4, Zr: 4, Hf: 4, V: 5, Nb: 5, Ta: 5, Cr: 6, Mo: 6, W: 6, Mn: 7, Tc: 7, Re: 7,
  Fe: 8, Ru: 8, Os: 8, Co: 9, Rh: 9, Ir: 9, Ni: 10, Pd: 10, Pt: 10, Cu: 11, Ag: 11, Au: 11, Zn: 12, Cd: 12,
};

const EPDI_SHAPE = [
  'grad_norm_eV_per_A',
  'laplacian_eV_per_A2',
  'hess_xx_minus_yy_eV_per_A2',
  'ring_m1_amp_eV',
  'ring_m2_amp_eV',
  'ring_m3_amp_eV',
  'ring_m6_amp_eV',
  'image_std_eV',
];
const EPDI_INDEX = EPDI_SHAPE.map((n) => IMAGE_DESCRIPTOR_NAMES.indexOf(n));

const NEAR_X_RADIUS_A = 3.5;

/** Electrons the dopants add to the cell (a surface-level count; ./site-relative-model.ts level line). */
export const DOPANT_ELECTRONS_FEATURE = 'host:dopant_electrons';

const mean = (v: readonly number[]): number => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : 0);

/** The groups of a feature name (`host:acceptor_level_eV` -> 'host'). */
export function featureGroupOf(name: string): string {
  return name.slice(0, name.indexOf(':'));
}

/**
 * What site features read of an extraction (lib/epdi `SurfaceExtraction` has it; the server rebuilds it from stored
 * sites, lib/server/new-surface-server.ts): per site its kind, in-plane xy (surface frame, Angstrom), the two hollows
 * of a bridge (indices) and dopant distances; the MEP of every site (eV).
 */
export interface SiteFeatureInput {
  sites: readonly {
    kind: string;
    xy: readonly [number, number];
    hollows?: readonly [number, number];
    dopantDistances: readonly { species: string; distanceA: number }[];
  }[];
  meps: ArrayLike<number>;
}

/**
 * Features of every site of one extraction (same order as `extraction.sites`). `hostLevels` are the surface's
 * level descriptors (./host-levels.ts `hostLevelDescriptors`), possibly empty.
 */
export function siteFeatures(
  extraction: SiteFeatureInput,
  structure: Structure,
  hostLevels: Record<string, number>,
): Record<string, number>[] {
  const { sites, meps } = extraction;
  const layers = detectLayers(structure);
  const frame = layers.frame;
  const xy = layers.unwrapped.map((p) => project2(frame, p));
  const topX = layers.topX.indices;
  const hostGroup = METAL_GROUP[layers.hostMetal];
  const dopantElectrons =
    hostGroup === undefined
      ? NaN
      : layers.dopantIndices.reduce((a, i) => a + (METAL_GROUP[structure.species[i]] ?? NaN) - hostGroup, 0);
  // Mean nearest-neighbour X-X distance of the top layer.
  const xx = mean(
    topX.map((i) =>
      Math.min(...topX.filter((j) => j !== i).map((j) => distance2(frame, xy[i][0], xy[i][1], xy[j][0], xy[j][1]))),
    ),
  );
  const hollowMeps = sites.flatMap((s, i) => (s.kind === 'bridge' || s.kind === 'T_X' ? [] : [meps[i]]));
  const hollowMepMean = mean(hollowMeps);
  const bridgesOf = new Map<number, number[]>();
  sites.forEach((s, i) => {
    if (!s.hollows) return;
    for (const h of s.hollows) bridgesOf.set(h, [...(bridgesOf.get(h) ?? []), i]);
  });
  const out = sites.map((site, i) => {
    const f: Record<string, number> = {};
    // kind
    if (site.hollows) {
      for (const k of ['T_M', 'H', 'H_X']) f[`kind:end_${k}`] = site.hollows.filter((h) => sites[h].kind === k).length;
    } else {
      for (const k of ['T_M', 'H', 'H_X']) f[`kind:end_${k}`] = site.kind === k ? 1 : 0;
    }
    // host
    for (const [k, v] of Object.entries(hostLevels)) if (Number.isFinite(v)) f[`host:${k}`] = v;
    if (Number.isFinite(dopantElectrons)) f[DOPANT_ELECTRONS_FEATURE] = dopantElectrons;
    // potential
    if (site.hollows) {
      const [a, b] = site.hollows;
      f['potential:mep_rel_ends_eV'] = meps[i] - (meps[a] + meps[b]) / 2;
      f['potential:mep_ends_absdiff_eV'] = Math.abs(meps[a] - meps[b]);
    } else {
      const br = bridgesOf.get(i) ?? [];
      f['potential:mep_rel_ends_eV'] = br.length ? meps[i] - mean(br.map((j) => meps[j])) : 0;
      f['potential:mep_ends_absdiff_eV'] = meps[i] - hollowMepMean;
    }
    // geometry
    const [sx, sy] = [site.xy[0], site.xy[1]];
    const nearest = site.dopantDistances.length
      ? site.dopantDistances.reduce((a, b) => (b.distanceA < a.distanceA ? b : a))
      : null;
    const dv = nearest && hostGroup !== undefined && METAL_GROUP[nearest.species] !== undefined
      ? METAL_GROUP[nearest.species] - hostGroup
      : 0;
    f['geometry:inv_dopant_distance_per_A'] = nearest ? 1 / Math.max(nearest.distanceA, 0.5) : 0;
    f['geometry:dopant_valence_diff'] = dv;
    f['geometry:dopant_valence_over_distance_per_A'] = nearest ? dv / Math.max(nearest.distanceA, 0.5) : 0;
    const byDistance = topX
      .map((j) => ({ j, d: distance2(frame, sx, sy, xy[j][0], xy[j][1]) }))
      .sort((p, q) => p.d - q.d);
    const near = byDistance.filter((p) => p.d <= NEAR_X_RADIUS_A);
    f['geometry:top_x_height_rel_A'] = near.length
      ? mean(near.map((p) => layers.heights[p.j])) - layers.topX.heightA
      : 0;
    if (site.hollows && byDistance.length >= 2) {
      const [p, q] = byDistance;
      const d = minImage2(frame, xy[p.j][0], xy[p.j][1], xy[q.j][0], xy[q.j][1]);
      f['geometry:gate_A'] = Math.hypot(d[0], d[1]);
    } else {
      f['geometry:gate_A'] = mean(byDistance.slice(0, 3).map((p) => p.d));
    }
    f['geometry:x_x_A'] = xx;
    return f;
  });
  return centreHollowGeometry(sites, out);
}

const HOLLOW_KINDS = new Set(['T_M', 'H', 'H_X']);

/**
 * The geometry features of a hollow, taken relative to their mean over every hollow of the surface (inputs only, so a
 * new surface has it too). A surface's offset a_s (./site-relative-model.ts) is then the level of its average hollow,
 * which the host's levels describe (Li's electron goes to the electron reservoir the dopant sets, a whole-surface
 * shift), while the dopant's local terms only move hollows relative to one another. Without this the within-surface
 * slope of e.g. 1/d, times the labelled sites' mean 1/d, was pushed into the offsets of doped surfaces and the level
 * line of an unseen surface extrapolated it (minima E_b 122 vs 55 meV in leave-one-surface-out on the demo).
 */
function centreHollowGeometry(sites: SiteFeatureInput['sites'], rows: Record<string, number>[]): Record<string, number>[] {
  const hollows = rows.filter((_, i) => HOLLOW_KINDS.has(sites[i].kind));
  if (!hollows.length) return rows;
  const keys = Object.keys(hollows[0]).filter((k) => featureGroupOf(k) === 'geometry');
  const means = Object.fromEntries(keys.map((k) => [k, mean(hollows.map((r) => r[k]))]));
  rows.forEach((r, i) => {
    if (HOLLOW_KINDS.has(sites[i].kind)) for (const k of keys) r[k] -= means[k];
  });
  return rows;
}

/** The `epdi` group of one sample (shape descriptors of its potential image). */
export function epdiShapeFeatures(sample: Sample): Record<string, number> {
  const d = imageDescriptors(sample);
  return Object.fromEntries(EPDI_SHAPE.map((n, k) => [`epdi:${n}`, d[EPDI_INDEX[k]]]));
}
