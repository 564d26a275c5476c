/**
 * "Compute next" lists ranked by sigma: which entries are tied (same predicted E_b and sigma at the precision shown)
 * and why, so a list of identical predictions is not read as a ranking.
 */
import type { Prediction } from './types';

export interface TiedGroup {
  /** Positions in the list (0-based) of the tied entries. */
  positions: number[];
  /** Why they are tied, for people. */
  reason: string;
}

/** Two energies are equal at the list's precision (1 meV). */
const TIE_EV = 5e-4;

/**
 * Groups of 2+ entries of `ranked` whose mean and sigma agree within 0.5 meV. `mepEv` (by prediction id) lets the
 * reason say whether their inputs agree too.
 */
export function tiedPredictions(
  ranked: readonly Prediction[],
  mepEv?: ReadonlyMap<string, number | undefined>,
): TiedGroup[] {
  const groups: TiedGroup[] = [];
  const used = new Set<number>();
  ranked.forEach((p, i) => {
    if (used.has(i)) return;
    const same = ranked
      .map((q, j) => ({ q, j }))
      .filter(
        ({ q, j }) =>
          j >= i &&
          !used.has(j) &&
          Math.abs(q.meanEv - p.meanEv) <= TIE_EV &&
          Math.abs((q.sigmaEv ?? 0) - (p.sigmaEv ?? 0)) <= TIE_EV,
      );
    if (same.length < 2) return;
    for (const { j } of same) used.add(j);
    const meps = same.map(({ q }) => mepEv?.get(q.id)).filter((v): v is number => v !== undefined);
    const mepsAgree = meps.length === same.length && Math.max(...meps) - Math.min(...meps) <= 1e-3;
    const reason =
      p.sigmaEv === undefined
        ? 'the model gives no σ and the same E_b for these saddles'
        : mepsAgree
          ? 'same predicted E_b and σ: their inputs agree (same site kind and the same MEP within 1 meV), so the model cannot tell them apart; any of them teaches it as much'
          : 'same predicted E_b and σ although their MEPs differ: the model does not use what differs between them (e.g. a constant or kind-only model); pick any, or train a model that uses the potential';
    groups.push({ positions: same.map(({ j }) => j), reason });
  });
  return groups;
}
