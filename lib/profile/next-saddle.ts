/**
 * Which predicted saddle to compute next: the one whose DFT value is expected to move the surface's percolating
 * barrier most. A predicted saddle group g (every hop through a saddle of g shares its value) has a predictive
 * N(mean, sigma); its value is E|B(x) - B(mean)| over x ~ N(mean, sigma), with B the percolating barrier
 * (./percolation.ts) when the group's saddles sit at x and every other energy stays as it is. A saddle with a large
 * sigma on a hop far from the bottleneck is worth little; a modest sigma on the bottleneck hop is worth a lot.
 *
 * A hop's top energy follows its saddle: top + (x - mean) when the saddle is the hop's maximum, else
 * max(top, x). The expectation is a midpoint rule over mean +- 4 sigma (QUADRATURE_POINTS nodes, normal weights
 * renormalised), accurate to about 1% for this piecewise-linear integrand.
 */
import { percolatingBarrier, type GraphHop, type GraphSite } from './percolation';

export interface SaddleHop extends GraphHop {
  /** Key of the symmetry group of the hop's saddle (hops of one group move together). */
  saddleGroup: string;
  /** Whether the saddle is the maximum of the hop's profile. */
  saddleIsMaximum: boolean;
}

export interface PredictedGroup {
  group: string;
  meanEv: number;
  sigmaEv: number;
}

export interface SaddleValue extends PredictedGroup {
  /** E|B(x) - B(mean)| in eV; 0 when the barrier does not depend on this saddle. */
  expectedChangeEv: number;
}

const QUADRATURE_POINTS = 41;
const SPAN_SIGMAS = 4;

function barrierWith(
  sites: readonly GraphSite[],
  hops: readonly SaddleHop[],
  group: string,
  shiftEv: number,
  xEv: number,
): number | null {
  const moved = hops.map((h) =>
    h.saddleGroup !== group
      ? h
      : { ...h, topEnergyEv: h.saddleIsMaximum ? h.topEnergyEv + shiftEv : Math.max(h.topEnergyEv, xEv) },
  );
  return percolatingBarrier(sites, moved)?.barrierEv ?? null;
}

/** Expected change of the percolating barrier for each predicted group, largest first. */
export function rankSaddlesByBarrierChange(
  sites: readonly GraphSite[],
  hops: readonly SaddleHop[],
  groups: readonly PredictedGroup[],
): SaddleValue[] {
  const base = percolatingBarrier(sites, hops)?.barrierEv ?? null;
  const values = groups.map((g): SaddleValue => {
    if (base === null || !(g.sigmaEv > 0)) return { ...g, expectedChangeEv: 0 };
    let total = 0;
    let weights = 0;
    const h = (2 * SPAN_SIGMAS) / QUADRATURE_POINTS;
    for (let k = 0; k < QUADRATURE_POINTS; k++) {
      const z = -SPAN_SIGMAS + (k + 0.5) * h;
      const w = Math.exp(-0.5 * z * z);
      const x = g.meanEv + z * g.sigmaEv;
      const b = barrierWith(sites, hops, g.group, x - g.meanEv, x);
      if (b === null) continue;
      total += w * Math.abs(b - base);
      weights += w;
    }
    return { ...g, expectedChangeEv: weights > 0 ? total / weights : 0 };
  });
  return values.sort((a, b) => b.expectedChangeEv - a.expectedChangeEv || b.sigmaEv - a.sigmaEv);
}
