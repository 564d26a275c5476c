import { describe, expect, test } from 'vitest';
import {
  calibrationCurve,
  coverage,
  fitGp,
  fitRidge,
  matrix,
  mulberry32,
  normalQuantile,
  predictGp,
  predictiveSigma,
  studentTQuantile,
  predictRidge,
  regressionMetrics,
  symEigen,
  gaussian,
  modelFromZip,
  modelToZip,
  parseSamplesFile,
  serialiseSamplesFile,
  fitModel,
  type LabelledSample,
  type Sample,
} from '../../../lib/ml';
import { syntheticSamples } from '../../fixtures/ml/synthetic';

describe('numerics', () => {
  test('symEigen reconstructs a random symmetric matrix', () => {
    const r = mulberry32(3);
    const n = 12;
    const a = matrix(n, n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j <= i; j++) {
        const v = r() - 0.5;
        a.data[i * n + j] = v;
        a.data[j * n + i] = v;
      }
    const { values, vectors } = symEigen(a);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += vectors[i * n + k] * values[k] * vectors[j * n + k];
        expect(s).toBeCloseTo(a.data[i * n + j], 10);
      }
    for (let k = 1; k < n; k++) expect(values[k]).toBeGreaterThanOrEqual(values[k - 1]);
  });

  test('ridge recovers a linear law and picks a small lambda for clean data (both Gram paths)', () => {
    const r = mulberry32(5);
    for (const p of [3, 40]) {
      const n = 30;
      const x = matrix(n, p);
      const y = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < p; j++) x.data[i * p + j] = r();
        y[i] = 2 * x.data[i * p] - x.data[i * p + 1] + 0.5;
      }
      const m = fitRidge(x, y);
      const pred = predictRidge(m, x);
      expect(regressionMetrics(y, pred).maeEv).toBeLessThan(p === 3 ? 1e-3 : 0.05);
    }
  });

  test('GP interpolates a smooth function and its sigma grows away from data', () => {
    const n = 25;
    const x = matrix(n, 1);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x.data[i] = i / (n - 1);
      y[i] = Math.sin(4 * x.data[i]);
    }
    const gp = fitGp(x, y, { kernel: 'rbf' });
    const t = predictGp(gp, matrix(2, 1, Float64Array.from([0.51, 3])));
    expect(t.mean[0]).toBeCloseTo(Math.sin(4 * 0.51), 2);
    expect(t.sigma[1]).toBeGreaterThan(10 * t.sigma[0]);
  });

  test("Student's t quantiles match the printed tables", () => {
    // t(0.95, nu) and t(0.975, nu) from standard tables.
    const table: [number, number, number][] = [
      [0.95, 1, 6.3138],
      [0.95, 2, 2.92],
      [0.95, 3, 2.3534],
      [0.95, 4, 2.1318],
      [0.95, 5, 2.015],
      [0.95, 10, 1.8125],
      [0.95, 30, 1.6973],
      [0.975, 4, 2.7764],
      [0.975, 10, 2.2281],
    ];
    for (const [p, nu, t] of table) {
      expect(Math.abs(studentTQuantile(p, nu) - t) / t).toBeLessThan(nu === 4 && p === 0.975 ? 0.01 : 0.003);
      expect(studentTQuantile(1 - p, nu)).toBeCloseTo(-studentTQuantile(p, nu), 12);
    }
  });

  test('a predictive sigma from n normal samples holds a new draw 90% of the time at 1.645 sigma', () => {
    // Monte Carlo: 20000 repeats of n training draws and one new draw (standard error of a coverage ~0.002).
    const rand = mulberry32(11);
    for (const n of [3, 5, 10]) {
      let inside = 0;
      const repeats = 20000;
      for (let k = 0; k < repeats; k++) {
        const y = Array.from({ length: n }, () => gaussian(rand));
        const mean = y.reduce((a, b) => a + b, 0) / n;
        const s = Math.sqrt(y.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
        if (Math.abs(gaussian(rand) - mean) <= normalQuantile(0.95) * predictiveSigma(s, n)) inside++;
      }
      expect(Math.abs(inside / repeats - 0.9)).toBeLessThan(0.012);
    }
    expect(predictiveSigma(1, 1)).toBe(0);
  });

  test('the MEP line predicts with the prediction interval of a line: 90% of new draws, even far from the data', async () => {
    // y = 0.5 + 2 x + N(0, 0.1) at x = 0, 0.1, ..., 0.5 (n = 6); new draws at x = 0.25 (centre) and 1.0 (far out,
    // where the slope's error dominates). 4000 repeats: standard error of a coverage ~0.005.
    const rand = mulberry32(5);
    const sample = (i: number, x: number, y?: number): Sample => ({
      id: `s${i}`,
      surfaceId: 'A',
      kind: 'bridge',
      isSaddle: true,
      epdi: new Float32Array(4),
      pixels: 2,
      mepEv: x,
      eBindingEv: y,
    });
    const ctx = { imageSettings: { rangeEv: [-1, 1] as [number, number] }, seed: 1 };
    const xs = [0, 0.1, 0.2, 0.3, 0.4, 0.5];
    const inside = [0, 0];
    const repeats = 4000;
    for (let k = 0; k < repeats; k++) {
      const train = xs.map((x, i) => sample(i, x, 0.5 + 2 * x + 0.1 * gaussian(rand))) as LabelledSample[];
      const model = await fitModel({ type: 'mep-linear' }, train, ctx);
      const preds = await model.predict([sample(10, 0.25), sample(11, 1.0)]);
      [0.25, 1.0].forEach((x, j) => {
        const truth = 0.5 + 2 * x + 0.1 * gaussian(rand);
        if (Math.abs(truth - preds[j].meanEv) <= normalQuantile(0.95) * preds[j].sigmaEv!) inside[j]++;
      });
    }
    for (const n of inside) expect(Math.abs(n / repeats - 0.9)).toBeLessThan(0.02);
  });

  test('metrics and coverage match hand values', () => {
    expect(regressionMetrics([1, 2, 3], [1, 2, 5])).toEqual({ n: 3, maeEv: 2 / 3, rmseEv: Math.sqrt(4 / 3), r2: 1 - 4 / 2 });
    expect(normalQuantile(0.95)).toBeCloseTo(1.644854, 5);
    const r = mulberry32(9);
    const e = Array.from({ length: 4000 }, () => gaussian(r));
    const s = e.map(() => 1);
    expect(coverage(e, s, 0.9)).toBeCloseTo(0.9, 1);
    const curve = calibrationCurve(e, s);
    for (const p of curve) expect(Math.abs(p.observed - p.expected)).toBeLessThan(0.03);
  });

  test('mulberry32 is repeatable', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
  });

  test('samples file round-trips and rejects junk with a typed error', () => {
    const s = syntheticSamples({ surfaces: 1, minimaPerSurface: 2, saddlesPerSurface: 2, pixels: 8 });
    const back = parseSamplesFile(serialiseSamplesFile(s, { pixels: 8 })).samples;
    expect(back.map((x) => x.id)).toEqual(s.map((x) => x.id));
    expect(Array.from(back[3].epdi)).toEqual(Array.from(s[3].epdi));
    expect(() => parseSamplesFile('{"format":"epdi-samples","version":1,"samples":[{"id":"a"}]}')).toThrow(/surfaceId/);
    expect(() => modelFromZip(new Uint8Array([1, 2, 3]))).toThrow(/zip/);
    const st = { format: 'epdi-model' as const, version: 1 as const, spec: { type: 'mean' as const }, name: 'mean', trainIds: ['a'], imageSettings: { rangeEv: [0, 1] as [number, number] }, params: { mean: 1, std: 0 } };
    expect(modelFromZip(modelToZip(st)).params).toEqual(st.params);
  });
});
