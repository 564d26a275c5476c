import { describe, expect, it } from 'vitest';
import { evaluateNewSurface, fitModel, isLabelled, modelName, type MlContext, type ModelSpec } from '@/lib/ml';
import { syntheticSurfaces } from './new-surface-fixture';

const ctx: MlContext = { seed: 5, imageSettings: { rangeEv: [0, 1] } };
const rule = { offsetEv: (k: number) => -1 + 0.3 * k, kindStepEv: 0.05, excessEv: () => 0.15, noiseEv: 0.005 };

describe('models on a surface whose meta.json lacks host levels', () => {
  // Host levels on S0..S3 only (as descriptors and as site features); S4 has none.
  const { samples, surfaces } = syntheticSurfaces(5, rule);
  for (const s of samples) {
    if (s.surfaceId === 'S4') {
      s.siteFeatures = Object.fromEntries(Object.entries(s.siteFeatures!).filter(([k]) => !k.startsWith('host:')));
    } else s.descriptors = { acceptor_level_eV: -5 + 0.1 * Number(s.surfaceId.slice(1)) };
  }

  it('descriptor-gp/anchored predicts minima of that surface (a test set without saddles) instead of crashing', async () => {
    const spec: ModelSpec = { type: 'descriptor-gp', anchor: 'endpoints' };
    const train = samples.filter((s) => s.surfaceId !== 'S4').filter(isLabelled);
    const model = await fitModel(spec, train, ctx);
    const minima = samples.filter((s) => s.surfaceId === 'S4' && !s.isSaddle);
    const preds = await model.predict(minima);
    expect(preds).toHaveLength(minima.length);
    expect(preds.every((p) => Number.isFinite(p.meanEv))).toBe(true);
    expect(await model.predict([])).toEqual([]);
  });

  it('the site-relative model falls back to the mean offset there and the report says so', async () => {
    const spec: ModelSpec = { type: 'site-relative', groups: ['kind', 'host'] };
    const r = await evaluateNewSurface([spec], samples, surfaces, { kind: 'loso' }, ctx);
    const m = r.runs[0].results.find((x) => x.model === modelName(spec))!;
    expect(m.error).toBeUndefined();
    expect(Number.isFinite(m.minimaMaeEv)).toBe(true);
    expect(r.notes.some((n) => n.startsWith('S4: no host levels'))).toBe(true);
  });
});
