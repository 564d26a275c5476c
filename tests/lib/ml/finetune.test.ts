/**
 * Fine-tuning with inner-split epoch selection and deep ensembles (lib/ml/finetune.ts, finetune-split.ts,
 * net-ensemble.ts), on synthetic EPDIs and a tiny two-convolution "backbone" built here (a real tfjs model with a
 * cut layer and a feature layer, 16 px input), so the whole fit runs in seconds on cpu.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import {
  FeatureCache,
  fitModel,
  innerSplit,
  isLabelled,
  modelFromZip,
  modelToZip,
  restoreModel,
  trainingRangeEv,
  unpackMembers,
  type BackboneProvider,
  type FineTuneSelection,
  type LabelledSample,
  type LoadedBackbone,
  type MlContext,
  type ModelSpec,
  type Sample,
} from '../../../lib/ml';
import { syntheticSamples } from '../../fixtures/ml/synthetic';

function tinyBackbone(): LoadedBackbone {
  const input = tf.input({ shape: [16, 16, 3] });
  const cut = tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', name: 'cut', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) });
  const feat = tf.layers.conv2d({ filters: 6, kernelSize: 3, padding: 'same', activation: 'relu', name: 'feat', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) });
  const full = tf.model({ inputs: input, outputs: feat.apply(cut.apply(input)) as tf.SymbolicTensor });
  return {
    config: { name: 'tiny', directory: '-', inputSize: 16, inputRange: [0, 1], featureLayer: 'feat', pooling: 'avg', featureDims: 6, fineTuneFrom: 'cut' },
    inputSize: 16,
    full,
    owner: full,
    trunk: full,
    dispose: () => full.dispose(),
  };
}

const samples = syntheticSamples({ surfaces: 4, minimaPerSurface: 3, saddlesPerSurface: 5, pixels: 16, seed: 5 }).filter(isLabelled) as LabelledSample[];
const outerTest = samples.filter((s) => s.surfaceId === 'surf3');
const train = samples.filter((s) => s.surfaceId !== 'surf3');
const spec: ModelSpec = { type: 'finetune', backbone: 'tiny', epochs: 2, ensemble: 3, batchSize: 8, learningRate: 1e-3 };
let bb: LoadedBackbone;
let provider: BackboneProvider;

beforeAll(async () => {
  await tf.setBackend('cpu');
  bb = tinyBackbone();
  provider = { get: async () => bb };
});

function ctxFor(rows: readonly Sample[], cache = new FeatureCache()): MlContext {
  return { imageSettings: { rangeEv: trainingRangeEv(rows) }, seed: 3, backbones: provider, featureCache: cache };
}

describe('inner split', () => {
  test('holds out whole surfaces when there are >= 3, seeded, disjoint and complete', () => {
    const a = innerSplit(train, 7)!;
    expect(a.by).toBe('surface');
    expect(a).toEqual(innerSplit(train, 7));
    expect([...a.trainIdx, ...a.valIdx].sort((x, y) => x - y)).toEqual(train.map((_, i) => i));
    const valSurfaces = new Set(a.valIdx.map((i) => train[i].surfaceId));
    expect([...valSurfaces].sort()).toEqual(a.valSurfaces);
    for (const i of a.trainIdx) expect(valSurfaces.has(train[i].surfaceId)).toBe(false);
    // 3 surfaces of 8 rows: 20% of 24 rows is 5, so one whole surface (8 rows) is held out.
    expect(a.valIdx).toHaveLength(8);
  });

  test('falls back to a seeded random 20% with fewer than 3 surfaces, and to none below 5 rows', () => {
    const two = train.filter((s) => s.surfaceId !== 'surf2');
    const r = innerSplit(two, 7)!;
    expect(r.by).toBe('random');
    expect(r.valIdx).toHaveLength(Math.round(0.2 * two.length));
    expect(innerSplit(two.slice(0, 4), 7)).toBeUndefined();
  });
});

describe('fine-tune with inner-split epoch selection', () => {
  test('selection never sees the outer test rows; the warm start is fitted on inner-training rows only', async () => {
    const cache = new FeatureCache();
    const model = await fitModel(spec, train, ctxFor(train, cache));
    const sel = (await model.state()).params.selection as FineTuneSelection;
    const trainIds = train.map((s) => s.id).sort();
    const testIds = new Set(outerTest.map((s) => s.id));
    expect([...sel.innerTrainIds, ...sel.innerValIds].sort()).toEqual(trainIds);
    for (const id of [...sel.innerTrainIds, ...sel.innerValIds, ...sel.warmStartIds]) expect(testIds.has(id)).toBe(false);
    // Not one image of the outer test surface was even rendered: the activation cache holds training ids only.
    for (const [key] of cache.entries()) expect(testIds.has(key.split('|')[2])).toBe(false);
    const innerVal = new Set(sel.innerValIds);
    expect(sel.warmStartIds.length).toBeGreaterThan(0);
    for (const id of sel.warmStartIds) {
      expect(sel.innerTrainIds).toContain(id);
      expect(innerVal.has(id)).toBe(false);
    }
    expect(sel.by).toBe('surface');
    // One validation MAE after the warm start (epoch 0) and after each of the 2 epochs; the chosen one is the minimum.
    expect(sel.valMaeEv).toHaveLength(3);
    expect(sel.maxEpochs).toBe(2);
    expect(sel.valMaeEv[sel.epochs]).toBe(Math.min(...sel.valMaeEv));
    model.dispose();
  }, 60_000);

  test('ensemble sigma is the sample std of the members; the zip restores it exactly and nothing leaks', async () => {
    const ctx = ctxFor(train);
    const warm = await fitModel(spec, train, ctx);
    warm.dispose();
    const before = tf.memory().numTensors;
    const model = await fitModel(spec, train, ctx);
    const preds = await model.predict(outerTest);
    const state = await model.state();
    expect(state.params.members).toBe(3);
    // Each member on its own: restore a one-member model from that member's weights.
    const members = unpackMembers(state.artifacts!, 3);
    const memberPreds: number[][] = [];
    for (const artifacts of members) {
      const one = await restoreModel({ ...state, params: { ...state.params, members: 1 }, artifacts }, { backbones: provider, featureCache: new FeatureCache() });
      memberPreds.push((await one.predict(outerTest)).map((p) => p.meanEv));
      expect((await one.predict(outerTest))[0].sigmaEv).toBeUndefined();
      one.dispose();
    }
    preds.forEach((p, i) => {
      const v = memberPreds.map((m) => m[i]);
      const mean = (v[0] + v[1] + v[2]) / 3;
      const std = Math.sqrt(((v[0] - mean) ** 2 + (v[1] - mean) ** 2 + (v[2] - mean) ** 2) / 2);
      expect(p.meanEv).toBeCloseTo(mean, 6);
      expect(p.sigmaEv!).toBeCloseTo(std, 6);
    });
    expect(preds.some((p) => p.sigmaEv! > 0)).toBe(true);
    const loaded = await restoreModel(modelFromZip(modelToZip(state)), { backbones: provider, featureCache: new FeatureCache() });
    expect(await loaded.predict(outerTest)).toEqual(preds);
    loaded.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  }, 60_000);

  test('frozen-mlp and cnn are ensembles too: every prediction has a sigma', async () => {
    for (const s of [
      { type: 'frozen-mlp', backbone: 'tiny', epochs: 2, hidden: 4 },
      { type: 'cnn', size: 8, epochs: 1 },
    ] as ModelSpec[]) {
      const model = await fitModel(s, train, ctxFor(train));
      const preds = await model.predict(outerTest);
      expect((await model.state()).params.members, s.type).toBe(3);
      for (const p of preds) expect(p.sigmaEv, s.type).toBeGreaterThanOrEqual(0);
      expect(preds.some((p) => p.sigmaEv! > 0)).toBe(true);
      model.dispose();
    }
  }, 60_000);
});
