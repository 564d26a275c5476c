/**
 * Site features (lib/ml/site-features.ts) against distances computed here by brute force over periodic images.
 * Geometry features of hollows are relative to the surface's mean hollow (so the surface offset is its average
 * hollow's level); bridges keep absolute values.
 */
import { describe, expect, it } from 'vitest';
import { siteFeatures } from '@/lib/ml/site-features';
import { findSites } from '@/lib/surface';
import type { Structure } from '@/lib/structure/structure';
import { buildMX2Slab } from '../../fixtures/synthetic';

const HOLLOWS = new Set(['T_M', 'H', 'H_X']);

/** 3D distance from p to atom `atom`, minimised over in-plane images (-2..2 cells). */
function minImageDistance(structure: Structure, p: readonly number[], atom: number): number {
  const [a, b] = structure.lattice;
  const q = structure.positions[atom];
  let best = Infinity;
  for (let i = -2; i <= 2; i++)
    for (let j = -2; j <= 2; j++) {
      const d = [0, 1, 2].map((k) => q[k] + i * a[k] + j * b[k] - p[k]);
      best = Math.min(best, Math.hypot(d[0], d[1], d[2]));
    }
  return best;
}

function featuresOf(structure: Structure) {
  const found = findSites(structure, { heightA: 1.5 });
  const meps = new Float64Array(found.sites.length);
  return { sites: found.sites, feats: siteFeatures({ sites: found.sites, meps }, structure, {}) };
}

describe('site features', () => {
  const doped = buildMX2Slab({ phase: '2H', dopant: { species: 'V' } });
  const dopant = doped.species.indexOf('V');
  const { sites, feats } = featuresOf(doped);
  const bridges = sites.map((s, i) => i).filter((i) => sites[i].kind === 'bridge');
  const inv = (i: number): number => 1 / Math.max(minImageDistance(doped, sites[i].position, dopant), 0.5);

  it('gives bridges the absolute inverse dopant distance', () => {
    expect(bridges.length).toBe(27);
    for (const i of bridges) expect(feats[i]['geometry:inv_dopant_distance_per_A']).toBeCloseTo(inv(i), 6);
  });

  it('gives hollows geometry relative to the mean hollow of the surface', () => {
    const hollows = sites.map((s, i) => i).filter((i) => HOLLOWS.has(sites[i].kind));
    expect(hollows.length).toBe(18);
    const meanInv = hollows.reduce((acc, i) => acc + inv(i), 0) / hollows.length;
    for (const i of hollows) expect(feats[i]['geometry:inv_dopant_distance_per_A']).toBeCloseTo(inv(i) - meanInv, 6);
    // V (group 5) in Mo (group 6): valence difference -1 everywhere, so relative to the mean hollow it is 0.
    for (const i of hollows) expect(feats[i]['geometry:dopant_valence_diff']).toBeCloseTo(0, 12);
    for (const i of bridges) expect(feats[i]['geometry:dopant_valence_diff']).toBe(-1);
  });

  it('leaves a pristine surface with no dopant terms', () => {
    const pristine = featuresOf(buildMX2Slab({ phase: '2H' }));
    for (const f of pristine.feats) {
      expect(f['geometry:inv_dopant_distance_per_A']).toBe(0);
      expect(f['geometry:dopant_valence_diff']).toBe(0);
      expect(f['host:dopant_electrons']).toBe(0);
    }
  });

  it('counts the electrons the dopants add to the cell on every site (group of dopant - group of host metal)', () => {
    // V (group 5) for Mo (6): an acceptor, -1; V for Zr (4): a donor, +1; Ti (4) for Zr: isovalent, 0.
    for (const f of feats) expect(f['host:dopant_electrons']).toBe(-1);
    const cases: [string, string, number][] = [['Zr', 'V', 1], ['Zr', 'Ti', 0], ['Hf', 'Nb', 1]];
    for (const [metal, species, electrons] of cases) {
      const slab = featuresOf(buildMX2Slab({ phase: '1T', metal, dopant: { species } }));
      for (const f of slab.feats) expect(f['host:dopant_electrons']).toBe(electrons);
    }
  });
});
