import type { Mat3, Vec3 } from '../math/mat3';

/**
 * What the surface page hands to its client views (plain JSON): the structure as drawn (slab unwrapped so it does not
 * straddle the cell boundary along c), sites at their drawn Li positions and the hops. Cartesian Angstrom, eV.
 */
export interface ViewStructure {
  lattice: Mat3;
  species: string[];
  /** Cartesian positions, shifted by whole c vectors so the slab is contiguous. */
  positions: Vec3[];
  dopantIndices: number[];
  /** Unit normal of the surface (towards the vacuum above the top X layer) and in-plane axes e1, e2. */
  normal: Vec3;
  e1: Vec3;
  e2: Vec3;
  topXHeightA: number;
}

export interface ViewSite {
  id: string;
  name: string;
  kind: string;
  /** Li position as drawn: in-plane position of the site, heightA above the top X plane. */
  position: Vec3;
  /** In-plane coordinates along e1, e2. */
  xy: [number, number];
  directionRad: number | null;
  mepV: number | null;
  eBindingEv: number | null;
  predictedEv: number | null;
  sigmaEv: number | null;
  dopantDistanceA: number | null;
  /** The user's own label name for the site (labels.csv `site`, sites/<name>/), when it was labelled. */
  label?: string | null;
}

export interface ViewHop {
  id: string;
  name: string;
  from: string;
  saddle: string;
  to: string;
}

export type EnergySource = 'dft' | 'predicted';

/** A site's E_b for colouring: DFT or predicted as chosen, falling back to the other when absent. */
export function siteEnergy(site: Pick<ViewSite, 'eBindingEv' | 'predictedEv'>, source: EnergySource): number | null {
  return source === 'dft' ? (site.eBindingEv ?? site.predictedEv) : (site.predictedEv ?? site.eBindingEv);
}

/** One drawn hop path per saddle (the two directions A -> S -> B and B -> S -> A share it). */
export interface HopPathView {
  saddle: string;
  from: string;
  to: string;
  /** max(E_S - E_A, E_S - E_B) (the larger of the two barriers, eV) when all three energies are known, else null. */
  barrierEv: number | null;
}

export function hopPaths(sites: readonly ViewSite[], hops: readonly ViewHop[], source: EnergySource): HopPathView[] {
  const byId = new Map(sites.map((s) => [s.id, s]));
  const seen = new Set<string>();
  const out: HopPathView[] = [];
  for (const h of hops) {
    if (seen.has(h.saddle)) continue;
    seen.add(h.saddle);
    const a = byId.get(h.from);
    const s = byId.get(h.saddle);
    const b = byId.get(h.to);
    if (!a || !s || !b) continue;
    const ea = siteEnergy(a, source);
    const es = siteEnergy(s, source);
    const eb = siteEnergy(b, source);
    out.push({
      saddle: h.saddle,
      from: h.from,
      to: h.to,
      barrierEv: ea !== null && es !== null && eb !== null ? es - Math.min(ea, eb) : null,
    });
  }
  return out;
}
