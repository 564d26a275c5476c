import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { Pchip, linspace, pchip, pchipSlopes } from '@/lib/profile/pchip';
import { ProfileError } from '@/lib/profile/errors';

/*
 * Reference values: SciPy 1.10.1 `scipy.interpolate.PchipInterpolator` (Debian /usr/bin/python3, run once):
 *   P(x, y)(t) and P(x, y).derivative()(x) for the cases below, t = [0.1, 0.25, 0.5, 0.8, 0.95].
 */
const SCIPY: Record<string, { x: number[]; y: number[]; slopes: number[]; values: number[] }> = {
  asym: {
    x: [0, 0.4, 1],
    y: [0.0, 0.5, -0.1],
    slopes: [2.15, 0.0, -2.3500000000000005],
    values: [0.1990625, 0.41738281250000003, 0.4881944444444445, 0.2644444444444444, 0.01053819444444451],
  },
  sym: {
    x: [0, 0.5, 1],
    y: [0.0, 0.3, 0.0],
    slopes: [1.2, 0.0, -1.2],
    values: [0.108, 0.22499999999999998, 0.3, 0.19199999999999995, 0.05700000000000005],
  },
  five: {
    x: [0, 0.2, 0.45, 0.7, 1],
    y: [0.0, 0.12, 0.1, 0.35, 0.05],
    slopes: [0.9022222222222223, 0.0, 0.0, 0.0, -2.0909090909090904],
    values: [0.08255555555555555, 0.11792, 0.126, 0.31868686868686863, 0.14482323232323238],
  },
  mono: {
    x: [0, 0.3, 0.6, 1],
    y: [0.0, 0.1, 0.5, 0.6],
    slopes: [0.0, 0.5333333333333334, 0.4352331606217616, -2.7755575615628914e-17],
    values: [0.014074074074074079, 0.0740740740740741, 0.3888044521205144, 0.5717616580310881, 0.5980833063471502],
  },
};
const T = [0.1, 0.25, 0.5, 0.8, 0.95];

describe('pchip', () => {
  test.each(Object.entries(SCIPY))('matches SciPy PchipInterpolator slopes and values (%s)', (_name, c) => {
    const p = pchip(c.x, c.y);
    const d = pchipSlopes(c.x, c.y);
    c.slopes.forEach((v, i) => expect(d[i]).toBeCloseTo(v, 12));
    T.forEach((t, i) => expect(p.evaluate(t)).toBeCloseTo(c.values[i], 12));
  });

  test('symmetric hop by hand: knots (0,0) (0.5,0.3) (1,0)', () => {
    // h = 0.5, secants m0 = 0.6, m1 = -0.6. Interior slope 0 (sign change). End slope
    // d0 = ((2h0 + h1) m0 - h0 m1) / (h0 + h1) = (1.5*0.6 + 0.5*0.6) / 1 = 1.2 (< 3 m0 = 1.8, kept); d2 = -1.2.
    // At t = 0.25: u = 0.5, h00 = 0.5, h10 = 0.125, h01 = 0.5, h11 = -0.125:
    //   E = 0.125 * 0.5 * 1.2 + 0.5 * 0.3 = 0.075 + 0.15 = 0.225.
    // At t = 0.1: u = 0.2, h10 = 0.2 * 0.64 = 0.128, h01 = 0.04 * 2.6 = 0.104:
    //   E = 0.128 * 0.5 * 1.2 + 0.104 * 0.3 = 0.0768 + 0.0312 = 0.108.
    const p = pchip([0, 0.5, 1], [0, 0.3, 0]);
    expect(p.evaluate(0.25)).toBeCloseTo(0.225, 14);
    expect(p.evaluate(0.1)).toBeCloseTo(0.108, 14);
    expect(p.evaluate(0.75)).toBeCloseTo(0.225, 14);
    expect(p.evaluate(0.9)).toBeCloseTo(0.108, 14);
  });

  test('two knots give the straight line', () => {
    const p = pchip([0, 1], [1, 3]);
    expect(p.evaluate(0.25)).toBeCloseTo(1.5, 14);
    expect(p.derivative(0.7)).toBeCloseTo(2, 14);
  });

  test('passes through every knot', () => {
    const c = SCIPY.five;
    const p = pchip(c.x, c.y);
    c.x.forEach((x, i) => expect(p.evaluate(x)).toBeCloseTo(c.y[i], 14));
  });

  test('has zero slope at interior extrema', () => {
    const p = pchip([0, 0.4, 1], [0, 0.5, -0.1]);
    expect(p.derivative(0.4)).toBe(0);
    expect(p.derivative(0.4 - 1e-9)).toBeCloseTo(0, 6);
  });

  test('never extrapolates: throws RangeError outside the knots and for NaN', () => {
    const p = pchip([0, 0.5, 1], [0, 0.3, 0]);
    expect(() => p.evaluate(-0.01)).toThrow(RangeError);
    expect(() => p.evaluate(1.0001)).toThrow(RangeError);
    expect(() => p.evaluate(Number.NaN)).toThrow(RangeError);
    expect(() => p.derivative(2)).toThrow(RangeError);
    // Rounding noise at the ends is snapped, not extrapolated.
    expect(p.evaluate(1 + 1e-15)).toBe(p.evaluate(1));
  });

  test('rejects bad knots', () => {
    expect(() => pchip([0], [1])).toThrow(ProfileError);
    expect(() => pchip([0, 0, 1], [1, 2, 3])).toThrow(/increase strictly/);
    expect(() => pchip([0, 1], [1])).toThrow(ProfileError);
    expect(() => pchip([0, 1], [1, Number.NaN])).toThrow(/not finite/);
  });

  test('samples 21 evenly spaced points by default, ends exact', () => {
    const p = new Pchip([0, 0.5, 1], [0, 0.3, 0]);
    const { x, y } = p.sample();
    expect(x).toHaveLength(21);
    expect(x[0]).toBe(0);
    expect(x[20]).toBe(1);
    expect(y[10]).toBeCloseTo(0.3, 14);
    expect(linspace(0, 1, 5)).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });

  test('property: monotone between knots and never overshoots', () => {
    const knots = fc
      .array(
        fc.record({
          dx: fc.double({ min: 0.01, max: 1, noNaN: true }),
          y: fc.double({ min: -2, max: 2, noNaN: true }),
        }),
        {
          minLength: 2,
          maxLength: 7,
        },
      )
      .map((ks) => {
        let x = 0;
        return ks.map((k, i) => ({ x: i === 0 ? 0 : (x += k.dx), y: k.y }));
      });
    fc.assert(
      fc.property(knots, (ks) => {
        const x = ks.map((k) => k.x);
        const y = ks.map((k) => k.y);
        const p = pchip(x, y);
        for (let k = 0; k < x.length - 1; k++) {
          const lo = Math.min(y[k], y[k + 1]);
          const hi = Math.max(y[k], y[k + 1]);
          const dir = Math.sign(y[k + 1] - y[k]);
          let prev = y[k];
          for (let i = 1; i <= 20; i++) {
            const v = p.evaluate(x[k] + ((x[k + 1] - x[k]) * i) / 20);
            const tol = 1e-12 * Math.max(1, Math.abs(hi), Math.abs(lo));
            if (v < lo - tol || v > hi + tol) return false; // overshoot
            if (dir * (v - prev) < -tol) return false; // not monotone
            prev = v;
          }
        }
        return true;
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});
