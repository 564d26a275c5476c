/** Calibration of predictive sigmas: observed vs expected coverage of central Gaussian intervals. */
import { normalQuantile } from './metrics';

export const CALIBRATION_LEVELS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99];

export interface CalibrationPoint {
  /** Nominal coverage of the interval mean +- z sigma. */
  expected: number;
  /** Fraction of errors inside it. */
  observed: number;
}

/** Data for a calibration figure (x = expected, y = observed; the diagonal is perfect calibration). */
export function calibrationCurve(errors: ArrayLike<number>, sigmas: ArrayLike<number>, levels: readonly number[] = CALIBRATION_LEVELS): CalibrationPoint[] {
  return levels.map((level) => ({ expected: level, observed: coverage(errors, sigmas, level) }));
}

/** Fraction of |error| <= z(level) sigma. */
export function coverage(errors: ArrayLike<number>, sigmas: ArrayLike<number>, level = 0.9): number {
  const z = normalQuantile(0.5 + level / 2);
  let inside = 0;
  let n = 0;
  for (let i = 0; i < errors.length; i++) {
    if (!Number.isFinite(sigmas[i])) continue;
    n++;
    if (Math.abs(errors[i]) <= z * sigmas[i]) inside++;
  }
  return n ? inside / n : NaN;
}
