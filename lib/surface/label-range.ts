/**
 * Range checks on a computed label (a row of labels.csv, or a site read from sites/<name>/CONTCAR + OUTCAR) before it
 * is matched to a site. Issue 15: a label at (1e300, -1e300, 1e300) was matched to a site "at distance 0" (the
 * fractional wrap of a huge number is noise), and nothing bounded the energies.
 *
 * - Position: Cartesian Angstrom, every coordinate finite, and inside the cell up to `cellToleranceA` along each
 *   lattice vector: with f the fractional coordinates, the excess (f_i < 0 ? -f_i : f_i > 1 ? f_i - 1 : 0) * |a_i|
 *   must not exceed the tolerance (default 0.5 A).
 * - E_b (given, or derived as E_total - E_slab - mu_Li when all three are known): finite and within
 *   +-`bindingLimitEv` (default 1e4 eV; real binding energies are a few eV).
 * - E_total: finite and within +-`totalLimitEv` (default 1e9 eV). Not 1e4: totals are code-dependent and large in
 *   absolute terms outside PAW codes (a 3x3 MoS2 slab is about -2e4 eV in Quantum ESPRESSO and CP2K, all-electron
 *   codes reach 1e6-1e7 eV), so only absurd values are refused here and the derived E_b carries the tight bound.
 *
 * Pure: the caller (the labels reader) turns each issue into its error with file and line.
 */
import { cartesianToFractional, norm, type Mat3, type Vec3 } from '../math/mat3';

export const LABEL_CELL_TOLERANCE_A = 0.5;
export const LABEL_BINDING_LIMIT_EV = 1e4;
export const LABEL_TOTAL_LIMIT_EV = 1e9;

export type LabelRangeCode =
  'position_not_finite' | 'position_outside_cell' | 'energy_not_finite' | 'energy_out_of_range';

export interface LabelRangeIssue {
  code: LabelRangeCode;
  /** The column at fault: x, y, z, position, E_b_eV, E_total_eV. */
  field: 'x' | 'y' | 'z' | 'position' | 'E_b_eV' | 'E_total_eV';
  message: string;
}

export interface LabelRangeInput {
  /** Li position, Cartesian Angstrom. */
  position: Readonly<Vec3>;
  eTotalEv?: number;
  eBindingEv?: number;
}

export interface LabelRangeOptions {
  cellToleranceA?: number;
  bindingLimitEv?: number;
  totalLimitEv?: number;
  /** With muLiEv, lets an E_total-only label have its derived E_b checked. */
  eSlabEv?: number;
  muLiEv?: number;
}

const AXES = ['a', 'b', 'c'] as const;
const COORDS = ['x', 'y', 'z'] as const;

function fmt(v: number): string {
  return Number.isFinite(v) && Math.abs(v) < 1e6 ? String(Number(v.toFixed(4))) : String(v);
}

function energyIssue(
  field: 'E_b_eV' | 'E_total_eV',
  value: number,
  limitEv: number,
  what: string,
): LabelRangeIssue | null {
  if (!Number.isFinite(value))
    return { code: 'energy_not_finite', field, message: `${what} is ${value}: not a finite number` };
  if (Math.abs(value) > limitEv)
    return {
      code: 'energy_out_of_range',
      field,
      message: `${what} = ${fmt(value)} eV is outside -${fmt(limitEv)}..${fmt(limitEv)} eV`,
    };
  return null;
}

/** Every range problem of one label (empty when it is fine). `lattice` rows are a, b, c (Angstrom). */
export function labelRangeIssues(
  label: LabelRangeInput,
  lattice: Readonly<Mat3>,
  options: LabelRangeOptions = {},
): LabelRangeIssue[] {
  const tolA = options.cellToleranceA ?? LABEL_CELL_TOLERANCE_A;
  const bindingLimit = options.bindingLimitEv ?? LABEL_BINDING_LIMIT_EV;
  const totalLimit = options.totalLimitEv ?? LABEL_TOTAL_LIMIT_EV;
  const issues: LabelRangeIssue[] = [];

  const bad = COORDS.filter((_, i) => !Number.isFinite(label.position[i]));
  for (const c of bad)
    issues.push({
      code: 'position_not_finite',
      field: c,
      message: `${c} = ${label.position[COORDS.indexOf(c)]}: not a finite number`,
    });
  if (bad.length === 0) {
    const frac = cartesianToFractional([...label.position] as Vec3, lattice.map((r) => [...r]) as Mat3);
    for (let i = 0; i < 3; i++) {
      const f = frac[i];
      const excessA = (f < 0 ? -f : f > 1 ? f - 1 : 0) * norm([...lattice[i]] as Vec3);
      if (!(excessA <= tolA)) {
        issues.push({
          code: 'position_outside_cell',
          field: 'position',
          message:
            `position (${label.position.map(fmt).join(', ')}) A lies ${fmt(excessA)} A outside the cell along ` +
            `${AXES[i]} (fractional ${fmt(f)}); a label must be inside the cell (tolerance ${fmt(tolA)} A)`,
        });
        break;
      }
    }
  }

  if (label.eBindingEv !== undefined) {
    const issue = energyIssue('E_b_eV', label.eBindingEv, bindingLimit, 'E_b');
    if (issue) issues.push(issue);
  }
  if (label.eTotalEv !== undefined) {
    const issue = energyIssue('E_total_eV', label.eTotalEv, totalLimit, 'E_total');
    if (issue) issues.push(issue);
    else if (label.eBindingEv === undefined && options.eSlabEv !== undefined && options.muLiEv !== undefined) {
      const derived = label.eTotalEv - options.eSlabEv - options.muLiEv;
      const d = energyIssue('E_total_eV', derived, bindingLimit, 'E_b = E_total - E_slab - mu_Li');
      if (d) issues.push(d);
    }
  }
  return issues;
}
