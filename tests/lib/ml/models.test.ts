/**
 * Every mode on a synthetic dataset where E_b is a known function of the image (tests/fixtures/ml/synthetic.ts):
 * MAE bounds, the mean predictor beaten by a wide margin, no test saddle in training, repeatability, persistence,
 * no tensor leaks. Backbone modes need ../shared/weights (skipped with a note when absent).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import {
  assertNoLeak,
  backboneProvider,
  compareModels,
  datasetRangeEv,
  FeatureCache,
  fitModel,
  isLabelled,
  makeSplits,
  MlError,
  modelFromZip,
  modelToZip,
  restoreModel,
  simulateActiveLearning,
  type CachingBackboneProvider,
  type MlContext,
  type ModelSpec,
} from '../../../lib/ml';
import { initNodeBackend, nodeWeightsSource } from '../../../cli/ml-node';
import { syntheticSamples } from '../../fixtures/ml/synthetic';

const samples = syntheticSamples({ surfaces: 3, minimaPerSurface: 8, saddlesPerSurface: 16, pixels: 32 });
const hasWeights = nodeWeightsSource() !== undefined;
let provider: CachingBackboneProvider;
let ctx: MlContext;

beforeAll(async () => {
  await initNodeBackend('wasm');
  provider = await backboneProvider(nodeWeightsSource());
  ctx = { imageSettings: { rangeEv: datasetRangeEv(samples) }, seed: 11, backbones: provider, featureCache: new FeatureCache() };
});

describe('evaluation protocols', () => {
  test('paper split: all minima in training, test = the other saddles, never a leak', () => {
    for (const fraction of [0.2, 0.33, 0.5]) {
      const splits = makeSplits(samples, { kind: 'paper', fraction, repeats: 10 }, 1);
      expect(splits).toHaveLength(10);
      const minima = samples.filter((s) => !s.isSaddle).map((s) => s.id);
      for (const s of splits) {
        expect(s.trainIds).toEqual(expect.arrayContaining(minima));
        const train = new Set(s.trainIds);
        expect(s.testIds.some((id) => train.has(id))).toBe(false);
        expect(s.trainIds.length - minima.length).toBe(Math.round(fraction * 48));
      }
      expect(splits[0].testIds).not.toEqual(splits[1].testIds);
    }
    expect(makeSplits(samples, { kind: 'paper', fraction: 0.33, repeats: 3 }, 1)).toEqual(makeSplits(samples, { kind: 'paper', fraction: 0.33, repeats: 3 }, 1));
    expect(() => assertNoLeak({ name: 'bad', trainIds: ['surf0/S20'], testIds: ['surf0/S20'] }, samples)).toThrow(MlError);
    expect(() => assertNoLeak({ name: 'bad', trainIds: [], testIds: ['surf0/M0'] }, samples, { kind: 'paper', fraction: 0.5, repeats: 1 })).toThrow(/not a saddle/);
  });

  test('k-fold and leave-one-surface-out cover every sample exactly once', () => {
    const k = makeSplits(samples, { kind: 'kfold', k: 5 }, 2);
    expect(k.flatMap((s) => s.testIds).sort()).toEqual(samples.map((s) => s.id).sort());
    const l = makeSplits(samples, { kind: 'loso' }, 2);
    expect(l).toHaveLength(3);
    for (const s of l) expect(new Set(s.testIds.map((id) => id.split('/')[0])).size).toBe(1);
  });
});

describe('models on synthetic EPDIs (E_b known)', () => {
  // Bounds in eV; mean predictor MAE on this set is ~0.13 eV.
  const cheap: [ModelSpec, number][] = [
    [{ type: 'mep-linear' }, 0.03],
    [{ type: 'pixel-ridge' }, 0.015],
    [{ type: 'descriptor-gp' }, 0.015],
  ];
  const withBackbone: [ModelSpec, number][] = [
    [{ type: 'frozen-ridge', backbone: 'mobilenetv2-035' }, 0.05],
    [{ type: 'frozen-ridge', backbone: 'darknet-tiny', inputSize: 96 }, 0.05],
    [{ type: 'descriptor-gp', backbone: 'mobilenetv2-035' }, 0.015],
    // The MLP head on 512-d features from 48 samples is the weakest mode (measured 0.089 eV): honest, loose bound.
    [{ type: 'frozen-mlp', backbone: 'darknet-tiny', inputSize: 96, epochs: 40 }, 0.1],
    // Fine-tuning trains conv layers on the tfjs cpu backend: minutes here, so only with EPDI_ML_SLOW=1.
    ...(process.env.EPDI_ML_SLOW ? ([[{ type: 'finetune', backbone: 'darknet-tiny', inputSize: 96, epochs: 2 }, 0.05]] as [ModelSpec, number][]) : []),
  ];

  test('cancel via AbortSignal stops training with a typed error', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(fitModel({ type: 'cnn', size: 8, epochs: 2 }, samples.filter(isLabelled), { ...ctx, signal: ac.signal })).rejects.toMatchObject({ code: 'aborted' });
  });

  test('cheap models and baselines beat the mean predictor by a wide margin on the same splits', async () => {
    const t = await compareModels([{ type: 'mean' }, ...cheap.map((c) => c[0])], samples, { kind: 'paper', fraction: 0.5, repeats: 3 }, ctx);
    const mean = t.results[0].maeEv.mean;
    expect(mean).toBeGreaterThan(0.08);
    cheap.forEach(([, bound], i) => {
      const r = t.results[i + 1];
      expect(r.error).toBeUndefined();
      expect(r.maeEv.mean, r.model).toBeLessThan(bound);
      expect(r.maeEv.mean, r.model).toBeLessThan(mean / 4);
    });
    const gp = t.results.find((r) => r.model === 'descriptor-gp')!;
    expect(gp.coverage90).toBeGreaterThan(0.6);
  });

  test.skipIf(!hasWeights)('backbone modes (frozen ridge, MLP head, fine-tune, GP + PCA features) meet their bounds', async () => {
    const t = await compareModels([{ type: 'mean' }, ...withBackbone.map((c) => c[0])], samples, { kind: 'paper', fraction: 0.5, repeats: 1 }, ctx);
    const mean = t.results[0].maeEv.mean;
    withBackbone.forEach(([, bound], i) => {
      const r = t.results[i + 1];
      expect(r.error, r.model).toBeUndefined();
      expect(r.maeEv.mean, r.model).toBeLessThan(bound);
      expect(r.maeEv.mean, r.model).toBeLessThan(r.spec.type === 'frozen-mlp' ? mean / 1.3 : mean / 2);
    });
  }, 240_000);

  // Slow on a shared 2-core CPU (tfjs cpu backend ~0.5 GFLOP/s here): run with EPDI_ML_SLOW=1.
  test.skipIf(!process.env.EPDI_ML_SLOW)('small CNN from scratch learns (cpu), reports progress and can be cancelled', async () => {
    const lab = samples.filter(isLabelled);
    const train = lab.filter((_, i) => i % 3 !== 0);
    const test = lab.filter((_, i) => i % 3 === 0);
    const epochs: number[] = [];
    const model = await fitModel({ type: 'cnn', size: 16, epochs: 25, learningRate: 5e-3 }, train, {
      ...ctx,
      onProgress: (p) => p.phase === 'epoch' && epochs.push(p.trainLoss!),
    });
    expect(epochs).toHaveLength(25);
    expect(epochs[epochs.length - 1]).toBeLessThan(epochs[0]);
    const pred = await model.predict(test);
    const mae = pred.reduce((a, p, i) => a + Math.abs(p.meanEv - test[i].eBindingEv), 0) / test.length;
    const meanY = train.reduce((a, s) => a + s.eBindingEv, 0) / train.length;
    const maeMean = test.reduce((a, s) => a + Math.abs(meanY - s.eBindingEv), 0) / test.length;
    expect(mae).toBeLessThan(0.06);
    expect(mae).toBeLessThan(maeMean / 2);
    model.dispose();
    const ac = new AbortController();
    ac.abort();
    await expect(fitModel({ type: 'cnn', size: 16, epochs: 2 }, train, { ...ctx, signal: ac.signal })).rejects.toMatchObject({ code: 'aborted' });
  }, 120_000);
});

describe('persistence, seeds and memory', () => {
  const train = samples.filter(isLabelled).slice(0, 60);
  const held = samples.slice(60);
  const specs: ModelSpec[] = [
    { type: 'descriptor-gp' },
    { type: 'pixel-ridge' },
    ...(hasWeights ? ([{ type: 'frozen-ridge', backbone: 'mobilenetv2-035' }, { type: 'frozen-mlp', backbone: 'darknet-tiny', inputSize: 96, epochs: 2 }] as ModelSpec[]) : []),
    ...(process.env.EPDI_ML_SLOW ? ([{ type: 'cnn', size: 8, epochs: 1 }, { type: 'finetune', backbone: 'darknet-tiny', inputSize: 96, epochs: 1 }] as ModelSpec[]) : []),
  ];

  for (const spec of specs)
  test(
    `save -> zip -> load -> predict is identical and leaks no tensors (${spec.type}${'backbone' in spec ? `:${spec.backbone}` : ''})`,
    async () => {
      const m0 = await fitModel(spec, train, ctx); // warm caches (backbones stay loaded by design)
      m0.dispose();
      const before = tf.memory().numTensors;
      const model = await fitModel(spec, train, ctx);
      const p1 = await model.predict(held);
      const zip = modelToZip(await model.state());
      const loaded = await restoreModel(modelFromZip(zip), { backbones: provider, featureCache: new FeatureCache() });
      const p2 = await loaded.predict(held);
      expect(p2).toEqual(p1);
      expect(loaded.trainIds).toEqual(train.map((s) => s.id));
      model.dispose();
      loaded.dispose();
      expect(tf.memory().numTensors).toBe(before);
    },
    120_000,
  );

  test('same data + seed => same predictions', async () => {
    const spec: ModelSpec = process.env.EPDI_ML_SLOW ? { type: 'cnn', size: 8, epochs: 1 } : { type: 'frozen-mlp', backbone: 'darknet-tiny', inputSize: 96, epochs: 2 };
    const a = await fitModel(spec, train, ctx);
    const b = await fitModel(spec, train, ctx);
    expect(await a.predict(held)).toEqual(await b.predict(held));
    a.dispose();
    b.dispose();
  }, 60_000);
});

describe('active learning', () => {
  test('retrospective simulation runs and sigma-ranked picks are no worse than random at the end', async () => {
    const sim = await simulateActiveLearning({ type: 'descriptor-gp' }, samples, ctx, { repeats: 2, step: 6 });
    expect(sim.points.length).toBeGreaterThan(3);
    expect(sim.points[0].randomMaeEv).toBeCloseTo(sim.points[0].activeMaeEv, 10);
    const last = sim.points[sim.points.length - 1];
    expect(last.fraction).toBeCloseTo(1, 5);
    expect(last.activeMaeEv).toBeLessThan(sim.points[0].activeMaeEv);
  }, 60_000);
});
