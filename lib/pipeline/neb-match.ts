/**
 * NEB runs assigned to hops: a run goes to the hop whose end sites are nearest (in the surface plane, periodic) to
 * the Li of its first and last images, either direction, within `NEB_MATCH_TOLERANCE_A`; ties (the same two hollows
 * joined by several bridges) go to the hop whose saddle is nearest to some image's Li. Image total energies become
 * binding energies with the surface's E_slab and the same mu_Li as the labels (E_i - E_slab - mu_Li).
 */
import type { Mat3, Vec3 } from '../math/mat3';
import type { NebProfile } from '../profile';
import type { PipelineHop, PipelineNebImage, PipelineSite } from './views';

/** In-plane distance (Angstrom) within which an NEB end point counts as sitting on a hop's end site. */
export const NEB_MATCH_TOLERANCE_A = 0.5;

/** In-plane distance under the lattice translations -1..1 of a and b (Cartesian Angstrom, slab normal along z). */
export function inPlaneDistanceA(p: readonly number[], q: readonly number[], lattice: readonly Vec3[] | Mat3): number {
  let best = Infinity;
  for (let i = -1; i <= 1; i++) {
    for (let j = -1; j <= 1; j++) {
      const dx = q[0] + i * lattice[0][0] + j * lattice[1][0] - p[0];
      const dy = q[1] + i * lattice[0][1] + j * lattice[1][1] - p[1];
      best = Math.min(best, Math.hypot(dx, dy));
    }
  }
  return best;
}

export type NebMatch =
  | { ok: true; hop: PipelineHop; reversed: boolean; endsDistanceA: number; neb: NebProfile }
  | { ok: false; reason: string };

/** Match one run (hops already taken are skipped) and put its energies on the binding-energy scale. */
export function matchNebRun(
  images: readonly PipelineNebImage[],
  hops: readonly PipelineHop[],
  sites: ReadonlyMap<string, PipelineSite>,
  lattice: readonly Vec3[],
  energy: { eSlabEv: number | null; muLiEv: number | null },
  taken: ReadonlySet<string>,
): NebMatch {
  if (images.length < 2) return { ok: false, reason: 'fewer than two images' };
  const first = images[0].li;
  const last = images[images.length - 1].li;
  if (!first || !last) return { ok: false, reason: 'the first or last image holds no Li atom' };
  const { eSlabEv, muLiEv } = energy;
  if (eSlabEv === null || muLiEv === null) {
    return { ok: false, reason: 'E_slab or mu_Li unknown: image energies cannot be put on the binding-energy scale' };
  }
  let best: { hop: PipelineHop; reversed: boolean; cost: number; ends: number } | null = null;
  const lis = images.flatMap((im) => (im.li ? [im.li] : []));
  for (const h of hops) {
    if (taken.has(h.id)) continue;
    const pa = sites.get(h.from)!.position;
    const pb = sites.get(h.to)!.position;
    const ps = sites.get(h.saddle)!.position;
    const saddleD = Math.min(...lis.map((li) => inPlaneDistanceA(ps, li, lattice)));
    for (const reversed of [false, true]) {
      const d1 = inPlaneDistanceA(reversed ? pb : pa, first, lattice);
      const d2 = inPlaneDistanceA(reversed ? pa : pb, last, lattice);
      if (d1 > NEB_MATCH_TOLERANCE_A || d2 > NEB_MATCH_TOLERANCE_A) continue;
      const cost = d1 + d2 + saddleD;
      if (!best || cost < best.cost - 1e-9) best = { hop: h, reversed, cost, ends: d1 + d2 };
    }
  }
  if (!best) {
    return {
      ok: false,
      reason: `no hop has end sites within ${NEB_MATCH_TOLERANCE_A} A of the first and last image's Li`,
    };
  }
  const ordered = best.reversed ? [...images].reverse() : [...images];
  const s = ordered.map((im) => (best.reversed ? 1 - im.s : im.s));
  s[0] = 0;
  s[s.length - 1] = 1;
  return {
    ok: true,
    hop: best.hop,
    reversed: best.reversed,
    endsDistanceA: best.ends,
    neb: { hop: best.hop.name, s, energyEv: ordered.map((im) => im.energyEv - eSlabEv - muLiEv) },
  };
}
