import type { Mat3, Vec3 } from '../math/mat3';

/**
 * A periodic atomic structure.
 * Frame: `lattice` rows are a, b, c in Angstrom; `positions` are Cartesian Angstrom, one per atom,
 * in the order of `species` (element symbols, one per atom).
 */
export interface Structure {
  comment: string;
  lattice: Mat3;
  species: string[];
  positions: Vec3[];
  /** Selective dynamics flags (true = free), one triple per atom, when the file had them. */
  selectiveDynamics?: [boolean, boolean, boolean][];
}

/** Element symbols in order of first appearance with their counts (VASP's species/count lines). */
export function speciesCounts(structure: Structure): { symbol: string; count: number }[] {
  const out: { symbol: string; count: number }[] = [];
  for (const symbol of structure.species) {
    const last = out[out.length - 1];
    if (last && last.symbol === symbol) last.count += 1;
    else out.push({ symbol, count: 1 });
  }
  return out;
}

/** Chemical formula in Hill-like order of appearance, e.g. "Mo8VS18". */
export function formula(structure: Pick<Structure, 'species'>): string {
  const totals = new Map<string, number>();
  for (const s of structure.species) totals.set(s, (totals.get(s) ?? 0) + 1);
  return [...totals].map(([s, n]) => (n === 1 ? s : `${s}${n}`)).join('');
}
