import type { Vec3 } from '../math/mat3';
import { averageOverRule, ballRule, type GridSampler, type PointRule } from '../grid';

/**
 * Mean electrostatic potential (MEP): mean of V over the solid ball of radius `radiusA` centred at the Li position
 * (Cartesian Angstrom), by the 200-point rule of `ballRule` (4 Gauss-Legendre radii x 50 Lebedev directions) on
 * periodic tricubic samples. Add the vacuum shift to get the aligned value. Pass a prebuilt `rule` in loops.
 */
export function meanElectrostaticPotential(sampler: GridSampler, liPosition: Readonly<Vec3>, radiusA: number, rule: PointRule = ballRule(radiusA)): number {
  return averageOverRule(sampler, liPosition, rule);
}
