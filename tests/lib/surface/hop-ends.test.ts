/**
 * The end sites of every hop on 2H and 1T slabs, checked by distance with geometry written here (not the code's).
 *
 * Hop definition under test (lib/surface/sites.ts): ONE hop per bridge, from = bridge.hollows[0], via = the bridge,
 * to = bridge.hollows[1]. Its end sites must be the two hollows adjacent to the bridge under the minimum-image
 * convention.
 *
 * Geometry on a perfect triangular lattice of top-X atoms with X-X distance a: a bridge is the midpoint m of an X-X
 * edge (vector d, |d| = a); the two triangles sharing that edge have their third vertex at m +- (sqrt3 / 2) a n (n the
 * in-plane unit normal of d), so their centroids lie at m +- a / (2 sqrt3) n: the bridge is also the midpoint of the
 * two centroids, at a / (2 sqrt3) from each. Every other centroid is at least sqrt(a^2/4 + a^2/3) = 0.764 a away (the
 * neighbouring triangles across the other edges). The test builds the triangles from the atoms itself, verifies the
 * midpoint identity, and uses it.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { findSites, type SurfaceSites } from '@/lib/surface';
import { parsePoscar } from '@/lib/formats';
import type { Structure } from '@/lib/structure/structure';
import type { Vec3 } from '@/lib/math/mat3';
import { buildMX2Slab } from '../../fixtures/synthetic';

type P2 = [number, number];

/** In-plane lattice vectors (x, y of a and b; c is along z in every slab here). */
const plane = (s: Structure): [P2, P2] => [
  [s.lattice[0][0], s.lattice[0][1]],
  [s.lattice[1][0], s.lattice[1][1]],
];

/** Shortest in-plane image of d: fractions wrapped, then the 3x3 neighbouring images searched (exact on oblique cells). */
function mic(s: Structure, d: P2): P2 {
  const [A, B] = plane(s);
  const det = A[0] * B[1] - A[1] * B[0];
  const u = (d[0] * B[1] - d[1] * B[0]) / det;
  const v = (A[0] * d[1] - A[1] * d[0]) / det;
  const u0 = u - Math.round(u);
  const v0 = v - Math.round(v);
  let best: P2 = [Infinity, Infinity];
  for (let i = -1; i <= 1; i++) {
    for (let j = -1; j <= 1; j++) {
      const x = (u0 + i) * A[0] + (v0 + j) * B[0];
      const y = (u0 + i) * A[1] + (v0 + j) * B[1];
      if (Math.hypot(x, y) < Math.hypot(best[0], best[1])) best = [x, y];
    }
  }
  return best;
}
const dist = (s: Structure, p: P2, q: P2): number => Math.hypot(...mic(s, [q[0] - p[0], q[1] - p[1]]));
const xy = (p: readonly number[]): P2 => [p[0], p[1]];

interface Edge {
  /** Bridge: midpoint of the X-X edge. */
  mid: P2;
  /** Centroids of the two triangles sharing the edge. */
  centroids: [P2, P2];
}

/**
 * Top-X layer of the slab (chalcogen atoms above the metal plane), its X-X edges (minimum-image pairs at the
 * nearest-neighbour distance a) and, per edge, the two triangles built from an actual third top-X atom.
 */
function topXEdges(s: Structure, chalcogen = 'S'): { a: number; edges: Edge[]; top: P2[]; bottom: P2[]; metals: P2[] } {
  const metalIdx = s.species.flatMap((sp, i) => (sp !== chalcogen && sp !== 'Li' ? [i] : []));
  const zMetal = metalIdx.reduce((t, i) => t + s.positions[i][2], 0) / metalIdx.length;
  const top = s.species.flatMap((sp, i) => (sp === chalcogen && s.positions[i][2] > zMetal ? [xy(s.positions[i])] : []));
  const bottom = s.species.flatMap((sp, i) => (sp === chalcogen && s.positions[i][2] < zMetal ? [xy(s.positions[i])] : []));
  let a = Infinity;
  for (let i = 0; i < top.length; i++) for (let j = i + 1; j < top.length; j++) a = Math.min(a, dist(s, top[i], top[j]));
  const edges: Edge[] = [];
  for (let i = 0; i < top.length; i++) {
    for (let j = i + 1; j < top.length; j++) {
      const d = mic(s, [top[j][0] - top[i][0], top[j][1] - top[i][1]]);
      if (Math.abs(Math.hypot(...d) - a) > 0.05) continue;
      const mid: P2 = [top[i][0] + d[0] / 2, top[i][1] + d[1] / 2];
      // Third vertices: i + d rotated by +-60 degrees; each must be a top-X atom (up to a lattice translation).
      const centroids = [1, -1].map((sign) => {
        const c = Math.cos(Math.PI / 3);
        const sn = sign * Math.sin(Math.PI / 3);
        const k: P2 = [top[i][0] + c * d[0] - sn * d[1], top[i][1] + sn * d[0] + c * d[1]];
        expect(Math.min(...top.map((t) => dist(s, t, k)))).toBeLessThan(0.05);
        return [(top[i][0] + (top[i][0] + d[0]) + k[0]) / 3, (top[i][1] + (top[i][1] + d[1]) + k[1]) / 3] as P2;
      }) as [P2, P2];
      edges.push({ mid, centroids });
    }
  }
  const metals = metalIdx.map((i) => xy(s.positions[i]));
  return { a, edges, top, bottom, metals };
}

/** Translate every atom in-plane by t and wrap it into the cell (as a CONTCAR would hold it). */
function shifted(s: Structure, t: P2): Structure {
  const [A, B] = plane(s);
  const det = A[0] * B[1] - A[1] * B[0];
  const positions = s.positions.map((p) => {
    const x = p[0] + t[0];
    const y = p[1] + t[1];
    let u = (x * B[1] - y * B[0]) / det;
    let v = (A[0] * y - A[1] * x) / det;
    u -= Math.floor(u);
    v -= Math.floor(v);
    return [u * A[0] + v * B[0], u * A[1] + v * B[1], p[2]] as Vec3;
  });
  return { ...s, positions };
}

/**
 * Shift so that the bridge between the top-X atoms at primitive fractions (1/3, 2/3) and (4/3, 2/3) lands at
 * Cartesian (1.5 a0, yEdge): on the a-axis cell edge (y = 0) within |yEdge| A (yEdge < 0 wraps it to the far edge).
 */
function bridgeOnEdge(s: Structure, a0: number, yEdge: number): Structure {
  const cart = (u: number, v: number): P2 => [a0 * (u - v / 2), a0 * v * (Math.sqrt(3) / 2)];
  const [bx, by] = cart(5 / 6, 2 / 3);
  return shifted(s, [1.5 * a0 - bx, yEdge - by]);
}

const readDemo = (name: string): Structure | undefined => {
  const file = path.resolve(__dirname, '../../../data/demo', name, 'POSCAR');
  return existsSync(file) ? parsePoscar(readFileSync(file), { fileName: file }).structure : undefined;
};

const MOS2 = { phase: '2H' as const, metal: 'Mo', a0: 3.18, thickness: 3.13 };
const ZRS2 = { phase: '1T' as const, metal: 'Zr', a0: 3.69, thickness: 2.91 };
const V4 = { species: 'V', indices: [4] };

interface Case {
  name: string;
  phase: '2H' | '1T';
  a0: number;
  slab: Structure | undefined;
  /** Lateral distance of the edge-placed bridge from the cell edge (A), when the case is shifted. */
  edge?: number;
}
const cases: Case[] = [
  { name: '3x3 2H-MoS2', phase: '2H', a0: 3.18, slab: buildMX2Slab(MOS2) },
  { name: '3x3 2H-MoS2:V', phase: '2H', a0: 3.18, slab: buildMX2Slab({ ...MOS2, dopant: V4 }) },
  { name: '3x3 1T-ZrS2', phase: '1T', a0: 3.69, slab: buildMX2Slab(ZRS2) },
  { name: '3x3 1T-ZrS2:V', phase: '1T', a0: 3.69, slab: buildMX2Slab({ ...ZRS2, dopant: V4 }) },
  { name: 'demo MoS2 (POSCAR)', phase: '2H', a0: 3.18, slab: readDemo('MoS2') },
  { name: 'demo MoS2-V (POSCAR)', phase: '2H', a0: 3.18, slab: readDemo('MoS2-V') },
  { name: 'demo ZrS2 (POSCAR)', phase: '1T', a0: 3.69, slab: readDemo('ZrS2') },
  { name: 'demo ZrS2-V (POSCAR)', phase: '1T', a0: 3.69, slab: readDemo('ZrS2-V') },
  { name: '2H-MoS2 shifted: a bridge 0.04 A above the a edge', phase: '2H', a0: 3.18, slab: bridgeOnEdge(buildMX2Slab(MOS2), 3.18, 0.04), edge: 0.04 },
  { name: '2H-MoS2:V shifted: a bridge 0.03 A below the a edge (wrapped to the far edge)', phase: '2H', a0: 3.18, slab: bridgeOnEdge(buildMX2Slab({ ...MOS2, dopant: V4 }), 3.18, -0.03), edge: 0.03 },
  { name: '1T-ZrS2 shifted: a bridge exactly on the a edge', phase: '1T', a0: 3.69, slab: bridgeOnEdge(buildMX2Slab(ZRS2), 3.69, 0), edge: 0 },
  { name: '1T-ZrS2:V shifted: a bridge 0.07 A above the a edge', phase: '1T', a0: 3.69, slab: bridgeOnEdge(buildMX2Slab({ ...ZRS2, dopant: V4 }), 3.69, 0.07), edge: 0.07 },
];

const HOLLOW_KINDS = new Set(['T_M', 'H', 'H_X']);

describe('hop end sites: the two hollows adjacent to the bridge under the minimum image', () => {
  test.each(cases.filter((c) => c.slab))('$name', ({ phase, a0, slab, edge }) => {
    const s = slab!;
    const geo = topXEdges(s);
    expect(geo.a).toBeCloseTo(a0, 6);
    expect(geo.edges).toHaveLength(27); // 9 top-X atoms x 6 neighbours / 2
    const hollowR = a0 / (2 * Math.sqrt(3));
    // The identity used below: bridge = midpoint of the two centroids, each a / (2 sqrt3) away.
    for (const e of geo.edges) {
      const [c0, c1] = e.centroids;
      const m: P2 = [c0[0] + (c1[0] - c0[0]) / 2, c0[1] + (c1[1] - c0[1]) / 2];
      expect(dist(s, m, e.mid)).toBeLessThan(1e-9);
      expect(dist(s, c0, e.mid)).toBeCloseTo(hollowR, 9);
      expect(dist(s, c1, e.mid)).toBeCloseTo(hollowR, 9);
    }
    if (edge !== undefined) {
      // The shifted cases do put a bridge within 0.1 A of the a-axis cell edge (y = 0 or y = |b| sin 60).
      const height = s.lattice[1][1];
      const nearEdge = geo.edges.map((e) => {
        const y = ((e.mid[1] % height) + height) % height;
        return Math.min(y, height - y);
      });
      expect(Math.min(...nearEdge)).toBeCloseTo(edge, 9);
      expect(Math.min(...nearEdge)).toBeLessThan(0.1);
    }

    const r: SurfaceSites = findSites(s);
    const sites = r.sites;
    const hollows = sites.flatMap((site, i) => (HOLLOW_KINDS.has(site.kind) ? [i] : []));
    const bridges = sites.flatMap((site, i) => (site.kind === 'bridge' ? [i] : []));
    expect(hollows).toHaveLength(18);
    expect(bridges).toHaveLength(27);
    // Every bridge site is one of the X-X edge midpoints computed here, one to one.
    const edgeOf = new Map<number, Edge>();
    for (const b of bridges) {
      const matches = geo.edges.filter((e) => dist(s, e.mid, xy(sites[b].position)) < 0.05);
      expect(matches).toHaveLength(1);
      edgeOf.set(b, matches[0]);
    }
    expect(new Set(edgeOf.values()).size).toBe(27);

    // HOP DEFINITION (lead's change to lib/surface/sites.ts): one hop per bridge, each bridge used exactly once,
    // from = hollows[0], via = the bridge, to = hollows[1].
    expect(r.hops).toHaveLength(r.counts.bridge);
    expect(r.hops.map((h) => h.via).sort((x, y) => x - y)).toEqual(bridges);
    for (const h of r.hops) expect([h.from, h.to]).toEqual(sites[h.via].hollows);

    for (const h of r.hops) {
      const from = xy(sites[h.from].position);
      const to = xy(sites[h.to].position);
      const bridge = xy(sites[h.via].position);
      const tag = `${r.hops.indexOf(h)}: ${sites[h.from].id} -> ${sites[h.via].id} -> ${sites[h.to].id}`;
      expect(HOLLOW_KINDS.has(sites[h.from].kind), tag).toBe(true);
      expect(HOLLOW_KINDS.has(sites[h.to].kind), tag).toBe(true);
      expect(sites[h.via].kind, tag).toBe('bridge');
      // The bridge lies at the midpoint of the minimum images of from and to.
      const d = mic(s, [to[0] - from[0], to[1] - from[1]]);
      expect(dist(s, [from[0] + d[0] / 2, from[1] + d[1] / 2], bridge), tag).toBeLessThan(0.05);
      // from and to are the two hollows nearest to the bridge, at a / (2 sqrt3); the next one is far.
      const ranked = hollows.map((i) => ({ i, d: dist(s, xy(sites[i].position), bridge) })).sort((x, y) => x.d - y.d);
      expect(new Set([ranked[0].i, ranked[1].i]), tag).toEqual(new Set([h.from, h.to]));
      expect(ranked[0].d, tag).toBeCloseTo(hollowR, 3);
      expect(ranked[1].d, tag).toBeCloseTo(hollowR, 3);
      expect(ranked[2].d, tag).toBeGreaterThan(0.7 * a0);
      // ... and they are the centroids of the two triangles that share the bridge's X-X edge.
      const [c0, c1] = edgeOf.get(h.via)!.centroids;
      const ends = [from, to];
      expect(Math.min(dist(s, c0, from) + dist(s, c1, to), dist(s, c0, to) + dist(s, c1, from)), tag).toBeLessThan(0.05);
      // Kinds from what lies under each end: a metal (dopant included) -> T_M; a lower X -> H_X (1T); nothing -> H (2H).
      const under = (p: P2): string =>
        geo.metals.some((m) => dist(s, m, p) < 0.5) ? 'T_M' : geo.bottom.some((x) => dist(s, x, p) < 0.5) ? 'H_X' : 'H';
      expect(ends.map(under), tag).toEqual([sites[h.from].kind, sites[h.to].kind]);
      expect(new Set(ends.map(under)), tag).toEqual(new Set(['T_M', phase === '2H' ? 'H' : 'H_X']));
    }
  });
});
