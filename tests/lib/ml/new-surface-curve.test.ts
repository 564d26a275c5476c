import { describe, expect, it } from 'vitest';
import { evaluateNewSurface, type MlContext, type ModelSpec } from '@/lib/ml';
import { curveTrainingSet, surfaceLearningCurve } from '@/lib/ml/new-surface-curve';
import { syntheticSurfaces, type SyntheticRule } from './new-surface-fixture';

const ctx: MlContext = { seed: 5, imageSettings: { rangeEv: [0, 1] } };
const KIND_POT: ModelSpec = { type: 'site-relative', groups: ['kind', 'potential'] };
const rule: SyntheticRule = { offsetEv: (k) => -1 + 0.2 * k, kindStepEv: 0.08, excessEv: (rel) => 0.15 + 0.6 * rel, noiseEv: 0.002 };

describe('learning curve over training surfaces', () => {
  const labelled = ['A', 'B', 'C', 'D', 'E'];

  it('draws n of the other surfaces, never the test surface, reproducibly', () => {
    for (const test of labelled)
      for (const n of [1, 2, 3, 4])
        for (let d = 0; d < 4; d++) {
          const set = curveTrainingSet(labelled, test, n, d, 1);
          expect(set).toHaveLength(n);
          expect(set).not.toContain(test);
          expect(new Set(set).size).toBe(n);
          expect(curveTrainingSet(labelled, test, n, d, 1)).toEqual(set);
        }
    // Different draws pick different training sets at small n (not all four the same).
    const draws = [0, 1, 2, 3].map((d) => curveTrainingSet(labelled, 'A', 2, d, 1).join());
    expect(new Set(draws).size).toBeGreaterThan(1);
    expect(() => curveTrainingSet(labelled, 'A', 5, 0, 1)).toThrow(/5 of the 4/);
  });

  it('at n = all others it pools exactly the leave-one-surface-out errors', async () => {
    const { samples, surfaces } = syntheticSurfaces(4, rule);
    const curve = await surfaceLearningCurve([KIND_POT], samples, surfaces, ctx, { sizes: [3], draws: 3 });
    const loso = await evaluateNewSurface([KIND_POT], samples, surfaces, { kind: 'loso' }, ctx, { shots: [0] });
    const point = curve.points.find((p) => p.model === 'site-relative[kind+potential]')!;
    const ref = loso.runs[0].results.find((r) => r.model === 'site-relative[kind+potential]')!;
    expect(point.draws).toBe(1);
    expect(point.nBarriers).toBe(ref.nBarriers);
    expect(point.barrierMaeEv).toBeCloseTo(ref.barrierMaeEv, 12);
    // The pooled minima MAE, recomputed from LOSO's own prediction rows.
    const minima = loso.predictions.filter((r) => r.model === point.model && !r.isSaddle);
    const mae = minima.reduce((a, r) => a + Math.abs(r.predictedEv - r.dftEv), 0) / minima.length;
    expect(point.minimaMaeEv).toBeCloseTo(mae, 12);
  });

  it('refuses sizes it cannot draw', async () => {
    const { samples, surfaces } = syntheticSurfaces(3, rule);
    await expect(surfaceLearningCurve([KIND_POT], samples, surfaces, ctx, { sizes: [3], draws: 1 })).rejects.toThrow(/1\.\.2/);
  });
});
