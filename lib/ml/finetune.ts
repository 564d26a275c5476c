/**
 * The paper's method: fine-tune the last blocks of an ImageNet backbone on EPDIs (`finetune` models).
 *
 * Network: the backbone up to `fineTuneFrom` is frozen and its activations are cached per sample; the layers after it
 * (up to the feature layer) are a trainable copy, followed by global average pooling, the optional extra inputs and
 * one dense unit. Targets are standardised E_b.
 *
 * Fitting, per training set:
 * 1. Inner split (./finetune-split.ts): whole surfaces held out when the training set spans >= 3 of them, else a
 *    seeded 20% of rows. The outer test rows never reach this function.
 * 2. Epoch selection: `members` networks (seeded bootstrap resamples of the inner-training rows) each start from a
 *    ridge warm start fitted on THEIR inner-training rows only (the lambda chosen by leave-one-out on all inner-training
 *    rows, as ./ridge-ensemble.ts fitRidgeEnsemble does), then train up to `epochs` epochs on those rows. After the warm start
 *    (epoch 0) and after every epoch the ensemble's mean prediction is scored on the inner validation rows (MAE, eV);
 *    the best epoch count wins (ties: fewer epochs). Epoch 0 means the pretrained tail with a ridge head.
 * 3. Refit: fresh members on bootstrap resamples of ALL training rows, warm start on their rows, trained for the chosen
 *    number of epochs (the selection networks are discarded, not kept).
 * The selection (split, ids, validation curve, chosen epochs) is saved with the model's params.
 * Prediction: the ensemble mean; sigma = the members' standard deviation, nothing added (./net-ensemble.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { LoadedBackbone } from './backbone';
import { MlError, throwIfAborted } from './errors';
import { featuresFor, imageSettingsHash } from './features';
import { innerSplit, type InnerSplit } from './finetune-split';
import { takeRows, type Matrix } from './linalg';
import { extrasLayout, extrasMatrix, fitScale, scaled, yScale, type Impl, type Source } from './model-inputs';
import type { MlContext, ModelSpec } from './models';
import { ensembleStats, loadMembers, netEnsembleImpl, type NetParams } from './net-ensemble';
import { memberSeed } from './net-models';
import { cloneModel, firstOutput, fitNetwork, predictNetwork, predictRows, selectRows, sliceModel, withTrainingBackend, type FitHistory, type NetInput } from './nets';
import { fitRidge, type RidgeModel } from './ridge';
import { bootstrapIndices, mulberry32 } from './rng';
import type { Sample } from './types';

export type FineTuneSpec = Extract<ModelSpec, { type: 'finetune' }>;

export const FINETUNE_DEFAULTS = { epochs: 8, learningRate: 1e-4, batchSize: 16, ensemble: 3 } as const;

/** What the fit saved about its epoch selection (in the model's params, `selection`). */
export interface FineTuneSelection {
  by: InnerSplit['by'] | 'none';
  innerTrainIds: string[];
  innerValIds: string[];
  valSurfaces: string[];
  /** Every row any warm-start ridge of the selection phase was fitted on. */
  warmStartIds: string[];
  /** Ensemble-mean MAE (eV) on the inner validation rows after 0 (warm start), 1, ... maxEpochs epochs. */
  valMaeEv: number[];
  maxEpochs: number;
  /** Epochs of the final members (refit on all training rows). */
  epochs: number;
}

const cutModels = new WeakMap<LoadedBackbone, tf.LayersModel>();
const tailTemplates = new WeakMap<LoadedBackbone, tf.LayersModel>();

/** Activations at the fine-tuning cut, per sample (cached in ctx.featureCache under `${backbone}@${cut}`). */
async function cutActivations(bb: LoadedBackbone, samples: readonly Sample[], ctx: MlContext): Promise<NetInput> {
  const cutName = bb.config.fineTuneFrom!;
  const cutLayer = bb.owner.getLayer(cutName);
  const shape = firstOutput(cutLayer).shape.slice(1) as number[];
  let cutModel = cutModels.get(bb);
  if (!cutModel) {
    cutModel = tf.model({ inputs: bb.owner.inputs, outputs: firstOutput(cutLayer) });
    cutModels.set(bb, cutModel);
  }
  const pseudo: LoadedBackbone = { ...bb, trunk: cutModel, config: { ...bb.config, name: `${bb.config.name}@${cutName}`, featureDims: shape.reduce((a, b) => a * b, 1), pooling: 'none' } };
  const flat = await featuresFor(pseudo, samples, ctx.imageSettings, ctx.featureCache, {
    onProgress: ctx.onProgress,
    signal: ctx.signal,
    settingsHash: imageSettingsHash(ctx.imageSettings, { size: bb.inputSize }),
  });
  return { data: flat, rowShape: shape };
}

interface Tail {
  model: tf.LayersModel;
  /** The same graph up to the pooled features (+ extras). `Shape: [batch, d]`. */
  pooled: tf.LayersModel;
  dense: tf.layers.Layer;
}

/** A fresh trainable copy of the backbone's tail with pooling, extras and a zero dense head. */
async function buildTail(bb: LoadedBackbone, extraCols: number): Promise<Tail> {
  let template = tailTemplates.get(bb);
  if (!template) {
    template = sliceModel(bb.owner, bb.config.fineTuneFrom!, bb.config.featureLayer);
    tailTemplates.set(bb, template);
  }
  const tail = await cloneModel(template);
  const cutIn = tf.input({ shape: template.inputs[0].shape.slice(1) as number[] });
  let f = tf.layers.globalAveragePooling2d({}).apply(tail.apply(cutIn) as tf.SymbolicTensor) as tf.SymbolicTensor;
  const inputs = [cutIn];
  if (extraCols) {
    const ex = tf.input({ shape: [extraCols] });
    inputs.push(ex);
    f = tf.layers.concatenate().apply([f, ex]) as tf.SymbolicTensor;
  }
  const dense = tf.layers.dense({ units: 1, kernelInitializer: 'zeros' });
  return { model: tf.model({ inputs, outputs: dense.apply(f) as tf.SymbolicTensor }), pooled: tf.model({ inputs, outputs: f }), dense };
}

/** Set the dense head to a ridge solution in the original (unstandardised) feature units. */
function setHead(dense: tf.layers.Layer, ridge: RidgeModel): void {
  const d = ridge.weights.length;
  const w = new Float32Array(d);
  let bias = ridge.yMean;
  for (let j = 0; j < d; j++) {
    w[j] = ridge.weights[j] / ridge.standardiser.std[j];
    bias -= ridge.standardiser.mean[j] * w[j];
  }
  const init = [tf.tensor2d(w, [d, 1]), tf.tensor1d([bias])];
  dense.setWeights(init);
  tf.dispose(init);
}

interface TrainData {
  inputs: NetInput[];
  /** Standardised targets of every training row. */
  y: Float32Array;
  /** Pooled features of the pretrained tail, every training row (the same for every fresh member). */
  feats: Matrix;
  ids: string[];
}

interface MemberRun {
  bb: LoadedBackbone;
  extraCols: number;
  rows: number[];
  lambda: number;
  epochs: number;
  seed: number;
  /** Called with the model after the warm start (epoch 0) and after each epoch. */
  onEpoch?: (model: tf.LayersModel, epoch: number) => Promise<void>;
}

/** One member: warm start on `rows` (recording their ids in `warmIds`), then `epochs` epochs on the same rows. */
async function fitMember(spec: FineTuneSpec, ctx: MlContext, d: TrainData, run: MemberRun, warmIds: Set<string>): Promise<{ model: tf.LayersModel; history: FitHistory }> {
  const tail = await buildTail(run.bb, run.extraCols);
  const ySub = Float64Array.from(run.rows, (i) => d.y[i]);
  setHead(tail.dense, fitRidge(takeRows(d.feats, run.rows), ySub, { fixedAbsoluteLambda: run.lambda }));
  for (const i of run.rows) warmIds.add(d.ids[i]);
  try {
    await run.onEpoch?.(tail.model, 0);
    const history: FitHistory =
      run.epochs > 0
        ? await fitNetwork(tail.model, d.inputs.map((inp) => selectRows(inp, run.rows)), Float32Array.from(ySub), {
            epochs: run.epochs,
            batchSize: spec.batchSize ?? FINETUNE_DEFAULTS.batchSize,
            learningRate: spec.learningRate ?? FINETUNE_DEFAULTS.learningRate,
            seed: run.seed,
            valFraction: 0,
            onProgress: ctx.onProgress,
            signal: ctx.signal,
            onEpochEnd: run.onEpoch && ((e) => run.onEpoch!(tail.model, e)),
          })
        : { trainLoss: [], valLoss: [], bestEpoch: -1 };
    return { model: tail.model, history };
  } catch (e) {
    tail.model.dispose();
    throw e;
  }
}

/** Bootstrap resample (seeded) of `rows`; one member keeps the rows as they are. */
function memberRows(rows: readonly number[], members: number, seed: number): number[] {
  if (members < 2) return [...rows];
  return bootstrapIndices(rows.length, mulberry32(seed)).map((k) => rows[k]);
}

/** Inner-split epoch selection: the ensemble-mean validation MAE (eV) after 0..maxEpochs epochs. */
async function selectEpochs(spec: FineTuneSpec, ctx: MlContext, d: TrainData, bb: LoadedBackbone, extraCols: number, split: InnerSplit, ys: { mean: number; std: number }, members: number, maxEpochs: number, seed: number): Promise<{ valMaeEv: number[]; warmStartIds: string[] }> {
  const lambda = fitRidge(takeRows(d.feats, split.trainIdx), Float64Array.from(split.trainIdx, (i) => d.y[i])).lambda;
  const valInputs = d.inputs.map((inp) => selectRows(inp, split.valIdx));
  const truth = split.valIdx.map((i) => d.y[i] * ys.std + ys.mean);
  const preds: Float64Array[][] = Array.from({ length: maxEpochs + 1 }, () => []);
  const warmIds = new Set<string>();
  for (let m = 0; m < members; m++) {
    const s = memberSeed(seed, m);
    const onEpoch = async (model: tf.LayersModel, epoch: number): Promise<void> => {
      const out = await predictNetwork(model, valInputs, split.valIdx.length);
      preds[epoch].push(Float64Array.from(out, (v) => v * ys.std + ys.mean));
    };
    const { model } = await fitMember(spec, ctx, d, { bb, extraCols, rows: memberRows(split.trainIdx, members, s), lambda, epochs: maxEpochs, seed: s, onEpoch }, warmIds);
    model.dispose();
  }
  const valMaeEv = preds.map((p) => {
    const { mean } = ensembleStats(p);
    return truth.reduce((a, t, i) => a + Math.abs(mean[i] - t), 0) / truth.length;
  });
  return { valMaeEv, warmStartIds: [...warmIds] };
}

export async function fineTune(spec: FineTuneSpec, ctx: MlContext, src: Source): Promise<Impl> {
  if (!ctx.backbones) throw new MlError('weights_missing', `fine-tuning needs backbone '${spec.backbone}' but no weights directory is configured`);
  const bb = await ctx.backbones.get(spec.backbone, spec.inputSize);
  if (!bb.config.fineTuneFrom) throw new MlError('backbone_config', `backbone '${spec.backbone}' has no fineTuneFrom layer in its config`);
  let models = await loadMembers(src);
  let params = 'state' in src ? (src.state.params as NetParams) : undefined;
  let history: FitHistory | undefined;
  const inputsFor = async (s: readonly Sample[], q: NetParams): Promise<NetInput[]> => {
    const ins = [await cutActivations(bb, s, ctx)];
    const e = extrasMatrix(s, q.extras);
    if (e) ins.push(scaled(e, q.extraScale!));
    return ins;
  };
  if (!models && 'train' in src) {
    const extras = extrasLayout(src.train, spec.extras);
    const e = extrasMatrix(src.train, extras);
    const ys = yScale(src.y);
    params = { yMean: ys.mean, yStd: ys.std, extras, extraScale: e ? fitScale(e) : undefined };
    const members = Math.max(1, spec.ensemble ?? FINETUNE_DEFAULTS.ensemble);
    const maxEpochs = spec.epochs ?? FINETUNE_DEFAULTS.epochs;
    const inputs = await inputsFor(src.train, params);
    const probe = await buildTail(bb, e?.cols ?? 0);
    const pooled = await predictRows(probe.pooled, inputs, src.train.length);
    probe.model.dispose();
    const d: TrainData = {
      inputs,
      y: Float32Array.from(src.y, (v) => (v - ys.mean) / ys.std),
      feats: { rows: src.train.length, cols: pooled.cols, data: Float64Array.from(pooled.data) },
      ids: src.train.map((s) => s.id),
    };
    const split = innerSplit(src.train, src.seed);
    const seed = src.seed;
    const fitted = await withTrainingBackend(async () => {
      let epochs = maxEpochs;
      let sel: { valMaeEv: number[]; warmStartIds: string[] } = { valMaeEv: [], warmStartIds: [] };
      if (split && maxEpochs > 0) {
        sel = await selectEpochs(spec, ctx, d, bb, e?.cols ?? 0, split, ys, members, maxEpochs, seed);
        epochs = sel.valMaeEv.reduce((best, v, k) => (v < sel.valMaeEv[best] ? k : best), 0);
      }
      throwIfAborted(ctx.signal);
      const all = src.train.map((_, i) => i);
      const lambda = fitRidge(d.feats, Float64Array.from(d.y)).lambda;
      const out: tf.LayersModel[] = [];
      let first: FitHistory | undefined;
      try {
        for (let m = 0; m < members; m++) {
          const s = memberSeed(seed, m);
          const r = await fitMember(spec, ctx, d, { bb, extraCols: e?.cols ?? 0, rows: memberRows(all, members, s), lambda, epochs, seed: s }, new Set());
          out.push(r.model);
          first ??= r.history;
        }
      } catch (err) {
        out.forEach((m) => m.dispose());
        throw err;
      }
      const selection: FineTuneSelection = {
        by: split && maxEpochs > 0 ? split.by : 'none',
        innerTrainIds: split ? split.trainIdx.map((i) => d.ids[i]) : [],
        innerValIds: split ? split.valIdx.map((i) => d.ids[i]) : [],
        valSurfaces: split?.valSurfaces ?? [],
        warmStartIds: sel.warmStartIds,
        valMaeEv: sel.valMaeEv,
        maxEpochs,
        epochs,
      };
      return { out, first: first!, selection, lambda };
    });
    models = fitted.out;
    history = fitted.first;
    params.selection = fitted.selection;
    params.ridgeLambda = fitted.lambda;
  }
  const q = params!;
  return netEnsembleImpl(models!, q, (s) => inputsFor(s, q), history);
}
