/**
 * Surface-level descriptors from the host's electronic levels. Li gives its 2s electron to the host's lowest level
 * with room for it: the conduction band of a pristine semiconductor, the partly filled states at E_F of a doped slab
 * (the holes of V in MoS2, the extra electron of V in ZrS2), which is why doping shifts E_b by eV everywhere on a
 * surface while the electrostatic potential barely changes. The levels are given on the scale of the surface's
 * potential file (meta.json, see scripts/dft/run.py); adding the vacuum alignment shift of that potential puts them
 * against the vacuum level.
 */

/** The levels as meta.json states them (eV, on the potential file's scale). */
export interface HostLevels {
  E_fermi_eV?: number;
  highest_occupied_eV?: number;
  lowest_unoccupied_eV?: number;
  /** Some state is partly filled (a host OUTCAR's occupations, lib/formats/outcar-levels.ts). */
  fractional_occupations?: boolean;
  /** GPAW's Fermi-Dirac width (scripts/dft), used when the occupations themselves were not recorded. */
  settings?: { width_eV?: number };
}

/** The levels of a parsed meta.json (or the host OUTCAR's, merged in by the upload reader); anything malformed is dropped. */
export function hostLevelsOf(meta: unknown): HostLevels {
  const m = meta && typeof meta === 'object' ? (meta as Record<string, unknown>) : {};
  const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const settings = m.settings && typeof m.settings === 'object' ? (m.settings as Record<string, unknown>) : {};
  return {
    E_fermi_eV: num(m.E_fermi_eV),
    highest_occupied_eV: num(m.highest_occupied_eV),
    lowest_unoccupied_eV: num(m.lowest_unoccupied_eV),
    fractional_occupations: typeof m.fractional_occupations === 'boolean' ? m.fractional_occupations : undefined,
    settings: { width_eV: num(settings.width_eV) },
  };
}

/** A state counts as partly filled between these fractions of a full one. */
export const PARTLY_FILLED = { min: 0.01, max: 0.99 } as const;

/**
 * Whether E_F is pinned by partly filled states (a doped, metallic slab) rather than sitting in a gap: the recorded
 * occupations say so, or else the Fermi-Dirac occupation of the eigenvalues straddling E_F at the run's width. The
 * "highest occupied" eigenvalue of a p-doped slab can be a hole state a few meV below E_F (MoSe2:V), so the
 * eigenvalue order alone cannot tell.
 */
export function partlyFilled(levels: HostLevels): boolean | undefined {
  if (typeof levels.fractional_occupations === 'boolean') return levels.fractional_occupations;
  const width = levels.settings?.width_eV;
  const ef = levels.E_fermi_eV;
  if (width === undefined || !(width > 0) || !Number.isFinite(ef)) return undefined;
  const occupation = (e: number | undefined): number | undefined =>
    Number.isFinite(e) ? 1 / (1 + Math.exp((e! - ef!) / width)) : undefined;
  const below = occupation(levels.highest_occupied_eV);
  const above = occupation(levels.lowest_unoccupied_eV);
  if (below === undefined && above === undefined) return undefined;
  return (below !== undefined && below < PARTLY_FILLED.max) || (above !== undefined && above > PARTLY_FILLED.min);
}

/**
 * The acceptor level on the potential file's scale: E_F when states there are partly filled, else the lowest
 * unoccupied eigenvalue (the CBM of a semiconductor); undefined when the levels do not give it.
 */
export function acceptorLevel(levels: HostLevels): number | undefined {
  if (partlyFilled(levels) && Number.isFinite(levels.E_fermi_eV)) return levels.E_fermi_eV;
  return Number.isFinite(levels.lowest_unoccupied_eV) ? levels.lowest_unoccupied_eV : undefined;
}

/** Descriptor names and values (eV against the vacuum level); empty when the levels are unknown. */
export function hostLevelDescriptors(levels: HostLevels, vacuumShiftEv: number): Record<string, number> {
  const out: Record<string, number> = {};
  const acceptor = acceptorLevel(levels);
  if (acceptor !== undefined) out.acceptor_level_eV = acceptor + vacuumShiftEv;
  if (Number.isFinite(levels.E_fermi_eV)) out.fermi_level_eV = levels.E_fermi_eV! + vacuumShiftEv;
  return out;
}
