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
  predictRidge,
  regressionMetrics,
  symEigen,
  gaussian,
  modelFromZip,
  modelToZip,
  parseSamplesFile,
  serialiseSamplesFile,
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
