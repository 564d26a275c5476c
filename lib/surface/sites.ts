import type { Structure } from '../structure/structure';
import type { Vec3 } from '../math/mat3';
import { cartesianToFractional, fractionalToCartesian } from '../math/mat3';
import { detectLayers, type LayerOptions, type SlabLayers } from './layers';
import { periodicDelaunay } from './delaunay';
import { cart2, distance2, frac2, minImage2, project2 } from './frame';
import { findSymmetryOperations, groupSitesAndHops, type PlaneOperation } from './symmetry';

/**
 * Li binding sites and hops on the top chalcogen layer of a slab (DESIGN.md section 1).
 *
 * Hollows are the centroids of the periodic Delaunay triangles of the top X layer projected on the surface plane,
 * classified by what lies under them within `beneathToleranceA` in projection: a metal-layer atom -> 'T_M', a lower
 * X atom -> 'H_X' (1T), nothing -> 'H' (2H). Each triangle edge (shared by two triangles) is a 'bridge' at its
 * midpoint, the first guess of the saddle of the hop between the two hollows. 'T_X' (on top of top-layer X atoms) is
 * added when `includeTopX` is set. Every site appears once per cell (deduplicated by lattice translation); all sites
 * are kept, and sites equivalent under the point operations that map the (doped) slab onto itself share a `group`.
 */
export type SiteKind = 'T_M' | 'H' | 'H_X' | 'T_X' | 'bridge';

export interface DopantDistance {
  /** Index of the dopant atom in the structure. */
  atom: number;
  species: string;
  /** Minimum-image 3D distance from the Li position to the dopant (Angstrom). */
  distanceA: number;
  /** Minimum-image distance in the surface plane (Angstrom). */
  lateralDistanceA: number;
}

export interface Site {
  /** Stable id, kind plus running number: 'T_M-0', 'H-3', 'bridge-12'. */
  id: string;
  kind: SiteKind;
  /** In-plane coordinates (x, y) along the surface frame e1, e2 (Cartesian x, y for the usual slab), Angstrom. */
  xy: [number, number];
  /** Li position, Cartesian Angstrom: site xy, height `heightA` above the top X plane, wrapped into the cell. */
  position: Vec3;
  /** Li position as fractions of a, b, c, wrapped into [0, 1). */
  fractional: Vec3;
  /** Bridges: the two hollows (indices into `sites`) the bridge joins, first T_M (or the lower index). */
  hollows?: [number, number];
  /** Bridges: direction of the hop from hollows[0] to hollows[1], radians from e1 towards e2 (x towards y). */
  hopAngleRad?: number;
  dopantDistances: DopantDistance[];
  /** Symmetry group: sites with the same group are equivalent under the slab's point operations. */
  group: number;
}

/**
 * A hop hollow -> bridge -> hollow (indices into `sites`). ONE hop per bridge, undirected: it is stored in the
 * direction hollows[0] -> hollows[1] (T_M first on 2H and 1T surfaces, else the lower site index) and named
 * `hop-<k>` for the k-th bridge in site order, so a 3x3 cell has 27 hops. Its forward barrier is taken from `from`,
 * the backward one from `to`. The end sites are the two hollows whose triangles share the bridge's edge in the
 * periodic Delaunay triangulation, i.e. the hollows adjacent to the bridge under the minimum-image convention.
 */
export interface Hop {
  id: string;
  from: number;
  via: number;
  to: number;
  /** Normalised path position of the saddle: |from-via| / (|from-via| + |via-to|) (0.5 on a perfect lattice). */
  saddleS: number;
  /** In-plane path length from -> via -> to (Angstrom). */
  lengthA: number;
  /** Direction from `from` to `to`, radians in the surface frame. */
  angleRad: number;
  group: number;
}

export interface SiteOptions extends LayerOptions {
  /** Li height above the mean top X plane (Angstrom). Default 1.5. */
  heightA?: number;
  /** Lateral tolerance for "beneath" (Angstrom). Default 0.5. */
  beneathToleranceA?: number;
  /** Also emit on-top-of-X sites. Default false. */
  includeTopX?: boolean;
  /** Tolerance for symmetry matching of atoms and sites (Angstrom). Default 0.25. */
  symmetryToleranceA?: number;
}

export interface SurfaceSites {
  sites: Site[];
  hops: Hop[];
  layers: SlabLayers;
  /** Mean height of the top X plane along the normal (Angstrom, unwrapped frame); Li sits at this + heightA. */
  topXHeightA: number;
  heightA: number;
  /** Point operations (in the surface plane, about `symmetryCentre`) that map the slab onto itself. */
  operations: PlaneOperation[];
  symmetryCentre: [number, number];
  counts: Record<SiteKind, number>;
  groupCount: number;
}

const KIND_ORDER: Record<SiteKind, number> = { T_M: 0, H_X: 1, H: 2, bridge: 3, T_X: 4 };

interface RawSite {
  kind: SiteKind;
  xy: [number, number];
  uv: [number, number];
  hollows?: [number, number];
  hopAngleRad?: number;
}

function wrapUv(u: number, v: number): [number, number] {
  const eps = 1e-7;
  let wu = u - Math.floor(u + eps);
  let wv = v - Math.floor(v + eps);
  if (Math.abs(wu) < eps) wu = 0;
  if (Math.abs(wv) < eps) wv = 0;
  return [wu, wv];
}

export function findSites(structure: Structure, options: SiteOptions = {}): SurfaceSites {
  const { heightA = 1.5, beneathToleranceA = 0.5, includeTopX = false, symmetryToleranceA = 0.25 } = options;
  const layers = detectLayers(structure, options);
  const { frame, unwrapped } = layers;
  const xy2 = unwrapped.map((p) => project2(frame, p));
  const uv2 = xy2.map(([x, y]) => frac2(frame, x, y));
  const top = layers.topX.indices;
  const topFractions = top.map((i) => uv2[i]);
  const { home, all } = periodicDelaunay(topFractions, frame.a2, frame.b2);
  const wrappedTop = topFractions.map(([u, v]) => [u - Math.floor(u), v - Math.floor(v)] as [number, number]);

  const centroidUv = (t: (typeof all)[number]): [number, number] => {
    let u = 0;
    let v = 0;
    for (const vt of t.vertices) {
      u += wrappedTop[vt.point][0] + vt.image[0];
      v += wrappedTop[vt.point][1] + vt.image[1];
    }
    return [u / 3, v / 3];
  };
  const beneath = (x: number, y: number): SiteKind => {
    for (const i of layers.metal.indices) if (distance2(frame, x, y, xy2[i][0], xy2[i][1]) < beneathToleranceA) return 'T_M';
    for (const i of layers.lowerX.indices) if (distance2(frame, x, y, xy2[i][0], xy2[i][1]) < beneathToleranceA) return 'H_X';
    return 'H';
  };

  // Hollows: one per home-cell triangle.
  const raw: RawSite[] = home.map((t) => {
    const [u, v] = centroidUv(t);
    const [wu, wv] = wrapUv(u, v);
    const [x, y] = cart2(frame, wu, wv);
    return { kind: beneath(x, y), xy: [x, y], uv: [wu, wv] };
  });
  const sortKey = (s: RawSite): [number, number, number] => [KIND_ORDER[s.kind], Math.round(s.uv[1] * 1e6), Math.round(s.uv[0] * 1e6)];
  const byKey = (a: RawSite, b: RawSite): number => {
    const ka = sortKey(a);
    const kb = sortKey(b);
    return ka[0] - kb[0] || ka[1] - kb[1] || ka[2] - kb[2];
  };
  raw.sort(byKey);
  const hollowCount = raw.length;
  const findHollow = (u: number, v: number): number => {
    const [wu, wv] = wrapUv(u, v);
    const [x, y] = cart2(frame, wu, wv);
    let best = -1;
    let bestD = 0.05;
    for (let h = 0; h < hollowCount; h++) {
      const d = distance2(frame, x, y, raw[h].xy[0], raw[h].xy[1]);
      if (d < bestD) {
        best = h;
        bestD = d;
      }
    }
    return best;
  };

  // Bridges: every edge of the home triangles, deduplicated by translation, with its two adjacent triangles.
  const vkey = (p: { point: number; image: [number, number] }): string => `${p.point}@${p.image[0]},${p.image[1]}`;
  const edgeTriangles = new Map<string, (typeof all)[number][]>();
  for (const t of all) {
    for (let e = 0; e < 3; e++) {
      const a = vkey(t.vertices[e]);
      const b = vkey(t.vertices[(e + 1) % 3]);
      const key = a < b ? `${a}|${b}` : `${b}|${a}`;
      const list = edgeTriangles.get(key);
      if (list) list.push(t);
      else edgeTriangles.set(key, [t]);
    }
  }
  const bridges: RawSite[] = [];
  for (const t of home) {
    for (let e = 0; e < 3; e++) {
      const va = t.vertices[e];
      const vb = t.vertices[(e + 1) % 3];
      const mu = (wrappedTop[va.point][0] + va.image[0] + wrappedTop[vb.point][0] + vb.image[0]) / 2;
      const mv = (wrappedTop[va.point][1] + va.image[1] + wrappedTop[vb.point][1] + vb.image[1]) / 2;
      const [wu, wv] = wrapUv(mu, mv);
      const [x, y] = cart2(frame, wu, wv);
      if (bridges.some((b) => distance2(frame, x, y, b.xy[0], b.xy[1]) < 0.05)) continue;
      const a = vkey(va);
      const b = vkey(vb);
      const pair = edgeTriangles.get(a < b ? `${a}|${b}` : `${b}|${a}`) ?? [];
      if (pair.length !== 2) continue; // cannot happen for a home triangle surrounded by images
      const c0 = centroidUv(pair[0]);
      const c1 = centroidUv(pair[1]);
      let h0 = findHollow(c0[0], c0[1]);
      let h1 = findHollow(c1[0], c1[1]);
      let from = c0;
      let to = c1;
      if (KIND_ORDER[raw[h1].kind] < KIND_ORDER[raw[h0].kind] || (raw[h1].kind === raw[h0].kind && h1 < h0)) {
        [h0, h1] = [h1, h0];
        [from, to] = [to, from];
      }
      const p0 = cart2(frame, from[0], from[1]);
      const p1 = cart2(frame, to[0], to[1]);
      bridges.push({ kind: 'bridge', xy: [x, y], uv: [wu, wv], hollows: [h0, h1], hopAngleRad: Math.atan2(p1[1] - p0[1], p1[0] - p0[0]) });
    }
  }
  bridges.sort(byKey);
  const rawAll: RawSite[] = [...raw, ...bridges];
  if (includeTopX) {
    const tx: RawSite[] = wrappedTop.map(([u, v]) => {
      const [wu, wv] = wrapUv(u, v);
      return { kind: 'T_X', xy: cart2(frame, wu, wv), uv: [wu, wv] };
    });
    tx.sort(byKey);
    rawAll.push(...tx);
  }

  // Li positions, dopant distances.
  const topXHeightA = layers.topX.heightA;
  const liHeight = topXHeightA + heightA;
  const lattice = structure.lattice;
  const counters: Record<SiteKind, number> = { T_M: 0, H: 0, H_X: 0, T_X: 0, bridge: 0 };
  const sites: Site[] = rawAll.map((s) => {
    const n = frame.normal;
    const cart: Vec3 = [
      s.xy[0] * frame.e1[0] + s.xy[1] * frame.e2[0] + liHeight * n[0],
      s.xy[0] * frame.e1[1] + s.xy[1] * frame.e2[1] + liHeight * n[1],
      s.xy[0] * frame.e1[2] + s.xy[1] * frame.e2[2] + liHeight * n[2],
    ];
    const f = cartesianToFractional(cart, lattice);
    const fractional: Vec3 = [f[0] - Math.floor(f[0]), f[1] - Math.floor(f[1]), f[2] - Math.floor(f[2])];
    const position = fractionalToCartesian(fractional, lattice);
    const dopantDistances = layers.dopantIndices.map((atom) => {
      const d = minImage2(frame, s.xy[0], s.xy[1], xy2[atom][0], xy2[atom][1]);
      const dz = liHeight - layers.heights[atom];
      const lateral = Math.hypot(d[0], d[1]);
      return { atom, species: structure.species[atom], distanceA: Math.hypot(lateral, dz), lateralDistanceA: lateral };
    });
    const site: Site = { id: `${s.kind}-${counters[s.kind]++}`, kind: s.kind, xy: s.xy, position, fractional, dopantDistances, group: -1 };
    if (s.hollows) site.hollows = s.hollows;
    if (s.hopAngleRad !== undefined) site.hopAngleRad = s.hopAngleRad;
    return site;
  });

  // Hops: one per bridge (see `Hop`), from hollows[0] to hollows[1].
  const hops: Hop[] = [];
  sites.forEach((b, via) => {
    if (b.kind !== 'bridge' || !b.hollows) return;
    const [from, to] = b.hollows;
    const dA = minImage2(frame, sites[from].xy[0], sites[from].xy[1], b.xy[0], b.xy[1]);
    const dB = minImage2(frame, b.xy[0], b.xy[1], sites[to].xy[0], sites[to].xy[1]);
    const la = Math.hypot(dA[0], dA[1]);
    const lb = Math.hypot(dB[0], dB[1]);
    hops.push({
      id: `hop-${hops.length}`,
      from,
      via,
      to,
      saddleS: la + lb > 0 ? la / (la + lb) : 0.5,
      lengthA: la + lb,
      angleRad: Math.atan2(dA[1] + dB[1], dA[0] + dB[0]),
      group: -1,
    });
  });

  const { operations, centre } = findSymmetryOperations(structure, layers, xy2, symmetryToleranceA);
  const groupCount = groupSitesAndHops(frame, sites, hops, operations, centre, symmetryToleranceA);
  const counts: Record<SiteKind, number> = { T_M: 0, H: 0, H_X: 0, T_X: 0, bridge: 0 };
  for (const s of sites) counts[s.kind]++;
  return { sites, hops, layers, topXHeightA, heightA, operations, symmetryCentre: centre, counts, groupCount };
}
