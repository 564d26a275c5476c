/**
 * The site-relative model's level line (lib/ml/level-line.ts) against least squares worked out here another way
 * (Cramer's rule on the 3x3 normal equations), and the textbook predictive sigma: s sqrt(1 + x0' (X'X)^-1 x0) widened
 * by t(0.95, n - 3) / z(0.95). With the electron term, an offset that depends on the dopants' electrons as well as the
 * level is recovered exactly; fewer than 5 surfaces, one electron count for all, or a count on one surface only keep
 * the plain line.
 */
import { describe, expect, it } from 'vitest';
import { fitLevelLine, predictLevelLine, type LevelPoint } from '@/lib/ml/level-line';

const det3 = (m: number[][]): number =>
  m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
  m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
  m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);

/** OLS of offset on [1, level, electrons] by Cramer's rule. */
function cramer(points: LevelPoint[]): number[] {
  const rows = points.map((p) => [1, p.level, p.electrons!]);
  const a = [0, 1, 2].map((i) => [0, 1, 2].map((j) => rows.reduce((s, r) => s + r[i] * r[j], 0)));
  const b = [0, 1, 2].map((i) => rows.reduce((s, r, k) => s + r[i] * points[k].offset, 0));
  const d = det3(a);
  return [0, 1, 2].map((c) => det3(a.map((row, i) => row.map((v, j) => (j === c ? b[i] : v)))) / d);
}

// Levels and electron counts like the demo's (2H acceptors -1, 1T donor +1, pristine and isovalent 0).
const SURFACES: [number, number][] = [
  [-4.09, 0], [-5.93, -1], [-5.96, -1], [-3.50, 0], [-5.71, -1], [-3.71, 0], [-5.36, -1], [-5.32, 0], [-5.57, 0], [-5.96, 1], [-5.12, 0],
];
const NOISE = [0.03, -0.05, 0.02, 0.06, -0.01, -0.04, 0.05, -0.02, 0.01, -0.03, -0.02];

describe('level line', () => {
  it('with the electron term: least-squares coefficients, residual std on n - 3 and the predictive sigma', () => {
    const points = SURFACES.map(([level, electrons], i) => ({ level, electrons, offset: 3.9 + 0.93 * level - 0.06 * electrons + NOISE[i] }));
    const q = fitLevelLine(points)!;
    const [c0, c1, c2] = cramer(points);
    expect(q.intercept).toBeCloseTo(c0, 9);
    expect(q.slope).toBeCloseTo(c1, 9);
    expect(q.electronSlope).toBeCloseTo(c2, 9);
    const rss = points.reduce((s, p) => s + (p.offset - c0 - c1 * p.level - c2 * p.electrons) ** 2, 0);
    expect(q.residualStd).toBeCloseTo(Math.sqrt(rss / (points.length - 3)), 9);

    // Leverage of a new point from the inverse built by cofactors; t(0.95, 8) = 1.8595, z(0.95) = 1.6449.
    const rows = points.map((p) => [1, p.level, p.electrons]);
    const a = [0, 1, 2].map((i) => [0, 1, 2].map((j) => rows.reduce((s, r) => s + r[i] * r[j], 0)));
    const minor = (i: number, j: number): number[][] => a.filter((_, r) => r !== i).map((row) => row.filter((_, c) => c !== j));
    const det2 = (m: number[][]): number => m[0][0] * m[1][1] - m[0][1] * m[1][0];
    const inv = [0, 1, 2].map((i) => [0, 1, 2].map((j) => ((-1) ** (i + j) * det2(minor(j, i))) / det3(a)));
    const x0 = [1, -5.5, 1];
    const leverage = x0.reduce((s, xi, i) => s + xi * x0.reduce((t, xj, j) => t + inv[i][j] * xj, 0), 0);
    const got = predictLevelLine(q, -5.5, 1);
    expect(got.offsetEv).toBeCloseTo(c0 - 5.5 * c1 + c2, 9);
    expect(got.sigmaEv).toBeCloseTo((q.residualStd * Math.sqrt(1 + leverage) * 1.8595) / 1.6449, 3);
  });

  it('recovers an electron dependence exactly and predicts a surface whose count no training surface had', () => {
    // Without the donor (+1) in training, its offset follows from the acceptors' and pristine surfaces' trend.
    const offset = (level: number, e: number): number => 3.86 + 0.93 * level - 0.08 * e;
    const train = SURFACES.filter(([, e]) => e !== 1).map(([level, electrons]) => ({ level, electrons, offset: offset(level, electrons) }));
    const q = fitLevelLine(train)!;
    expect(q.electronSlope).toBeCloseTo(-0.08, 9);
    expect(predictLevelLine(q, -5.96, 1).offsetEv).toBeCloseTo(offset(-5.96, 1), 9);
    // The plain line through the same points misses it by the electron term's share.
    const plain = fitLevelLine(train.map(({ level, offset: o }) => ({ level, offset: o })))!;
    expect(plain.electronSlope).toBeUndefined();
    expect(Math.abs(predictLevelLine(plain, -5.96, 1).offsetEv - offset(-5.96, 1))).toBeGreaterThan(0.05);
  });

  it('keeps the plain line with fewer than 5 surfaces, one electron count, or one surface alone at a count; needs 3 surfaces at 2 levels', () => {
    const few = SURFACES.slice(0, 4).map(([level, electrons]) => ({ level, electrons, offset: level }));
    expect(fitLevelLine(few)!.electronSlope).toBeUndefined();
    const same = SURFACES.map(([level]) => ({ level, electrons: 0, offset: 0.9 * level }));
    const q = fitLevelLine(same)!;
    expect(q.electronSlope).toBeUndefined();
    expect(q.slope).toBeCloseTo(0.9, 12);
    // One surface alone at a count (pristine hosts + one donor) would set the term by itself: plain line.
    const oneDonor = SURFACES.filter(([, e]) => e !== -1).map(([level, electrons]) => ({ level, electrons, offset: level + 0.2 * electrons }));
    expect(oneDonor.filter((p) => p.electrons === 1)).toHaveLength(1);
    expect(fitLevelLine(oneDonor)!.electronSlope).toBeUndefined();
    expect(fitLevelLine(few.slice(0, 2))).toBeNull();
    expect(fitLevelLine([{ level: -5, offset: 1 }, { level: -5, offset: 2 }, { level: -5, offset: 3 }])).toBeNull();
  });
});
