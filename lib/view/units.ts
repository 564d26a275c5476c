/**
 * One unit convention for the electrostatic potential and the MEP on every page.
 *
 * The stored potential is what VASP's LOCPOT (LVHAR), GPAW's get_electrostatic_potential() and the converted cube
 * files hold: the electrostatic potential energy of an electron, U = -e*phi, in eV (strongly negative at the nuclei,
 * 0 in the vacuum after alignment). The app shows it as it is stored, in eV, named "-e*phi"; an MEP is the mean of U
 * over a sphere, also in eV. (The potential phi in volts is the same number with the opposite sign.)
 */

/** Symbol of the stored potential (electron potential energy). */
export const POTENTIAL_SYMBOL = '−eφ';
/** Unit of potentials and MEPs. */
export const POTENTIAL_UNIT = 'eV';
/** Colour bar / axis title of a potential map. */
export const POTENTIAL_TITLE = `${POTENTIAL_SYMBOL} (${POTENTIAL_UNIT})`;
/** Axis title of an MEP axis. */
export const MEP_AXIS_TITLE = `MEP, ${POTENTIAL_SYMBOL} (${POTENTIAL_UNIT}, vacuum = 0)`;
/** Column header of an MEP column. */
export const MEP_COLUMN = `MEP ${POTENTIAL_SYMBOL} (${POTENTIAL_UNIT})`;
/** One sentence for captions. */
export const POTENTIAL_NOTE =
  'Potentials and MEPs are the electrostatic potential energy of an electron, −eφ, in eV, zero in the vacuum above the surface (as LOCPOT and GPAW write them; φ in V is the same number with the opposite sign).';
