import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import {
  barriersFromCurve,
  hopProfile,
  profileAbscissae,
  rateLimitingBarrier,
  saddleFraction,
  type HopInput,
  type Knot,
} from '@/lib/profile/profile';
import { ProfileError } from '@/lib/profile/errors';

const dft = (energyEv: number, site?: string): Knot => ({ energyEv, source: 'dft', site });

describe('hopProfile', () => {
  test('a symmetric hop gives a symmetric profile with equal barriers', () => {
    const p = hopProfile({ from: dft(-1.2), saddle: dft(-0.9), to: dft(-1.2) });
    expect(p.s).toHaveLength(21);
    for (let i = 0; i < p.s.length; i++) {
      expect(p.s[i] + p.s[p.s.length - 1 - i]).toBeCloseTo(1, 14);
      expect(p.energyEv[i]).toBeCloseTo(p.energyEv[p.s.length - 1 - i], 13);
    }
    expect(p.barrierForwardEv).toBeCloseTo(0.3, 14);
    expect(p.barrierBackwardEv).toBeCloseTo(0.3, 14);
  });

  test('hand-computed values of the symmetric profile (see pchip.test.ts): E(0.25) = E_A + 0.75 (E_S - E_A)', () => {
    // Knots (0,0) (0.5,0.3) (1,0) give 0.225 at s = 0.25 and 0.108 at s = 0.1; the curve is linear in a common
    // shift, so knots (0,-1) (0.5,-0.7) (1,-1) give -0.775 and -0.892.
    const p = hopProfile({ from: dft(-1), saddle: dft(-0.7), to: dft(-1) });
    expect(p.energyEv[p.s.indexOf(0.25)]).toBeCloseTo(-0.775, 13);
    expect(p.curve.evaluate(0.1)).toBeCloseTo(-0.892, 13);
  });

  test('barriers on a hand-made asymmetric hop: E_S - E_A and E_S - E_B', () => {
    const p = hopProfile({ from: dft(-1.5), saddle: dft(-1.1), to: dft(-1.3), sSaddle: 0.4 });
    expect(p.barrierForwardEv).toBeCloseTo(0.4, 14);
    expect(p.barrierBackwardEv).toBeCloseTo(0.2, 14);
    expect(p.saddleIsMaximum).toBe(true);
    expect(p.sAtMax).toBe(0.4);
    expect(p.source).toBe('dft');
    expect(p.sigmaEv).toBeNull();
  });

  test('the barrier is the drawn curve maximum minus its start (pymatgen #4465), also for an off-grid saddle', () => {
    // s_S = 0.37 is not on the 21-point grid: it is inserted, so the polyline peaks at E_S exactly.
    const p = hopProfile({ from: dft(-2), saddle: dft(-1.55), to: dft(-1.8), sSaddle: 0.37 });
    expect(p.s).toHaveLength(22);
    expect(p.s).toContain(0.37);
    const drawnMax = Math.max(...p.energyEv);
    expect(drawnMax).toBe(-1.55);
    expect(p.barrierForwardEv).toBe(drawnMax - p.energyEv[0]);
    expect(p.barrierBackwardEv).toBe(drawnMax - p.energyEv[p.energyEv.length - 1]);
    // and no point of the continuous curve lies higher
    for (let i = 0; i <= 1000; i++) expect(p.curve.evaluate(i / 1000)).toBeLessThanOrEqual(-1.55 + 1e-15);
  });

  test('property: drawn maximum equals the saddle whenever the saddle is above both ends', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -3, max: 0, noNaN: true }),
        fc.double({ min: -3, max: 0, noNaN: true }),
        fc.double({ min: 0, max: 1.5, noNaN: true }),
        fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        (a, b, rise, sS) => {
          const e = Math.max(a, b) + rise;
          const p = hopProfile({ from: dft(a), saddle: dft(e), to: dft(b), sSaddle: sS });
          return Math.max(...p.energyEv) === e && p.barrierForwardEv === e - a && p.barrierBackwardEv === e - b;
        },
      ),
      { seed: 11, numRuns: 300 },
    );
  });

  test('a saddle below an end point: barriers of the curve actually drawn, flagged', () => {
    // E_A = 0, E_S = 0.1, E_B = 0.3: the curve rises monotonically, its maximum is at B.
    const p = hopProfile({ from: dft(0), saddle: { energyEv: 0.1, source: 'predicted' }, to: dft(0.3) });
    expect(p.saddleIsMaximum).toBe(false);
    expect(p.barrierForwardEv).toBeCloseTo(0.3, 14);
    expect(p.barrierBackwardEv).toBe(0);
    expect(p.source).toBe('predicted');
  });

  test('rejects a saddle at the ends and ensembles of unequal size', () => {
    expect(() => hopProfile({ from: dft(0), saddle: dft(1), to: dft(0), sSaddle: 1 })).toThrow(ProfileError);
    const bad: HopInput = {
      from: { energyEv: 0, source: 'predicted', membersEv: [0, 0.1] },
      saddle: { energyEv: 0.3, source: 'predicted', membersEv: [0.3, 0.3, 0.3] },
      to: dft(0),
    };
    expect(() => hopProfile(bad)).toThrow(/differ in count/);
  });

  test('ensemble band: members shifted by a constant give sigma = std of the shifts, zero barrier sigma', () => {
    // Member j's curve is the centre curve + c_j (PCHIP commutes with adding a constant), c = -0.1, 0, 0.1:
    // population std = 0.1 * sqrt(2/3) everywhere; every member has the same barrier.
    const members = (e: number): number[] => [e - 0.1, e, e + 0.1];
    const p = hopProfile({
      from: { energyEv: -1, source: 'predicted', membersEv: members(-1) },
      saddle: { energyEv: -0.6, source: 'predicted', membersEv: members(-0.6) },
      to: { energyEv: -0.9, source: 'predicted', membersEv: members(-0.9) },
    });
    expect(p.sigmaMethod).toBe('ensemble');
    for (const v of p.sigmaEv!) expect(v).toBeCloseTo(0.1 * Math.sqrt(2 / 3), 12);
    expect(p.barrierForwardSigmaEv).toBeCloseTo(0, 12);
  });

  test('ensemble band: only the saddle predicted, members 0.2 and 0.4', () => {
    // A = B = 0 (DFT). PCHIP is homogeneous in y, so member curves are (S_j / 0.3) x the centre curve.
    // At s = 0.25 the centre is 0.225 (hand value), so the members give 0.15 and 0.30: std = 0.075.
    // Barrier sigma: std(0.2, 0.4) = 0.1.
    const p = hopProfile({
      from: dft(0),
      saddle: { energyEv: 0.3, source: 'predicted', membersEv: [0.2, 0.4] },
      to: dft(0),
    });
    expect(p.sigmaEv![p.s.indexOf(0.25)]).toBeCloseTo(0.075, 13);
    expect(p.sigmaEv![0]).toBe(0);
    expect(p.sigmaEv![p.s.indexOf(0.5)]).toBeCloseTo(0.1, 13);
    expect(p.barrierForwardSigmaEv).toBeCloseTo(0.1, 13);
    expect(p.barrierBackwardSigmaEv).toBeCloseTo(0.1, 13);
  });

  test('linear band from knot sigmas; barrier sigma in quadrature', () => {
    const p = hopProfile({
      from: { energyEv: 0, source: 'dft', sigmaEv: 0.03 },
      saddle: { energyEv: 0.4, source: 'predicted', sigmaEv: 0.04 },
      to: dft(0.1),
    });
    expect(p.sigmaMethod).toBe('linear');
    expect(p.sigmaEv![p.s.indexOf(0.25)]).toBeCloseTo(0.035, 14); // halfway between 0.03 and 0.04
    expect(p.sigmaEv![p.s.indexOf(0.75)]).toBeCloseTo(0.02, 14); // halfway between 0.04 and 0
    expect(p.barrierForwardSigmaEv).toBeCloseTo(0.05, 14); // sqrt(0.03^2 + 0.04^2)
    expect(p.barrierBackwardSigmaEv).toBeCloseTo(0.04, 14);
  });

  test('configurable sample count; grid helper keeps the knot exactly', () => {
    expect(hopProfile({ from: dft(0), saddle: dft(1), to: dft(0) }, { samples: 5 }).s).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(profileAbscissae(3, [0.5 + 1e-15])).toEqual([0, 0.5 + 1e-15, 1]);
  });
});

describe('saddleFraction', () => {
  test('distance ratio along A -> S -> B, 0.5 for a degenerate path', () => {
    expect(saddleFraction([0, 0, 0], [1, 0, 0], [1, 3, 0])).toBeCloseTo(0.25, 14);
    expect(saddleFraction([0, 0, 0], [0, 0, 0], [0, 0, 0])).toBe(0.5);
  });
});

describe('barriersFromCurve', () => {
  test('reads max - first and max - last', () => {
    expect(barriersFromCurve([1, 3, 2])).toEqual({ forwardEv: 2, backwardEv: 1, maxEnergyEv: 3, argMax: 1 });
  });
});

describe('rateLimitingBarrier', () => {
  const h1 = hopProfile({ id: 'h1', from: dft(0, 'A'), saddle: dft(0.3, 'S1'), to: dft(0.2, 'B') });
  const h2 = hopProfile({ id: 'h2', from: dft(0.2, 'B'), saddle: dft(0.45, 'S2'), to: dft(0, 'C') });

  test('energetic span: a shallow intermediate does not reset the climb', () => {
    // A(0) -> S1(0.3) -> B(0.2) -> S2(0.45) -> C(0): single hops 0.3 and 0.25, but from A the path climbs to 0.45.
    const r = rateLimitingBarrier([{ profile: h1 }, { profile: h2 }]);
    expect(r.barrierEv).toBeCloseTo(0.45, 14);
    expect(r.maxHopBarrierEv).toBeCloseTo(0.3, 14);
    expect(r.limitingStep).toBe(1);
    expect(r.fromStep).toBe(0);
  });

  test('reversed steps and a deep intermediate minimum', () => {
    // C -> B via S2 (reverse of h2): 0.45 from C; then B -> ... h1 reversed: B(0.2) -> S1(0.3) -> A(0).
    const r = rateLimitingBarrier([
      { profile: h2, reversed: true },
      { profile: h1, reversed: true },
    ]);
    expect(r.barrierEv).toBeCloseTo(0.45, 14);
    expect(r.limitingStep).toBe(0);
    expect(r.maxHopBarrierEv).toBeCloseTo(0.45, 14);
  });

  test('rejects a path whose hops do not share a site', () => {
    expect(() => rateLimitingBarrier([{ profile: h1 }, { profile: h1 }])).toThrow(ProfileError);
    expect(() => rateLimitingBarrier([])).toThrow(ProfileError);
  });
});
