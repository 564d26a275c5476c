/**
 * Surface-level descriptors from the host's electronic levels. Li gives its 2s electron to the host's lowest
 * unoccupied level: the conduction band of a pristine semiconductor, the hole states at E_F of a p-doped slab
 * (V in MoS2), which is why doping shifts E_b by eV everywhere on a surface while the electrostatic potential
 * barely changes. The levels are given on the scale of the surface's potential file (meta.json, see
 * scripts/dft/run.py); adding the vacuum alignment shift of that potential puts them against the vacuum level.
 */

/** The levels as meta.json states them (eV, on the potential file's scale). */
export interface HostLevels {
  E_fermi_eV?: number;
  lowest_unoccupied_eV?: number;
}

/** Descriptor names and values (eV against the vacuum level); empty when the levels are unknown. */
export function hostLevelDescriptors(levels: HostLevels, vacuumShiftEv: number): Record<string, number> {
  const out: Record<string, number> = {};
  if (Number.isFinite(levels.lowest_unoccupied_eV))
    out.acceptor_level_eV = levels.lowest_unoccupied_eV! + vacuumShiftEv;
  if (Number.isFinite(levels.E_fermi_eV)) out.fermi_level_eV = levels.E_fermi_eV! + vacuumShiftEv;
  return out;
}
