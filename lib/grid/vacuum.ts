import type { Vec3 } from '../math/mat3';
import { cross, dot, norm } from '../math/mat3';
import type { Grid3D } from './grid3d';
import { gridFrame, cartToFracInto, wrapFraction } from './coords';
import { planarAverage } from './averages';

/**
 * Vacuum level of a slab potential and the shift that puts it at zero.
 *
 * Method: the vacuum is the largest gap between atoms along c (fractional c of every atom, periodic). Windows of the
 * planar average along c (exact grid planes) are averaged: `top` = [0.2, 0.4] of the gap above the upper surface,
 * `bottom` = [0.6, 0.8] of the gap (i.e. 0.2-0.4 below the lower surface), `middle` = [0.4, 0.6].
 * dipoleStepEv = top - bottom (a dipole-corrected VASP run puts a step in the middle of the vacuum; without a dipole
 * the two sides agree). The reference `vacuumLevelEv` is the `top` window when |dipoleStep| > stepToleranceEv (align to
 * the side where Li sits), otherwise the `middle` window (farthest from both surfaces). Aligned V = V + shiftEv.
 */
export interface VacuumAlignment {
  /** Add this to every potential value (eV) to put the vacuum above the top surface at zero. */
  shiftEv: number;
  vacuumLevelEv: number;
  topLevelEv: number;
  bottomLevelEv: number;
  middleLevelEv: number;
  dipoleStepEv: number;
  /** Which window gave `vacuumLevelEv`. */
  reference: 'middle' | 'top';
  /** Fractional c of the upper surface (start of the gap) and gap width in fractional c and in Angstrom along the normal. */
  gapStartFrac: number;
  gapFrac: number;
  gapWidthAngstrom: number;
}

export interface VacuumOptions {
  stepToleranceEv?: number;
  /** Atoms to leave out (indices), e.g. adsorbates that sit in the vacuum. */
  ignoreIndices?: readonly number[];
}

/** Largest periodic gap in a set of fractional coordinates (wrapped): returns its start and width (fractions). */
export function largestGap(fractions: readonly number[]): { start: number; width: number } {
  if (fractions.length === 0) return { start: 0, width: 1 };
  const w = fractions.map(wrapFraction).sort((x, y) => x - y);
  let best = { start: w[w.length - 1], width: w[0] + 1 - w[w.length - 1] };
  for (let i = 0; i + 1 < w.length; i++) {
    const width = w[i + 1] - w[i];
    if (width > best.width) best = { start: w[i], width };
  }
  return best;
}

function windowMean(profile: Float64Array, fromFrac: number, toFrac: number): number {
  const n = profile.length;
  // Grid planes whose fractional coordinate lies in [from, to] (periodic); at least the nearest plane.
  const k0 = Math.ceil(fromFrac * n - 1e-9);
  const k1 = Math.floor(toFrac * n + 1e-9);
  let sum = 0;
  let count = 0;
  for (let k = k0; k <= k1; k++) {
    sum += profile[((k % n) + n) % n];
    count++;
  }
  if (count === 0) {
    const k = Math.round(((fromFrac + toFrac) / 2) * n);
    return profile[((k % n) + n) % n];
  }
  return sum / count;
}

export function vacuumAlignment(
  grid: Grid3D,
  atomsCartesian: readonly Readonly<Vec3>[],
  options: VacuumOptions = {},
): VacuumAlignment {
  const { stepToleranceEv = 0.05, ignoreIndices = [] } = options;
  const frame = gridFrame(grid);
  const ignore = new Set(ignoreIndices);
  const fracs: number[] = [];
  const scratch: Vec3 = [0, 0, 0];
  atomsCartesian.forEach((p, i) => {
    if (!ignore.has(i)) fracs.push(cartToFracInto(frame.inverseLattice, p[0], p[1], p[2], scratch)[2]);
  });
  const gap = largestGap(fracs);
  const profile = planarAverage(grid, 2);
  const [a, b, c] = grid.lattice;
  const n = cross(a, b);
  const heightPerFrac = Math.abs(dot(c, n)) / norm(n);
  const at = (x: number, y: number): number => windowMean(profile, gap.start + x * gap.width, gap.start + y * gap.width);
  const topLevelEv = at(0.2, 0.4);
  const middleLevelEv = at(0.4, 0.6);
  const bottomLevelEv = at(0.6, 0.8);
  const dipoleStepEv = topLevelEv - bottomLevelEv;
  const reference = Math.abs(dipoleStepEv) > stepToleranceEv ? 'top' : 'middle';
  const vacuumLevelEv = reference === 'top' ? topLevelEv : middleLevelEv;
  return {
    shiftEv: -vacuumLevelEv,
    vacuumLevelEv,
    topLevelEv,
    bottomLevelEv,
    middleLevelEv,
    dipoleStepEv,
    reference,
    gapStartFrac: gap.start,
    gapFrac: gap.width,
    gapWidthAngstrom: gap.width * heightPerFrac,
  };
}
