import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { detectLayers, findSites, type Site, type SiteKind, type SurfaceSites } from '../../../lib/surface';
import { parsePoscar } from '../../../lib/formats';
import { buildMX2Slab } from '../../fixtures/synthetic';

const REAL_POSCAR = '/work/shared/fixtures/vasp/mos2-5x5/mos2/pristine-mos2/POSCAR';
if (!existsSync(REAL_POSCAR)) console.warn(`skipping the real 5x5 MoS2 test: ${REAL_POSCAR} is absent (no ../shared checkout)`);

function groupsPerKind(s: SurfaceSites): Partial<Record<SiteKind, number>> {
  const out: Partial<Record<SiteKind, Set<number>>> = {};
  for (const site of s.sites) (out[site.kind] ??= new Set()).add(site.group);
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v!.size]));
}

const A0 = 3.16;

describe('layers', () => {
  test('finds top S, Mo and bottom S layers of a slab wrapped across the cell boundary along c', () => {
    const slab = buildMX2Slab({ phase: '2H', metalFracC: 0.01, cLength: 20 });
    const layers = detectLayers(slab);
    expect(layers.topX.indices.length).toBe(9);
    expect(layers.metal.indices.length).toBe(9);
    expect(layers.lowerX.indices.length).toBe(9);
    expect(layers.topX.heightA - layers.metal.heightA).toBeCloseTo(3.17 / 2, 9);
    expect(layers.metal.heightA - layers.lowerX.heightA).toBeCloseTo(3.17 / 2, 9);
    // The top X atoms are the ones built at +thickness/2 (indices 9..17).
    expect(layers.topX.indices).toEqual([9, 10, 11, 12, 13, 14, 15, 16, 17]);
    expect(layers.hostMetal).toBe('Mo');
  });

  test('ignores a Li adsorbate sitting in the vacuum and reports the dopant', () => {
    const slab = buildMX2Slab({ phase: '1T', dopant: { species: 'V', indices: [4] }, adsorbates: [{ species: 'Li', position: [1, 1, 10 + 1.425 + 1.5] }] });
    const layers = detectLayers(slab);
    expect(layers.ignored).toEqual([27]);
    expect(layers.dopantIndices).toEqual([4]);
    expect(layers.hostMetal).toBe('Ti');
    expect(layers.topX.indices.length).toBe(9);
  });
});

describe('sites and hops', () => {
  test('3x3 2H-MoS2: 9 T_M, 9 H, 27 bridges, 27 hops (one per bridge, T_M -> H); T_M-H distance a/sqrt3, saddle at s = 0.5', () => {
    const s = findSites(buildMX2Slab({ phase: '2H' }));
    expect(s.counts).toMatchObject({ T_M: 9, H: 9, H_X: 0, bridge: 27, T_X: 0 });
    expect(s.hops.length).toBe(27);
    expect(new Set(s.hops.map((h) => h.via)).size).toBe(27);
    for (const h of s.hops) {
      expect(h.saddleS).toBeCloseTo(0.5, 9);
      expect(h.lengthA).toBeCloseTo(A0 / Math.sqrt(3), 9);
      expect([s.sites[h.from].kind, s.sites[h.to].kind]).toEqual(['T_M', 'H']);
    }
    // Every hollow is an end of exactly 3 hops (one per triangle edge).
    const ends = new Map<number, number>();
    for (const h of s.hops) for (const e of [h.from, h.to]) ends.set(e, (ends.get(e) ?? 0) + 1);
    expect(ends.size).toBe(18);
    expect([...ends.values()].every((n) => n === 3)).toBe(true);
    // Pristine: one group per kind.
    expect(groupsPerKind(s)).toEqual({ T_M: 1, H: 1, bridge: 1 });
  });

  test('3x3 1T-TiS2: 9 T_M, 9 H_X, 27 bridges', () => {
    const s = findSites(buildMX2Slab({ phase: '1T' }), { includeTopX: true });
    expect(s.counts).toMatchObject({ T_M: 9, H: 0, H_X: 9, bridge: 27, T_X: 9 });
    expect(s.hops.length).toBe(27);
  });

  test('Li sits at the site xy, 1.5 A above the top X plane; T_M sits on a metal, H above nothing', () => {
    const slab = buildMX2Slab({ phase: '2H', metalFracC: 0.4 });
    const s = findSites(slab);
    const zTop = 0.4 * 20 + 3.17 / 2;
    for (const site of s.sites) expect(site.position[2]).toBeCloseTo(zTop + 1.5, 9);
    const metals = slab.positions.slice(0, 9);
    const lateral = (site: Site, p: number[]): number => {
      // min image in the 3x3 cell (a = 9.48 A)
      let best = Infinity;
      for (let i = -1; i <= 1; i++)
        for (let j = -1; j <= 1; j++) {
          const x = p[0] + i * 3 * A0 - (j * 3 * A0) / 2 - site.position[0];
          const y = p[1] + (j * 3 * A0 * Math.sqrt(3)) / 2 - site.position[1];
          best = Math.min(best, Math.hypot(x, y));
        }
      return best;
    };
    for (const site of s.sites.filter((x) => x.kind === 'T_M')) expect(Math.min(...metals.map((m) => lateral(site, m)))).toBeCloseTo(0, 9);
    for (const site of s.sites.filter((x) => x.kind === 'H')) expect(Math.min(...metals.map((m) => lateral(site, m)))).toBeCloseTo(A0 / Math.sqrt(3), 9);
  });

  test('sites are unique modulo lattice translations and the bridge hop angles come in the three lattice directions (+-)', () => {
    const s = findSites(buildMX2Slab({ phase: '2H' }));
    const keys = new Set(s.sites.map((x) => x.fractional.map((f) => Math.round(f * 1e6) % 1e6).join(',')));
    expect(keys.size).toBe(s.sites.length);
    // T_M -> H directions in 2H: 30, 150, 270 degrees (H at (2/3, 1/3) of the primitive cell from the metal).
    const angles = new Set(s.sites.filter((x) => x.kind === 'bridge').map((x) => Math.round((((x.hopAngleRad! * 180) / Math.PI + 360) % 360) * 1000) / 1000));
    expect([...angles].sort((a, b) => a - b)).toEqual([30, 150, 270]);
  });

  test('a wrapped slab, a Li adsorbate and small relaxation noise change nothing', () => {
    const ref = findSites(buildMX2Slab({ phase: '2H', dopant: { species: 'V' } }));
    for (const slab of [
      buildMX2Slab({ phase: '2H', metalFracC: 0.985, dopant: { species: 'V' } }),
      buildMX2Slab({ phase: '2H', dopant: { species: 'V' }, adsorbates: [{ species: 'Li', position: [0, 0, 13.1] }] }),
      buildMX2Slab({ phase: '2H', dopant: { species: 'V' }, jitter: { amplitude: 0.03, seed: 7 } }),
    ]) {
      const s = findSites(slab);
      expect(s.counts).toEqual(ref.counts);
      expect(groupsPerKind(s)).toEqual(groupsPerKind(ref));
    }
  });

  test('a tilted c vector and a rotated frame (surface not in xy) give the same sites and groups', () => {
    const ref = findSites(buildMX2Slab({ phase: '1T', dopant: { species: 'V' } }));
    const tilted = buildMX2Slab({ phase: '1T', dopant: { species: 'V' } });
    tilted.lattice[2] = [1.3, -0.7, 20];
    // Rotate everything by 40 degrees about the axis (1, 1, 0)/sqrt2: the surface normal is no longer z.
    const t = (40 * Math.PI) / 180;
    const [ux, uy, uz] = [Math.SQRT1_2, Math.SQRT1_2, 0];
    const c = Math.cos(t);
    const sn = Math.sin(t);
    const R = [
      [c + ux * ux * (1 - c), ux * uy * (1 - c) - uz * sn, ux * uz * (1 - c) + uy * sn],
      [uy * ux * (1 - c) + uz * sn, c + uy * uy * (1 - c), uy * uz * (1 - c) - ux * sn],
      [uz * ux * (1 - c) - uy * sn, uz * uy * (1 - c) + ux * sn, c + uz * uz * (1 - c)],
    ];
    const rot = (v: number[]): [number, number, number] => [0, 1, 2].map((i) => R[i][0] * v[0] + R[i][1] * v[1] + R[i][2] * v[2]) as [number, number, number];
    const rotated = { ...tilted, lattice: tilted.lattice.map(rot) as typeof tilted.lattice, positions: tilted.positions.map(rot) };
    for (const slab of [tilted, rotated]) {
      const s = findSites(slab);
      expect(s.counts).toEqual(ref.counts);
      expect(groupsPerKind(s)).toEqual(groupsPerKind(ref));
      // Li 1.5 A above the top X plane along the surface normal: from a hollow, the nearest top S (3D, periodic) is at
      // sqrt(1.5^2 + (a0/sqrt3)^2) with a0 = 3.41 A (1T default), whatever the orientation of the cell.
      const tm = s.sites.find((x) => x.kind === 'T_M')!;
      const nearest = Math.min(
        ...s.layers.topX.indices.flatMap((i) =>
          [-1, 0, 1].flatMap((p) =>
            [-1, 0, 1].flatMap((q) =>
              [-1, 0, 1].map((r) => {
                const L = slab.lattice;
                const d = [0, 1, 2].map((k) => slab.positions[i][k] + p * L[0][k] + q * L[1][k] + r * L[2][k] - tm.position[k]);
                return Math.hypot(d[0], d[1], d[2]);
              }),
            ),
          ),
        ),
      );
      expect(nearest).toBeCloseTo(Math.hypot(1.5, 3.41 / Math.sqrt(3)), 6);
    }
  });

  test('dopant distances: the T_M site on the dopant is straight above it', () => {
    const s = findSites(buildMX2Slab({ phase: '2H', dopant: { species: 'V', indices: [0] } }));
    const onDopant = s.sites.filter((x) => x.kind === 'T_M' && x.dopantDistances[0].lateralDistanceA < 1e-6);
    expect(onDopant.length).toBe(1);
    expect(onDopant[0].dopantDistances[0]).toMatchObject({ atom: 0, species: 'V' });
    expect(onDopant[0].dopantDistances[0].distanceA).toBeCloseTo(3.17 / 2 + 1.5, 9);
    // Nearest H sites: a/sqrt3 laterally from the dopant, 3 of them.
    const nearH = s.sites.filter((x) => x.kind === 'H' && Math.abs(x.dopantDistances[0].lateralDistanceA - A0 / Math.sqrt(3)) < 1e-6);
    expect(nearH.length).toBe(3);
  });

  /*
   * Hand count, one dopant at the origin of a 3x3 2H (or 1T) cell. Primitive vectors a1, a2 at 120 degrees; metals at
   * (i, j) mod 3, top X at (1/3, 2/3) + (i, j), hollow H (or H_X) at (2/3, 1/3) + (i, j). The operations that keep the
   * top up and map the doped slab onto itself are C3v about the dopant (3 rotations, 3 mirrors through the dopant and
   * a top X); with the cell's translations, site orbits are:
   *   T_M (9): the dopant {1}; its 6 nearest metals {6}; the metals at (1,2) and (2,1) (= a1 - a2 and a2 - a1, the
   *     centres of the up and down triangles of the dopant superlattice): each is fixed by every operation (a 3-fold
   *     centre of the 3x3 torus) and no mirror swaps them (the swap would be inversion or the mirror through the
   *     metal-metal bond, neither of which keeps the top X layer), so {1}, {1}.      -> 4 groups.
   *   H (9): 3 at a/sqrt3 from the dopant, 3 at 2a/sqrt3, 3 at sqrt(7/3) a; each triple is one C3 orbit.  -> 3 groups.
   *   bridge (27): each bridge belongs to one metal (it is the midpoint of a T_M-H pair), so orbits follow the metal's
   *     orbit: dopant's 3 bridges {3} (one C3 orbit); 6 nearest metals x 3 bridges = 18 with a free action of the
   *     6 operations -> 3 orbits of 6; (1,2)'s 3 bridges {3}; (2,1)'s 3 bridges {3}.   -> 6 groups.
   *   T_X (9): like H with the roles of directions swapped: 3 + 3 + 3.                -> 3 groups.
   * Hops (27, one per bridge, T_M -> hollow): no operation reverses a hop (that would swap a T_M and a hollow), so
   * hop orbits are the bridge orbits -> 6.
   */
  test.each(['2H', '1T'] as const)('one dopant in 3x3 %s: symmetry groups match the hand count (4 T_M, 3 hollow, 6 bridge, 3 T_X; 6 hop groups)', (phase) => {
    const s = findSites(buildMX2Slab({ phase, dopant: { species: 'V' } }), { includeTopX: true });
    const hollow = phase === '2H' ? 'H' : 'H_X';
    expect(groupsPerKind(s)).toEqual({ T_M: 4, [hollow]: 3, bridge: 6, T_X: 3 });
    expect(new Set(s.hops.map((h) => h.group)).size).toBe(6);
    expect(s.operations.map((o) => o.name).sort()).toEqual(['C6^2', 'C6^4', 'E', 'm(150)', 'm(30)', 'm(90)']);
    // All sites kept.
    expect(s.sites.length).toBe(9 + 9 + 27 + 9);
  });

  test.skipIf(!existsSync(REAL_POSCAR))('the real 5x5 MoS2 POSCAR gives 25 T_M, 25 H, 75 bridges', () => {
    const { structure } = parsePoscar(readFileSync(REAL_POSCAR, 'utf8'), { fileName: 'POSCAR' });
    const s = findSites(structure);
    expect(s.counts).toMatchObject({ T_M: 25, H: 25, bridge: 75 });
    expect(s.hops.length).toBe(75);
    expect(s.groupCount).toBe(3);
  });
});
