/**
 * Binding energies on a recorded Li chemical-potential reference.
 *
 *   E_b = E(slab + Li) - E(slab) - mu_Li          (eV; negative = binds)
 *
 * mu_Li is chosen per dataset and recorded with every derived number:
 * - 'bcc': energy per atom of bulk bcc Li (the usual reference for intercalation / plating);
 * - 'atom': energy of an isolated Li atom (gives adsorption energies, more negative than 'bcc' ones by the cohesive
 *   energy, about 1.6 eV in PBE);
 * - 'custom': any other value the user types, with a note.
 * The value itself comes from the user's own DFT (same code, functional and settings as the slabs): there is no
 * universal number, so none is built in.
 *
 * Changing the reference shifts every binding energy by mu_old - mu_new and leaves every barrier (a difference of
 * two binding energies of one surface) unchanged; `rereference` does the shift and says so.
 */
import { ProfileError } from './errors';

export type MuLiKind = 'bcc' | 'atom' | 'custom';

export const MU_LI_KINDS: readonly MuLiKind[] = ['bcc', 'atom', 'custom'];

export interface MuLiReference {
  kind: MuLiKind;
  /** mu_Li, eV per Li atom, on the same energy zero as the slab totals. */
  muLiEv: number;
  /** Free text: how it was computed (code, functional, k-points), or why a custom value. */
  note?: string;
}

export function isMuLiReference(value: unknown): value is MuLiReference {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.kind === 'string' &&
    (MU_LI_KINDS as readonly string[]).includes(v.kind) &&
    typeof v.muLiEv === 'number' &&
    Number.isFinite(v.muLiEv) &&
    (v.note === undefined || typeof v.note === 'string')
  );
}

function checkReference(ref: MuLiReference): void {
  if (!isMuLiReference(ref)) throw new ProfileError('bad_argument', `not a mu_Li reference: ${JSON.stringify(ref)}`);
}

/** E_b = E_total - E_slab - mu_Li, eV. */
export function bindingEnergy(totalEnergyEv: number, slabEnergyEv: number, reference: MuLiReference): number {
  checkReference(reference);
  if (!Number.isFinite(totalEnergyEv) || !Number.isFinite(slabEnergyEv)) {
    throw new ProfileError(
      'bad_argument',
      `binding energy needs finite totals (E_total=${totalEnergyEv}, E_slab=${slabEnergyEv})`,
    );
  }
  return totalEnergyEv - slabEnergyEv - reference.muLiEv;
}

/** One line for exports and logs, e.g. `bcc Li (mu_Li = -1.9045 eV)`. */
export function describeReference(reference: MuLiReference): string {
  const what = reference.kind === 'bcc' ? 'bcc Li' : reference.kind === 'atom' ? 'isolated Li atom' : 'custom';
  const note = reference.note ? `; ${reference.note.replace(/[\r\n]+/g, ' ')}` : '';
  return `${what} (mu_Li = ${reference.muLiEv} eV${note})`;
}

export interface Rereferenced<T> {
  values: T;
  /** mu_old - mu_new, eV: what was added to every binding energy. */
  shiftEv: number;
  from: MuLiReference;
  to: MuLiReference;
  /** Human-readable statement for exports. */
  message: string;
}

/**
 * Binding energies recomputed on another reference: E_b' = E_b + mu_old - mu_new. Accepts one number or an array
 * (null entries, i.e. unknown energies, stay null). Barriers are unchanged by construction.
 */
export function rereference<T extends number | readonly (number | null)[]>(
  bindingEnergiesEv: T,
  from: MuLiReference,
  to: MuLiReference,
): Rereferenced<T> {
  checkReference(from);
  checkReference(to);
  const shiftEv = from.muLiEv - to.muLiEv;
  const values = (
    typeof bindingEnergiesEv === 'number'
      ? bindingEnergiesEv + shiftEv
      : bindingEnergiesEv.map((v) => (v === null ? null : v + shiftEv))
  ) as T;
  const message =
    `binding energies re-referenced from ${describeReference(from)} to ${describeReference(to)}: ` +
    `every E_b shifted by ${shiftEv} eV; barriers unchanged`;
  return { values, shiftEv, from, to, message };
}
