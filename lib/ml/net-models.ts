/**
 * The small tfjs models trained from rows: `frozen-mlp` (an MLP head on pooled backbone features) and `cnn` (a small
 * CNN from scratch on grey EPDIs). Each is an ensemble of `spec.ensemble` members (default 3) that differ only in
 * their seed (initialisation, shuffling and the 15% validation rows behind fitNetwork's best-epoch restore); the
 * prediction is the members' mean and sigma their standard deviation (./net-ensemble.ts). The fine-tuned backbone
 * lives in ./finetune.ts.
 */
import type * as tf from '@tensorflow/tfjs';
import type { DescriptorLayout } from './descriptors';
import { downsample, greyImage } from './image';
import { backboneMatrix, extrasLayout, extrasMatrix, fitScale, scaled, withExtras, yScale, type Impl, type Source } from './model-inputs';
import type { MlContext, ModelSpec } from './models';
import { loadMembers, netEnsembleImpl, type NetParams } from './net-ensemble';
import { buildMlp, buildSmallCnn, fitNetwork, withTrainingBackend, type FitHistory, type NetInput } from './nets';
import { deriveSeed } from './rng';
import type { ImageSettings, Sample } from './types';

export const DEFAULT_NET_ENSEMBLE = 3;

/** Seed of ensemble member m: the model's own seed for the first, so a one-member ensemble is the old single net. */
export function memberSeed(seed: number, m: number): number {
  return m === 0 ? seed : deriveSeed(seed, `member${m}`);
}

/** Train `members` networks from `build(seed)`; returns them and the first member's history. */
async function trainMembers(
  members: number,
  seed: number,
  build: (seed: number) => tf.LayersModel,
  train: (model: tf.LayersModel, seed: number) => Promise<FitHistory>,
): Promise<{ models: tf.LayersModel[]; history: FitHistory }> {
  const models: tf.LayersModel[] = [];
  let history: FitHistory | undefined;
  try {
    for (let m = 0; m < Math.max(1, members); m++) {
      const s = memberSeed(seed, m);
      const model = build(s);
      models.push(model);
      const h = await train(model, s);
      history ??= h;
    }
  } catch (e) {
    models.forEach((m) => m.dispose());
    throw e;
  }
  return { models, history: history! };
}

export async function frozenMlp(spec: Extract<ModelSpec, { type: 'frozen-mlp' }>, ctx: MlContext, src: Source): Promise<Impl> {
  const rows = async (s: readonly Sample[], ex: DescriptorLayout | undefined) =>
    withExtras(await backboneMatrix(s, spec.backbone, spec.inputSize, ctx), extrasMatrix(s, ex));
  let models = await loadMembers(src);
  let params = 'state' in src ? (src.state.params as NetParams) : undefined;
  let history: FitHistory | undefined;
  if (!models && 'train' in src) {
    const extras = extrasLayout(src.train, spec.extras);
    const x = await rows(src.train, extras);
    const scale = fitScale(x);
    const ys = yScale(src.y);
    params = { yMean: ys.mean, yStd: ys.std, scale, extras };
    const input = [scaled(x, scale)];
    const y = Float32Array.from(src.y, (v) => (v - ys.mean) / ys.std);
    ({ models, history } = await trainMembers(
      spec.ensemble ?? DEFAULT_NET_ENSEMBLE,
      src.seed,
      (s) => buildMlp(x.cols, spec.hidden ?? 64, s),
      (model, s) =>
        fitNetwork(model, input, y, {
          epochs: spec.epochs ?? 150,
          batchSize: 32,
          learningRate: spec.learningRate ?? 1e-3,
          seed: s,
          valFraction: 0.15,
          weightDecay: 1e-3,
          onProgress: ctx.onProgress,
          signal: ctx.signal,
        }),
    ));
  }
  const q = params!;
  return netEnsembleImpl(models!, q, async (s) => [scaled(await rows(s, q.extras), q.scale!)], history);
}

function cnnImages(samples: readonly Sample[], size: number, settings: ImageSettings): NetInput {
  const data = new Float32Array(samples.length * size * size);
  samples.forEach((s, i) => {
    const grey = greyImage(s, settings);
    const small = downsample(grey, s.pixels, size);
    data.set(small, i * size * size);
  });
  return { data, rowShape: [size, size, 1] };
}

export async function smallCnn(spec: Extract<ModelSpec, { type: 'cnn' }>, ctx: MlContext, src: Source): Promise<Impl> {
  const size = spec.size ?? 32;
  let models = await loadMembers(src);
  let params = 'state' in src ? (src.state.params as NetParams) : undefined;
  let history: FitHistory | undefined;
  const inputsFor = (s: readonly Sample[], q: NetParams): NetInput[] => {
    const ins = [cnnImages(s, size, ctx.imageSettings)];
    const e = extrasMatrix(s, q.extras);
    if (e) ins.push(scaled(e, q.extraScale!));
    return ins;
  };
  if (!models && 'train' in src) {
    const extras = extrasLayout(src.train, spec.extras);
    const e = extrasMatrix(src.train, extras);
    const ys = yScale(src.y);
    params = { yMean: ys.mean, yStd: ys.std, extras, extraScale: e ? fitScale(e) : undefined };
    const inputs = inputsFor(src.train, params);
    const y = Float32Array.from(src.y, (v) => (v - ys.mean) / ys.std);
    ({ models, history } = await withTrainingBackend(() =>
      trainMembers(
        spec.ensemble ?? DEFAULT_NET_ENSEMBLE,
        src.seed,
        (s) => buildSmallCnn(size, e ? e.cols : 0, s),
        (model, s) =>
          fitNetwork(model, inputs, y, {
            epochs: spec.epochs ?? 60,
            batchSize: spec.batchSize ?? 32,
            learningRate: spec.learningRate ?? 3e-3,
            seed: s,
            valFraction: 0.15,
            onProgress: ctx.onProgress,
            signal: ctx.signal,
          }),
      ),
    ));
  }
  const q = params!;
  return netEnsembleImpl(models!, q, async (s) => inputsFor(s, q), history);
}
