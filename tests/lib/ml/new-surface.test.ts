import { describe, expect, it } from 'vitest';
import {
  assertNoSurfaceLeak,
  evaluateNewSurface,
  MlError,
  modelName,
  newSurfaceSplits,
  type MlContext,
  type ModelSpec,
  type NewSurfaceReport,
} from '@/lib/ml';
import { syntheticSurfaces, type SyntheticRule } from './new-surface-fixture';

const ctx: MlContext = { seed: 3, imageSettings: { rangeEv: [0, 1] } };
const KIND: ModelSpec = { type: 'site-relative', groups: ['kind'] };
const KIND_POT: ModelSpec = { type: 'site-relative', groups: ['kind', 'potential'] };

const known: SyntheticRule = { offsetEv: (k) => -1 + 0.2 * k, kindStepEv: 0.08, excessEv: (rel) => 0.15 + 0.6 * rel, noiseEv: 0.002 };
const constant: SyntheticRule = { offsetEv: (k) => -1 + 0.2 * k, kindStepEv: 0, excessEv: () => 0.15, noiseEv: 0.01 };

const row = (r: NewSurfaceReport, model: string, shots = 0) =>
  r.runs.find((x) => x.shots === shots)!.results.find((m) => m.model === model)!;

describe('new-surface splits', () => {
  const { samples, surfaces } = syntheticSurfaces(4, known);

  it.each([
    ['loso', { kind: 'loso' } as const, 4],
    ['dopant-out', { kind: 'dopant-out' } as const, 2],
    ['train-test', { kind: 'train-test', train: ['S0', 'S1'], test: ['S2', 'S3'] } as const, 1],
  ])('%s: no label of a test surface in training, k = 0..3 lowest minima only', (_, protocol, nSplits) => {
    for (const k of [0, 1, 2, 3]) {
      const splits = newSurfaceSplits(samples, surfaces, protocol, k);
      expect(splits).toHaveLength(nSplits);
      for (const split of splits) {
        const byId = new Map(samples.map((s) => [s.id, s]));
        const fromTest = split.trainIds.map((id) => byId.get(id)!).filter((s) => split.testSurfaces.includes(s.surfaceId));
        for (const t of split.testSurfaces) {
          const mine = fromTest.filter((s) => s.surfaceId === t);
          expect(mine.length).toBe(k);
          expect(mine.every((s) => !s.isSaddle)).toBe(true);
          // The k lowest labelled minima of the surface, by its own DFT values.
          const minima = samples.filter((s) => s.surfaceId === t && !s.isSaddle && s.eBindingEv !== undefined);
          const lowest = minima.map((s) => s.eBindingEv!).sort((a, b) => a - b).slice(0, k);
          expect(mine.map((s) => s.eBindingEv!).sort((a, b) => a - b)).toEqual(lowest);
        }
        expect(split.testIds.some((id) => split.trainIds.includes(id))).toBe(false);
      }
    }
  });

  it('assertNoSurfaceLeak rejects a test-surface label in training, a saddle shot and too many shots', () => {
    const [split] = newSurfaceSplits(samples, surfaces, { kind: 'loso' }, 1);
    const leak = split.testIds[0];
    expect(() => assertNoSurfaceLeak({ ...split, trainIds: [...split.trainIds, leak] }, samples, 1)).toThrow(MlError);
    const saddle = samples.find((s) => s.surfaceId === split.testSurfaces[0] && s.isSaddle && s.eBindingEv !== undefined)!;
    expect(() =>
      assertNoSurfaceLeak({ ...split, trainIds: [...split.trainIds, saddle.id], shotIds: [...split.shotIds, saddle.id] }, samples, 2),
    ).toThrow(/in training/);
    expect(() => assertNoSurfaceLeak(split, samples, 0)).toThrow(/more than k = 0/);
  });

  it('refuses a surface in both --train and --test', () => {
    expect(() => newSurfaceSplits(samples, surfaces, { kind: 'train-test', train: ['S0', 'S1'], test: ['S1'] })).toThrow(/both/);
  });
});

describe('new-surface evaluation on synthetic surfaces', () => {
  it('recovers a saddle excess set by the potential along the hop; the ablation shows the potential group', async () => {
    const { samples, surfaces } = syntheticSurfaces(6, known);
    const r = await evaluateNewSurface([KIND, KIND_POT], samples, surfaces, { kind: 'loso' }, ctx);
    const kind = row(r, modelName(KIND));
    const pot = row(r, modelName(KIND_POT));
    const constantExcess = row(r, 'constant-excess');
    // Relative saddle error: with the potential the excess is learnt to the noise level (2 meV); without it the
    // excess spread (0.6 x MEP spread, ~tens of meV) remains.
    expect(pot.saddleRelMaeEv).toBeLessThan(0.006);
    expect(kind.saddleRelMaeEv).toBeGreaterThan(4 * pot.saddleRelMaeEv);
    expect(pot.barrierMaeEv).toBeLessThan(0.5 * Math.min(kind.barrierMaeEv, constantExcess.barrierMaeEv));
    expect(pot.paired!.pValue).toBeLessThan(0.001);
    expect(pot.paired!.meanDiffEv).toBeLessThan(0);
    // Every directed barrier of every hop is scored once per symmetry-distinct direction, on all 6 surfaces.
    expect(pot.nPercolation).toBe(6);
    expect(r.hops.filter((h) => h.model === pot.model).length).toBe(pot.nBarriers);
  });

  it('shows no skill when the saddle excess is constant (paired test p > 0.05)', async () => {
    const { samples, surfaces } = syntheticSurfaces(6, constant, 11);
    const r = await evaluateNewSurface([KIND_POT], samples, surfaces, { kind: 'loso' }, ctx);
    const pot = row(r, modelName(KIND_POT));
    expect(pot.paired!.pValue).toBeGreaterThan(0.05);
  });

  it('few-shot: k = 1 pins the surface level (minima E_b error falls to the within-surface scale)', async () => {
    const { samples, surfaces } = syntheticSurfaces(5, { ...known, offsetEv: (k) => [-1, 0.5, -0.2, 0.9, -1.4][k] });
    const r = await evaluateNewSurface([KIND_POT], samples, surfaces, { kind: 'loso' }, ctx, { shots: [0, 1] });
    const k0 = row(r, modelName(KIND_POT), 0);
    const k1 = row(r, modelName(KIND_POT), 1);
    expect(k0.minimaMaeEv).toBeGreaterThan(0.3);
    expect(k1.minimaMaeEv).toBeLessThan(0.01);
    // JSON rows: every test prediction names its surface, the user's site name and the DFT value.
    const p = r.predictions.find((x) => x.shots === 1 && x.model === k1.model)!;
    expect(p.site.startsWith('u-')).toBe(true);
    expect(Number.isFinite(p.dftEv) && Number.isFinite(p.predictedEv)).toBe(true);
  });
});
