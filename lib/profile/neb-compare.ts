/**
 * Compare a measured NEB profile with a predicted hop profile.
 *
 * Measured profile: images i = 0..N with path coordinate s_i (cumulative image-to-image distance, normalised so that
 * s_0 = 0 and s_N = 1; `nebPathCoordinate`) and energies E_i on the binding-energy scale of the dataset
 * (E_i = E_total,i - E_slab - mu_Li; `nebBindingEnergies`). The predicted profile's PCHIP is evaluated at every s_i
 * (never outside [0, 1]: it throws) and compared:
 * - errors e_i = E_pred(s_i) - E_i (eV, signed: positive = the prediction is too high);
 * - MAE = mean |e_i| over all images (end points included), max error = max |e_i|, RMSE;
 * - NEB barrier = max_i E_i - E_0, read from the images like `barriersFromCurve`, and the barrier error =
 *   predicted forward barrier (from the predicted drawn curve) - NEB barrier.
 * Overall numbers pool every image of every hop (MAE over points), and average barrier errors over hops.
 */
import { ProfileError } from './errors';
import { barriersFromCurve, type HopProfile } from './profile';
import { bindingEnergy, type MuLiReference } from './binding';

export interface NebProfile {
  /** Hop id this NEB belongs to. */
  hop?: string;
  /** Path coordinate, increasing, s_0 = 0, s_N = 1. Shape: [images]. */
  s: readonly number[];
  /** Binding-energy scale, eV. Shape: [images]. */
  energyEv: readonly number[];
}

export interface NebComparison {
  hop?: string;
  images: number;
  s: number[];
  nebEnergyEv: number[];
  predictedEnergyEv: number[];
  /** E_pred(s_i) - E_i, eV. */
  errorsEv: number[];
  maeEv: number;
  rmseEv: number;
  maxAbsErrorEv: number;
  nebBarrierForwardEv: number;
  nebBarrierBackwardEv: number;
  predictedBarrierForwardEv: number;
  /** predicted forward barrier - NEB forward barrier, eV. */
  barrierErrorEv: number;
}

export interface NebOverall {
  hops: number;
  points: number;
  /** Mean |error| over all images of all hops, eV. */
  maeEv: number;
  rmseEv: number;
  maxAbsErrorEv: number;
  /** Mean |barrier error| over hops, eV. */
  barrierMaeEv: number;
  barrierMaxAbsErrorEv: number;
}

/**
 * Normalised path coordinate from the distances between consecutive images (Angstrom): s_0 = 0, s_i = cumulative
 * distance / total, s_N = 1 exactly. Shape: [steps] in, [steps + 1] out.
 */
export function nebPathCoordinate(stepDistancesAngstrom: readonly number[]): number[] {
  if (stepDistancesAngstrom.length === 0) throw new ProfileError('bad_argument', 'an NEB needs at least two images');
  const s = [0];
  let total = 0;
  for (const d of stepDistancesAngstrom) {
    if (!(d >= 0) || !Number.isFinite(d)) throw new ProfileError('bad_argument', `bad image distance ${d}`);
    total += d;
    s.push(total);
  }
  if (!(total > 0)) throw new ProfileError('bad_argument', 'NEB images do not move: zero path length');
  for (let i = 1; i < s.length; i++) s[i] /= total;
  s[s.length - 1] = 1;
  for (let i = 1; i < s.length; i++) {
    if (!(s[i] > s[i - 1])) throw new ProfileError('bad_argument', `NEB images ${i - 1} and ${i} coincide`);
  }
  return s;
}

/**
 * Distance between two images, Angstrom: the norm of the displacement of all atoms, each under the minimum-image
 * convention (fractional differences wrapped to [-0.5, 0.5)). Frame: fractional coordinates, flat [x0, y0, z0, x1,
 * ...]; `lattice` rows are the cell vectors a, b, c in Angstrom.
 */
export function imageDistanceAngstrom(
  fracA: ArrayLike<number>,
  fracB: ArrayLike<number>,
  lattice: readonly (readonly number[])[],
): number {
  if (fracA.length !== fracB.length || fracA.length % 3 !== 0) {
    throw new ProfileError('bad_argument', 'images must hold the same atoms (flat xyz fractional coordinates)');
  }
  let ss = 0;
  for (let i = 0; i < fracA.length; i += 3) {
    let cx = 0;
    let cy = 0;
    let cz = 0;
    for (let k = 0; k < 3; k++) {
      let d = fracB[i + k] - fracA[i + k];
      d -= Math.round(d);
      cx += d * lattice[k][0];
      cy += d * lattice[k][1];
      cz += d * lattice[k][2];
    }
    ss += cx * cx + cy * cy + cz * cz;
  }
  return Math.sqrt(ss);
}

/** Image total energies (slab + Li, eV) on the binding-energy scale: E_i - E_slab - mu_Li. */
export function nebBindingEnergies(
  totalEnergiesEv: readonly number[],
  slabEnergyEv: number,
  reference: MuLiReference,
): number[] {
  return totalEnergiesEv.map((e) => bindingEnergy(e, slabEnergyEv, reference));
}

/** Compare one NEB with the predicted profile of the same hop (same direction: image 0 = the hop's A). */
export function compareNeb(neb: NebProfile, predicted: HopProfile): NebComparison {
  const n = neb.s.length;
  if (n < 2 || neb.energyEv.length !== n) {
    throw new ProfileError(
      'bad_argument',
      `an NEB needs >= 2 images with one energy each (${n} s, ${neb.energyEv.length} E)`,
    );
  }
  const s = [...neb.s];
  const nebEnergyEv = [...neb.energyEv];
  const predictedEnergyEv = predicted.curve.evaluateMany(s); // throws RangeError outside [0, 1]
  const errorsEv = predictedEnergyEv.map((p, i) => p - nebEnergyEv[i]);
  let abs = 0;
  let sq = 0;
  let maxAbsErrorEv = 0;
  for (const e of errorsEv) {
    abs += Math.abs(e);
    sq += e * e;
    maxAbsErrorEv = Math.max(maxAbsErrorEv, Math.abs(e));
  }
  const nebBarriers = barriersFromCurve(nebEnergyEv);
  return {
    hop: neb.hop ?? predicted.id,
    images: n,
    s,
    nebEnergyEv,
    predictedEnergyEv,
    errorsEv,
    maeEv: abs / n,
    rmseEv: Math.sqrt(sq / n),
    maxAbsErrorEv,
    nebBarrierForwardEv: nebBarriers.forwardEv,
    nebBarrierBackwardEv: nebBarriers.backwardEv,
    predictedBarrierForwardEv: predicted.barrierForwardEv,
    barrierErrorEv: predicted.barrierForwardEv - nebBarriers.forwardEv,
  };
}

/** Pool several hop comparisons (see the module doc). */
export function summarizeNebComparisons(comparisons: readonly NebComparison[]): NebOverall {
  if (comparisons.length === 0) throw new ProfileError('bad_argument', 'no NEB comparisons to summarise');
  let points = 0;
  let abs = 0;
  let sq = 0;
  let maxAbsErrorEv = 0;
  let barrierAbs = 0;
  let barrierMaxAbsErrorEv = 0;
  for (const c of comparisons) {
    for (const e of c.errorsEv) {
      points++;
      abs += Math.abs(e);
      sq += e * e;
      maxAbsErrorEv = Math.max(maxAbsErrorEv, Math.abs(e));
    }
    barrierAbs += Math.abs(c.barrierErrorEv);
    barrierMaxAbsErrorEv = Math.max(barrierMaxAbsErrorEv, Math.abs(c.barrierErrorEv));
  }
  return {
    hops: comparisons.length,
    points,
    maeEv: abs / points,
    rmseEv: Math.sqrt(sq / points),
    maxAbsErrorEv,
    barrierMaeEv: barrierAbs / comparisons.length,
    barrierMaxAbsErrorEv,
  };
}
