import type { Mat3, Vec3 } from '../math/mat3';
import { cartesianToFractional, fractionalToCartesian } from '../math/mat3';

export interface LabelPosition {
  /** Cartesian Angstrom of the Li atom. */
  position: Vec3;
}

export interface LabelMatch {
  /** Index into the labels. */
  label: number;
  /** Index into the sites, or -1 when no site lies within the tolerance. */
  site: number;
  /** In-plane minimum-image distance to that site (Angstrom); the nearest site's distance when unmatched. */
  distanceA: number;
}

/**
 * Match computed Li positions to the app's sites by the nearest position in the surface plane (periodic in a and b;
 * the height is ignored), within `toleranceA` (default 0.3 Angstrom). Every label gets a result; unmatched ones keep
 * site -1 so they can be reported, never dropped silently. Assumes c is the surface normal direction (slab cells).
 */
export function matchLabelsToSites(
  labels: readonly LabelPosition[],
  sitePositions: readonly Vec3[],
  lattice: Mat3,
  toleranceA = 0.3,
): LabelMatch[] {
  const siteFracs = sitePositions.map((p) => cartesianToFractional(p, lattice));
  return labels.map((label, i) => {
    const f = cartesianToFractional(label.position, lattice);
    let best = -1;
    let bestDistance = Infinity;
    siteFracs.forEach((s, j) => {
      const du = wrapHalf(f[0] - s[0]);
      const dv = wrapHalf(f[1] - s[1]);
      // Nearest of the neighbouring images in the plane (skewed cells need the diagonal neighbours too).
      for (const [a, b] of NEIGHBOURS) {
        const d = fractionalToCartesian([du + a, dv + b, 0], lattice);
        const r = Math.hypot(d[0], d[1], d[2]);
        if (r < bestDistance) {
          bestDistance = r;
          best = j;
        }
      }
    });
    return { label: i, site: bestDistance <= toleranceA ? best : -1, distanceA: bestDistance };
  });
}

const NEIGHBOURS: [number, number][] = [-1, 0, 1].flatMap((a) => [-1, 0, 1].map((b): [number, number] => [a, b]));

function wrapHalf(x: number): number {
  return x - Math.round(x);
}
