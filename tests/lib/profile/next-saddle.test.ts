/**
 * Value of computing a predicted saddle (lib/profile/next-saddle.ts) on a one-dimensional chain where the percolating
 * barrier is known in closed form: sites A (0 eV) and B (0.1 eV) per cell, hops A->B (top S1) and B->A' (top 0.3 eV,
 * one cell on). Long-range diffusion needs both, so B = max(S1, 0.3). A third hop A->B at 2 eV never matters.
 */
import { describe, expect, test } from 'vitest';
import { rankSaddlesByBarrierChange, type SaddleHop } from '../../../lib/profile';

const sites = [
  { id: 'A', energyEv: 0 },
  { id: 'B', energyEv: 0.1 },
];
const hops: SaddleHop[] = [
  { id: 'h1', from: 'A', to: 'B', translation: [0], topEnergyEv: 0.5, saddleGroup: 'g1', saddleIsMaximum: true },
  { id: 'h2', from: 'B', to: 'A', translation: [1], topEnergyEv: 0.3, saddleGroup: 'g2', saddleIsMaximum: true },
  { id: 'h3', from: 'A', to: 'B', translation: [0], topEnergyEv: 2.0, saddleGroup: 'g3', saddleIsMaximum: true },
];

/** E|max(x, floor) - mean| for x ~ N(mean, sigma), by a fine trapezoid rule over +-8 sigma. */
function expectedAbsChange(mean: number, sigma: number, floor: number): number {
  const n = 200_000;
  let total = 0;
  let weights = 0;
  for (let i = 0; i <= n; i++) {
    const z = -8 + (16 * i) / n;
    const w = Math.exp(-0.5 * z * z) * (i === 0 || i === n ? 0.5 : 1);
    total += w * Math.abs(Math.max(mean + z * sigma, floor) - mean);
    weights += w;
  }
  return total / weights;
}

describe('next saddle by expected change of the percolating barrier', () => {
  test('the bottleneck saddle is worth E|max(x, 0.3) - 0.5|; a saddle that never limits diffusion is worth 0', () => {
    const ranked = rankSaddlesByBarrierChange(sites, hops, [
      { group: 'g3', meanEv: 2.0, sigmaEv: 0.3 },
      { group: 'g1', meanEv: 0.5, sigmaEv: 0.1 },
    ]);
    expect(ranked.map((r) => r.group)).toEqual(['g1', 'g3']);
    const exact = expectedAbsChange(0.5, 0.1, 0.3);
    // Closed form: sigma sqrt(2/pi) less the tail below 0.3 (z < -2), sigma (phi(2) - 2 Phi(-2)):
    // 0.1 * 0.797885 - 0.1 * (0.053991 - 2 * 0.022750) = 0.078941 eV.
    expect(exact).toBeCloseTo(0.078941, 5);
    expect(ranked[0].expectedChangeEv).toBeCloseTo(exact, 2);
    expect(Math.abs(ranked[0].expectedChangeEv - exact) / exact).toBeLessThan(0.02);
    expect(ranked[1].expectedChangeEv).toBeLessThan(1e-9);
  });

  test('when the known hop limits diffusion, a low predicted saddle below it is worth little', () => {
    // S1 ~ N(0.1, 0.05) sits under the 0.3 eV hop: B = 0.3 unless x > 0.3 (4 sigma away).
    const [only] = rankSaddlesByBarrierChange(
      sites,
      [{ ...hops[0], topEnergyEv: 0.1 }, hops[1]],
      [{ group: 'g1', meanEv: 0.1, sigmaEv: 0.05 }],
    );
    expect(only.expectedChangeEv).toBeLessThan(1e-4);
  });
});
