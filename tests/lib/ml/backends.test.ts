/**
 * Same data + seed => same result across tfjs backends: backbone features and a seeded frozen-MLP fit on the cpu and
 * the wasm backend (the two Node has; the browser's WebGL runs the same kernels in float32). Stated tolerance: features
 * agree to 1e-3 relative (float32 summation order), predictions of the trained model to 2 meV.
 */
import { describe, expect, test } from 'vitest';
import {
  backboneProvider,
  datasetRangeEv,
  FeatureCache,
  featuresFor,
  fitModel,
  isLabelled,
  type MlContext,
  type ModelSpec,
} from '../../../lib/ml';
import { initNodeBackend, nodeWeightsSource } from '../../../cli/ml-node';
import { syntheticSamples } from '../../fixtures/ml/synthetic';

const source = nodeWeightsSource();
const samples = syntheticSamples({ surfaces: 2, minimaPerSurface: 4, saddlesPerSurface: 8, pixels: 32 }).filter(
  isLabelled,
);
const spec: ModelSpec = { type: 'frozen-mlp', backbone: 'mobilenetv2-035', inputSize: 64, epochs: 15 };

async function runOn(backend: 'cpu' | 'wasm') {
  expect(await initNodeBackend(backend)).toBe(backend);
  const provider = await backboneProvider(source);
  try {
    const rangeEv = datasetRangeEv(samples);
    const features = await featuresFor(await provider.get('mobilenetv2-035', 64), samples, { rangeEv });
    const ctx: MlContext = {
      imageSettings: { rangeEv },
      seed: 5,
      backbones: provider,
      featureCache: new FeatureCache(),
    };
    const model = await fitModel(spec, samples, ctx);
    const predictions = (await model.predict(samples)).map((p) => p.meanEv);
    model.dispose();
    return { features: Float64Array.from(features), predictions };
  } finally {
    provider.dispose();
  }
}

describe.skipIf(!source)('backends agree', () => {
  test('cpu and wasm: backbone features to 1e-3 relative, a seeded frozen-MLP to 2 meV', async () => {
    const cpu = await runOn('cpu');
    const wasm = await runOn('wasm');
    const scale = Math.max(...cpu.features.map(Math.abs));
    let worst = 0;
    cpu.features.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - wasm.features[i]))));
    expect(worst / scale).toBeLessThan(1e-3);
    cpu.predictions.forEach((v, i) => expect(Math.abs(v - wasm.predictions[i])).toBeLessThan(0.002));
  }, 300_000);
});
