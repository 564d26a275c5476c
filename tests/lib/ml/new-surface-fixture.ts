/**
 * Synthetic surfaces for the new-surface protocols: real sites and hops (lib/surface findSites on a doped 3x3 MX2
 * slab), a per-symmetry-group MEP drawn from a seeded PRNG, and binding energies set by a known rule:
 *   minimum: E = offset(surface) + kindStep (H above T_M) + noise
 *   saddle:  E = (E(A) + E(B)) / 2 + excess(mep(S) - (mep(A) + mep(B)) / 2) + noise
 * Only one representative per symmetry group is labelled (as the DFT generator does).
 */
import type { SurfaceExtraction } from '@/lib/epdi/extract';
import { mulberry32 } from '@/lib/ml/rng';
import type { EvalSurface } from '@/lib/ml/new-surface-score';
import { siteFeatures } from '@/lib/ml/site-features';
import type { Sample } from '@/lib/ml/types';
import { pipelineSurfaceFromSites } from '@/lib/pipeline';
import { findSites } from '@/lib/surface';
import { buildMX2Slab } from '../../fixtures/synthetic';

export interface SyntheticRule {
  offsetEv: (surfaceIndex: number) => number;
  kindStepEv: number;
  /** Saddle excess as a function of the saddle's MEP relative to its ends (eV). */
  excessEv: (mepRelEndsEv: number) => number;
  noiseEv: number;
}

export function syntheticSurfaces(count: number, rule: SyntheticRule, seed = 7): { samples: Sample[]; surfaces: EvalSurface[] } {
  const samples: Sample[] = [];
  const surfaces: EvalSurface[] = [];
  const rand = mulberry32(seed);
  const noise = (): number => (rand() * 2 - 1) * rule.noiseEv;
  for (let k = 0; k < count; k++) {
    const id = `S${k}`;
    const structure = buildMX2Slab({ phase: '2H', a0: 3.1 + 0.03 * k, dopant: { species: k % 2 ? 'V' : 'Nb' } });
    const found = findSites(structure, { heightA: 1.5 });
    const groupMep = new Map<number, number>();
    for (const s of found.sites) if (!groupMep.has(s.group)) groupMep.set(s.group, (rand() - 0.5) * 0.4);
    const meps = Float64Array.from(found.sites.map((s) => groupMep.get(s.group)!));
    const energyOfGroup = new Map<number, number>();
    for (const s of found.sites)
      if (!s.hollows && !energyOfGroup.has(s.group))
        energyOfGroup.set(s.group, rule.offsetEv(k) + (s.kind === 'H' ? rule.kindStepEv : 0) + noise());
    for (const s of found.sites)
      if (s.hollows && !energyOfGroup.has(s.group)) {
        const [a, b] = s.hollows.map((h) => found.sites[h]);
        const rel = groupMep.get(s.group)! - (groupMep.get(a.group)! + groupMep.get(b.group)!) / 2;
        const ends = (energyOfGroup.get(a.group)! + energyOfGroup.get(b.group)!) / 2;
        energyOfGroup.set(s.group, ends + rule.excessEv(rel) + noise());
      }
    const labelled = new Set<number>();
    const labels = found.sites.flatMap((s) => {
      if (s.kind === 'T_X' || labelled.has(s.group)) return [];
      labelled.add(s.group);
      return [{ site: `u-${s.id}`, kind: s.kind, position: s.position, eBindingEv: energyOfGroup.get(s.group)!, file: `${id}/labels.csv` }];
    });
    const { surface, matching } = pipelineSurfaceFromSites(
      { name: id, host: 'MoS2', phase: '2H', dopant: k % 2 ? 'V' : 'Nb', lattice: structure.lattice, eSlabEv: null, labels, nebRuns: [], files: [] },
      found,
      { muLiEv: null, meps },
    );
    const labelOf = new Map(matching.matched.map((m) => [m.site, m.eBindingEv!]));
    const extraction = { sites: found.sites, meps } as unknown as SurfaceExtraction;
    const feats = siteFeatures(extraction, structure, { acceptor_level_eV: -5 + 0.1 * k });
    const key = (i: number): string => `${id}#${found.sites[i].group}`;
    found.sites.forEach((s, i) =>
      samples.push({
        id: `${id}/${s.id}`,
        surfaceId: id,
        kind: s.kind,
        isSaddle: s.kind === 'bridge',
        epdi: new Float32Array(16),
        pixels: 4,
        mepEv: meps[i],
        eBindingEv: labelOf.get(i),
        siteGroup: key(i),
        hopEnds: s.hollows && [key(s.hollows[0]), key(s.hollows[1])],
        siteFeatures: feats[i],
      }),
    );
    surfaces.push({ id, host: 'MoS2', dopant: k % 2 ? 'V' : 'Nb', pipeline: surface });
  }
  return { samples, surfaces };
}
