/**
 * Every model and baseline behind one interface: `fitModel(spec, train, ctx)` -> `TrainedModel` with `predict`,
 * `state` (for persistence) and `dispose`; `restoreModel(state, ctx)` rebuilds one. Targets are E_b in eV.
 */
import * as tf from '@tensorflow/tfjs';
import { fitAnchored, restoreAnchored } from './anchored-model';
import type { LoadedBackbone } from './backbone';
import { descriptorNames, descriptorRow, makeDescriptorLayout, type DescriptorLayout } from './descriptors';
import { MlError, throwIfAborted } from './errors';
import { predictiveSigma, studentTWidening } from './metrics';
import { featuresFor, imageSettingsHash, type FeatureCache } from './features';
import { fitGp, predictGp, type GpKernel, type GpModel } from './gp';
import { downsample, greyImage } from './image';
import { applyPca, fitPca, hstack, matrix, takeRows, type Matrix, type Pca } from './linalg';
import { buildMlp, buildSmallCnn, cloneModel, firstOutput, fitNetwork, modelArtifacts, predictNetwork, sliceModel, type FitHistory, type NetInput } from './nets';
import { fitLine, fitRidge, predictRidge, type RidgeModel } from './ridge';
import { bootstrapIndices, deriveSeed, mulberry32 } from './rng';
import type { FeatureGroup } from './site-features';
import { fitSiteRelative, predictSiteRelative, type SiteRelativeParams } from './site-relative-model';
import type { ExtraInputs, ImageSettings, LabelledSample, Prediction, ProgressCallback, Sample } from './types';

/** `anchor: 'endpoints'` learns saddles relative to their end minima (./anchor.ts); any model can be anchored. */
export type ModelSpec = BaseModelSpec & { anchor?: 'endpoints' };

type BaseModelSpec =
  | { type: 'mean' }
  | { type: 'mep-linear' }
  | { type: 'pixel-ridge'; size?: number; extras?: ExtraInputs; ensemble?: number }
  | { type: 'descriptor-gp'; kernel?: GpKernel; backbone?: string; pcaDims?: number; inputSize?: number }
  | { type: 'frozen-ridge'; backbone: string; extras?: ExtraInputs; ensemble?: number; inputSize?: number }
  | { type: 'frozen-mlp'; backbone: string; extras?: ExtraInputs; hidden?: number; epochs?: number; learningRate?: number; ensemble?: number; inputSize?: number }
  | { type: 'finetune'; backbone: string; extras?: ExtraInputs; epochs?: number; learningRate?: number; batchSize?: number; inputSize?: number }
  | { type: 'cnn'; size?: number; extras?: ExtraInputs; epochs?: number; learningRate?: number; batchSize?: number }
  | { type: 'site-relative'; groups: FeatureGroup[]; ensemble?: number };

export type ModelType = ModelSpec['type'];

/** Loads backbones by name (and input size), caching them; see `backboneProvider` in ./registry. */
export interface BackboneProvider {
  get(name: string, inputSize?: number): Promise<LoadedBackbone>;
}

export interface MlContext {
  imageSettings: ImageSettings;
  seed: number;
  backbones?: BackboneProvider;
  featureCache?: FeatureCache;
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
}

/** Plain-data description of a trained model (tfjs weights in `artifacts`). */
export interface ModelState {
  format: 'epdi-model';
  version: 1;
  spec: ModelSpec;
  name: string;
  trainIds: string[];
  imageSettings: ImageSettings;
  params: Record<string, unknown>;
  artifacts?: tf.io.ModelArtifacts;
  metrics?: Record<string, unknown>;
  createdAt?: string;
}

export interface TrainedModel {
  spec: ModelSpec;
  name: string;
  trainIds: string[];
  predict(samples: readonly Sample[]): Promise<Prediction[]>;
  state(): Promise<ModelState>;
  dispose(): void;
  history?: FitHistory;
}

export function modelName(spec: ModelSpec): string {
  return spec.anchor === 'endpoints' ? `${baseModelName(spec)}/anchored` : baseModelName(spec);
}

function baseModelName(spec: ModelSpec): string {
  switch (spec.type) {
    case 'mean':
    case 'mep-linear':
      return spec.type;
    case 'pixel-ridge':
      return `pixel-ridge(${spec.size ?? 16})`;
    case 'descriptor-gp':
      return spec.backbone ? `descriptor-gp+${spec.backbone}` : 'descriptor-gp';
    case 'cnn':
      return `cnn(${spec.size ?? 32})`;
    case 'site-relative':
      return spec.groups.length ? `site-relative[${spec.groups.join('+')}]` : 'constant-excess';
    default:
      return `${spec.type}(${spec.backbone})`;
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Shared pieces

function targets(train: readonly LabelledSample[]): Float64Array {
  return Float64Array.from(train.map((s) => s.eBindingEv));
}

function extrasLayout(train: readonly Sample[], extras: ExtraInputs | undefined): DescriptorLayout | undefined {
  if (!extras || (!extras.mep && !extras.kind && !extras.dopant)) return undefined;
  return makeDescriptorLayout(train, { image: false, mep: !!extras.mep, kind: !!extras.kind, dopant: !!extras.dopant, extras: false });
}

function extrasMatrix(samples: readonly Sample[], layout: DescriptorLayout | undefined): Matrix | undefined {
  if (!layout) return undefined;
  const rows = samples.map((s) => descriptorRow(s, layout));
  const p = rows[0]?.length ?? 0;
  return matrix(samples.length, p, Float64Array.from(rows.flat()));
}

function withExtras(x: Matrix, e: Matrix | undefined): Matrix {
  return e ? hstack(x, e) : x;
}

function pixelMatrix(samples: readonly Sample[], size: number): Matrix {
  const out = matrix(samples.length, size * size);
  samples.forEach((s, i) => downsample(s.epdi, s.pixels, size, out.data.subarray(i * size * size, (i + 1) * size * size)));
  return out;
}

async function backboneMatrix(samples: readonly Sample[], name: string, inputSize: number | undefined, ctx: MlContext): Promise<Matrix> {
  if (!ctx.backbones) throw new MlError('weights_missing', `model needs backbone '${name}' but no weights directory is configured`);
  const bb = await ctx.backbones.get(name, inputSize);
  const f = await featuresFor(bb, samples, ctx.imageSettings, ctx.featureCache, { onProgress: ctx.onProgress, signal: ctx.signal });
  return matrix(samples.length, bb.config.featureDims, Float64Array.from(f));
}

/** Column standardiser for network inputs (Float32). */
interface ColumnScale {
  mean: number[];
  std: number[];
}

function fitScale(x: Matrix): ColumnScale {
  const mean = new Array<number>(x.cols).fill(0);
  const std = new Array<number>(x.cols).fill(0);
  for (let i = 0; i < x.rows; i++) for (let j = 0; j < x.cols; j++) mean[j] += x.data[i * x.cols + j] / x.rows;
  for (let i = 0; i < x.rows; i++) for (let j = 0; j < x.cols; j++) std[j] += (x.data[i * x.cols + j] - mean[j]) ** 2 / x.rows;
  return { mean, std: std.map((v) => (Math.sqrt(v) > 1e-12 ? Math.sqrt(v) : 1)) };
}

function scaled(x: Matrix, sc: ColumnScale): NetInput {
  const out = new Float32Array(x.rows * x.cols);
  for (let i = 0; i < x.rows; i++) for (let j = 0; j < x.cols; j++) out[i * x.cols + j] = (x.data[i * x.cols + j] - sc.mean[j]) / sc.std[j];
  return { data: out, rowShape: [x.cols] };
}

/** A fitted line; n, xMean and sxx are absent in models saved before the prediction interval was used. */
type LineParams = {
  intercept: number;
  slope: number;
  residualStd: number;
  n?: number;
  xMean?: number;
  sxx?: number;
};

/**
 * Prediction-interval sigma of a line at x: s sqrt(1 + 1/n + (x - mean x)^2 / Sxx), Student-t with n - 2 degrees of
 * freedom (`studentTWidening`); the residual std alone for models saved without n, mean x and Sxx.
 */
function lineSigma(q: LineParams, x: number): number {
  if (q.n === undefined || q.xMean === undefined || q.sxx === undefined || q.n < 3) return q.residualStd;
  const leverage = q.sxx > 1e-300 ? (x - q.xMean) ** 2 / q.sxx : 0;
  return q.residualStd * Math.sqrt(1 + 1 / q.n + leverage) * studentTWidening(q.n - 2);
}

/** Mean and predictive sigma of a new draw (Student-t, the mean's own error included: `predictiveSigma`). */
function meanPredictive(y: Float64Array): { mean: number; std: number } {
  const n = y.length;
  const mean = y.reduce((a, b) => a + b, 0) / n;
  const variance = y.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(n - 1, 1);
  return { mean, std: predictiveSigma(Math.sqrt(variance), n) };
}

function yScale(y: Float64Array): { mean: number; std: number } {
  const mean = y.reduce((a, b) => a + b, 0) / y.length;
  const v = y.reduce((a, b) => a + (b - mean) ** 2, 0) / y.length;
  return { mean, std: Math.sqrt(v) > 1e-9 ? Math.sqrt(v) : 1 };
}

// --- ridge ensembles (pixel-ridge, frozen-ridge) ----------------------------------------------------------------------

interface RidgeJson {
  mean: number[];
  std: number[];
  yMean: number;
  weights: number[];
  lambda: number;
  looMse: number;
}

const toJson = (m: RidgeModel): RidgeJson => ({
  mean: [...m.standardiser.mean],
  std: [...m.standardiser.std],
  yMean: m.yMean,
  weights: [...m.weights],
  lambda: m.lambda,
  looMse: m.looMse,
});
const fromJson = (j: RidgeJson): RidgeModel => ({
  standardiser: { mean: Float64Array.from(j.mean), std: Float64Array.from(j.std) },
  yMean: j.yMean,
  weights: Float64Array.from(j.weights),
  lambda: j.lambda,
  looMse: j.looMse,
});

export interface RidgeEnsemble {
  full: RidgeJson;
  heads: RidgeJson[];
}

/** Ridge with LOO-chosen lambda plus `b` bootstrap heads at the same lambda (for sigma). */
export function fitRidgeEnsemble(x: Matrix, y: Float64Array, b: number, seed: number): RidgeEnsemble {
  const full = fitRidge(x, y);
  const heads: RidgeJson[] = [];
  const rand = mulberry32(seed);
  for (let k = 0; k < b; k++) {
    const idx = bootstrapIndices(x.rows, rand);
    heads.push(toJson(fitRidge(takeRows(x, idx), Float64Array.from(idx.map((i) => y[i])), { fixedAbsoluteLambda: full.lambda })));
  }
  return { full: toJson(full), heads };
}

/** Mean from the full fit; sigma^2 = bootstrap variance + LOO residual variance. */
export function predictRidgeEnsemble(e: RidgeEnsemble, x: Matrix): { mean: Float64Array; sigma: Float64Array } {
  const mean = predictRidge(fromJson(e.full), x);
  const sigma = new Float64Array(x.rows).fill(Math.sqrt(Math.max(e.full.looMse, 0)));
  if (e.heads.length >= 2) {
    const preds = e.heads.map((h) => predictRidge(fromJson(h), x));
    for (let i = 0; i < x.rows; i++) {
      let m = 0;
      for (const p of preds) m += p[i] / preds.length;
      let v = 0;
      for (const p of preds) v += (p[i] - m) ** 2 / (preds.length - 1);
      sigma[i] = Math.sqrt(v + Math.max(e.full.looMse, 0));
    }
  }
  return { mean, sigma };
}

function toPredictions(samples: readonly Sample[], mean: ArrayLike<number>, sigma?: ArrayLike<number>): Prediction[] {
  return samples.map((s, i) => ({ id: s.id, meanEv: mean[i], sigmaEv: sigma ? sigma[i] : undefined }));
}

// ---------------------------------------------------------------------------------------------------------------------
// The models

interface Impl {
  predict(samples: readonly Sample[]): Promise<Prediction[]>;
  params(): Promise<{ params: Record<string, unknown>; artifacts?: tf.io.ModelArtifacts }>;
  dispose(): void;
  history?: FitHistory;
}

function wrap(spec: ModelSpec, trainIds: string[], ctx: MlContext, impl: Impl): TrainedModel {
  return {
    spec,
    name: modelName(spec),
    trainIds,
    history: impl.history,
    // An empty request answers empty (inner models of anchored ones are asked for zero saddles on a test set of minima).
    predict: async (s) => (s.length ? impl.predict(s) : []),
    dispose: () => impl.dispose(),
    async state(): Promise<ModelState> {
      const { params, artifacts } = await impl.params();
      return { format: 'epdi-model', version: 1, spec, name: modelName(spec), trainIds, imageSettings: ctx.imageSettings, params, artifacts, createdAt: new Date().toISOString() };
    },
  };
}

/** Fit a model on labelled samples. */
export async function fitModel(spec: ModelSpec, train: readonly LabelledSample[], ctx: MlContext): Promise<TrainedModel> {
  if (train.length < 3) throw new MlError('not_enough_data', `need at least 3 labelled samples, got ${train.length}`);
  throwIfAborted(ctx.signal);
  const ids = train.map((s) => s.id);
  const y = targets(train);
  const seed = deriveSeed(ctx.seed, modelName(spec));
  const impl = spec.anchor === 'endpoints' ? await fitAnchored(spec, train, ctx, fitModel) : await buildImpl(spec, ctx, { train, y, seed });
  return wrap(spec, ids, ctx, impl);
}

/** Rebuild a trained model from its state (backbones come from ctx.backbones). */
export async function restoreModel(state: ModelState, ctx: Omit<MlContext, 'seed' | 'imageSettings'> & { seed?: number }): Promise<TrainedModel> {
  if (state?.format !== 'epdi-model') throw new MlError('bad_model_file', 'not an epdi model state');
  const full: MlContext = { ...ctx, seed: ctx.seed ?? 0, imageSettings: state.imageSettings };
  const impl = state.spec.anchor === 'endpoints' ? await restoreAnchored(state, full, restoreModel) : await buildImpl(state.spec, full, { state });
  return wrap(state.spec, state.trainIds, full, impl);
}

type Source = { train: readonly LabelledSample[]; y: Float64Array; seed: number } | { state: ModelState };

async function buildImpl(spec: ModelSpec, ctx: MlContext, src: Source): Promise<Impl> {
  const p = 'state' in src ? src.state.params : undefined;
  const noTensors = { dispose: () => undefined };
  switch (spec.type) {
    case 'mean': {
      let params = p as { mean: number; std: number } | undefined;
      if (!params && 'train' in src) params = meanPredictive(src.y);
      const { mean, std } = params!;
      return { ...noTensors, predict: async (s) => s.map((x) => ({ id: x.id, meanEv: mean, sigmaEv: std })), params: async () => ({ params: { mean, std } }) };
    }
    case 'mep-linear': {
      let params = p as LineParams | undefined;
      if (!params && 'train' in src) {
        const x = src.train.map((s) => s.mepEv);
        const line = fitLine(x, src.y);
        const res = src.y.map((v, i) => v - line.intercept - line.slope * x[i]);
        const dof = Math.max(src.y.length - 2, 1);
        const xMean = x.reduce((a, b) => a + b, 0) / x.length;
        params = {
          ...line,
          residualStd: Math.sqrt(res.reduce((a, b) => a + b * b, 0) / dof),
          n: x.length,
          xMean,
          sxx: x.reduce((a, v) => a + (v - xMean) ** 2, 0),
        };
      }
      const q = params!;
      return {
        ...noTensors,
        predict: async (s) => s.map((x) => ({ id: x.id, meanEv: q.intercept + q.slope * x.mepEv, sigmaEv: lineSigma(q, x.mepEv) })),
        params: async () => ({ params: q }),
      };
    }
    case 'pixel-ridge':
    case 'frozen-ridge': {
      const rows = async (s: readonly Sample[]): Promise<Matrix> =>
        spec.type === 'pixel-ridge' ? pixelMatrix(s, spec.size ?? 16) : backboneMatrix(s, spec.backbone, spec.inputSize, ctx);
      let params = p as { ensemble: RidgeEnsemble; extras?: DescriptorLayout } | undefined;
      if (!params && 'train' in src) {
        const extras = extrasLayout(src.train, spec.extras);
        const x = withExtras(await rows(src.train), extrasMatrix(src.train, extras));
        params = { ensemble: fitRidgeEnsemble(x, src.y, spec.ensemble ?? 8, src.seed), extras };
      }
      const q = params!;
      return {
        ...noTensors,
        predict: async (s) => {
          const { mean, sigma } = predictRidgeEnsemble(q.ensemble, withExtras(await rows(s), extrasMatrix(s, q.extras)));
          return toPredictions(s, mean, sigma);
        },
        params: async () => ({ params: q }),
      };
    }
    case 'descriptor-gp':
      return descriptorGp(spec, ctx, src);
    case 'frozen-mlp':
      return frozenMlp(spec, ctx, src);
    case 'cnn':
      return smallCnn(spec, ctx, src);
    case 'finetune':
      return fineTune(spec, ctx, src);
    case 'site-relative': {
      const q = (p as unknown as SiteRelativeParams | undefined) ?? ('train' in src ? fitSiteRelative(spec.groups, src.train, src.seed, spec.ensemble ?? 8) : undefined)!;
      return {
        ...noTensors,
        predict: async (s) => predictSiteRelative(q, s),
        params: async () => ({ params: q as unknown as Record<string, unknown> }),
      };
    }
  }
}

// --- descriptor GP ----------------------------------------------------------------------------------------------------

interface GpJson {
  layout: DescriptorLayout;
  pca?: { mean: number[]; components: number[]; k: number; p: number };
  gp: Omit<GpModel, 'standardiser' | 'train' | 'alpha' | 'eigValues' | 'eigVectors'> & {
    mean: number[];
    std: number[];
    train: number[];
    alpha: number[];
    eigValues: number[];
    eigVectors: number[];
  };
  names: string[];
}

async function descriptorGp(spec: Extract<ModelSpec, { type: 'descriptor-gp' }>, ctx: MlContext, src: Source): Promise<Impl> {
  let params = 'state' in src ? (src.state.params as unknown as GpJson) : undefined;
  const rowsFor = async (s: readonly Sample[], layout: DescriptorLayout, pca: Pca | undefined): Promise<Matrix> => {
    const d = s.map((x) => descriptorRow(x, layout));
    let m = matrix(s.length, d[0].length, Float64Array.from(d.flat()));
    if (spec.backbone && pca) m = hstack(m, applyPca(await backboneMatrix(s, spec.backbone, spec.inputSize, ctx), pca));
    return m;
  };
  let pca: Pca | undefined;
  let gp: GpModel;
  if (!params && 'train' in src) {
    const layout = makeDescriptorLayout(src.train);
    if (spec.backbone) pca = fitPca(await backboneMatrix(src.train, spec.backbone, spec.inputSize, ctx), spec.pcaDims ?? 8);
    gp = fitGp(await rowsFor(src.train, layout, pca), src.y, { kernel: spec.kernel });
    params = {
      layout,
      pca: pca && { mean: [...pca.mean], components: [...pca.components], k: pca.k, p: pca.p },
      gp: {
        ...gp,
        mean: [...gp.standardiser.mean],
        std: [...gp.standardiser.std],
        train: [...gp.train],
        alpha: [...gp.alpha],
        eigValues: [...gp.eigValues],
        eigVectors: [...gp.eigVectors],
      },
      names: [...descriptorNames(layout), ...(pca ? Array.from({ length: pca.k }, (_, i) => `${spec.backbone}_pc${i + 1}`) : [])],
    };
    delete (params.gp as unknown as { standardiser?: unknown }).standardiser;
  } else {
    const j = params!;
    pca = j.pca && { mean: Float64Array.from(j.pca.mean), components: Float64Array.from(j.pca.components), k: j.pca.k, p: j.pca.p };
    gp = {
      ...j.gp,
      standardiser: { mean: Float64Array.from(j.gp.mean), std: Float64Array.from(j.gp.std) },
      train: Float64Array.from(j.gp.train),
      alpha: Float64Array.from(j.gp.alpha),
      eigValues: Float64Array.from(j.gp.eigValues),
      eigVectors: Float64Array.from(j.gp.eigVectors),
    };
  }
  const q = params!;
  return {
    dispose: () => undefined,
    predict: async (s) => {
      const { mean, sigma } = predictGp(gp, await rowsFor(s, q.layout, pca));
      return toPredictions(s, mean, sigma);
    },
    params: async () => ({ params: q as unknown as Record<string, unknown> }),
  };
}

// --- tfjs models ------------------------------------------------------------------------------------------------------

interface NetParams {
  yMean: number;
  yStd: number;
  scale?: ColumnScale;
  extras?: DescriptorLayout;
  extraScale?: ColumnScale;
  [k: string]: unknown;
}

async function loadArtifacts(src: Source): Promise<tf.LayersModel | undefined> {
  if (!('state' in src)) return undefined;
  if (!src.state.artifacts) throw new MlError('bad_model_file', 'model state lacks tfjs artefacts');
  return tf.loadLayersModel(tf.io.fromMemory(src.state.artifacts));
}

function netImpl(model: tf.LayersModel, params: NetParams, inputsFor: (s: readonly Sample[]) => Promise<NetInput[]>, history?: FitHistory): Impl {
  return {
    history,
    dispose: () => model.dispose(),
    predict: async (s) => {
      const out = await predictNetwork(model, await inputsFor(s), s.length);
      return s.map((x, i) => ({ id: x.id, meanEv: out[i] * params.yStd + params.yMean }));
    },
    params: async () => ({ params, artifacts: await modelArtifacts(model) }),
  };
}

async function frozenMlp(spec: Extract<ModelSpec, { type: 'frozen-mlp' }>, ctx: MlContext, src: Source): Promise<Impl> {
  const rows = async (s: readonly Sample[], ex: DescriptorLayout | undefined) =>
    withExtras(await backboneMatrix(s, spec.backbone, spec.inputSize, ctx), extrasMatrix(s, ex));
  let model = await loadArtifacts(src);
  let params = 'state' in src ? (src.state.params as NetParams) : undefined;
  let history: FitHistory | undefined;
  if (!model && 'train' in src) {
    const extras = extrasLayout(src.train, spec.extras);
    const x = await rows(src.train, extras);
    const scale = fitScale(x);
    const ys = yScale(src.y);
    params = { yMean: ys.mean, yStd: ys.std, scale, extras };
    model = buildMlp(x.cols, spec.hidden ?? 64, src.seed);
    history = await fitNetwork(model, [scaled(x, scale)], Float32Array.from(src.y, (v) => (v - ys.mean) / ys.std), {
      epochs: spec.epochs ?? 150,
      batchSize: 32,
      learningRate: spec.learningRate ?? 1e-3,
      seed: src.seed,
      valFraction: 0.15,
      weightDecay: 1e-3,
      onProgress: ctx.onProgress,
      signal: ctx.signal,
    });
  }
  const q = params!;
  return netImpl(model!, q, async (s) => [scaled(await rows(s, q.extras), q.scale!)], history);
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

async function smallCnn(spec: Extract<ModelSpec, { type: 'cnn' }>, ctx: MlContext, src: Source): Promise<Impl> {
  const size = spec.size ?? 32;
  let model = await loadArtifacts(src);
  let params = 'state' in src ? (src.state.params as NetParams) : undefined;
  let history: FitHistory | undefined;
  const inputsFor = (s: readonly Sample[], q: NetParams): NetInput[] => {
    const ins = [cnnImages(s, size, ctx.imageSettings)];
    const e = extrasMatrix(s, q.extras);
    if (e) ins.push(scaled(e, q.extraScale!));
    return ins;
  };
  if (!model && 'train' in src) {
    const extras = extrasLayout(src.train, spec.extras);
    const e = extrasMatrix(src.train, extras);
    const ys = yScale(src.y);
    params = { yMean: ys.mean, yStd: ys.std, extras, extraScale: e ? fitScale(e) : undefined };
    model = buildSmallCnn(size, e ? e.cols : 0, src.seed);
    history = await withTrainingBackend(() =>
      fitNetwork(model!, inputsFor(src.train, params!), Float32Array.from(src.y, (v) => (v - ys.mean) / ys.std), {
        epochs: spec.epochs ?? 60,
        batchSize: spec.batchSize ?? 32,
        learningRate: spec.learningRate ?? 3e-3,
        seed: src.seed,
        valFraction: 0.15,
        onProgress: ctx.onProgress,
        signal: ctx.signal,
      }),
    );
  }
  const q = params!;
  return netImpl(model!, q, async (s) => inputsFor(s, q), history);
}

/**
 * Convolution gradients are missing from tfjs-backend-wasm: train on cpu there, then return to wasm. On webgl/cpu
 * nothing changes.
 */
export async function withTrainingBackend<T>(fn: () => Promise<T>): Promise<T> {
  const prev = tf.getBackend();
  if (prev !== 'wasm') return fn();
  await tf.setBackend('cpu');
  try {
    return await fn();
  } finally {
    await tf.setBackend(prev);
  }
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

async function fineTune(spec: Extract<ModelSpec, { type: 'finetune' }>, ctx: MlContext, src: Source): Promise<Impl> {
  if (!ctx.backbones) throw new MlError('weights_missing', `fine-tuning needs backbone '${spec.backbone}' but no weights directory is configured`);
  const bb = await ctx.backbones.get(spec.backbone, spec.inputSize);
  if (!bb.config.fineTuneFrom) throw new MlError('backbone_config', `backbone '${spec.backbone}' has no fineTuneFrom layer in its config`);
  let model = await loadArtifacts(src);
  let params = 'state' in src ? (src.state.params as NetParams) : undefined;
  let history: FitHistory | undefined;
  const inputsFor = async (s: readonly Sample[], q: NetParams): Promise<NetInput[]> => {
    const ins = [await cutActivations(bb, s, ctx)];
    const e = extrasMatrix(s, q.extras);
    if (e) ins.push(scaled(e, q.extraScale!));
    return ins;
  };
  if (!model && 'train' in src) {
    const extras = extrasLayout(src.train, spec.extras);
    const e = extrasMatrix(src.train, extras);
    const ys = yScale(src.y);
    params = { yMean: ys.mean, yStd: ys.std, extras, extraScale: e ? fitScale(e) : undefined };
    let template = tailTemplates.get(bb);
    if (!template) {
      template = sliceModel(bb.owner, bb.config.fineTuneFrom, bb.config.featureLayer);
      tailTemplates.set(bb, template);
    }
    const tail = await cloneModel(template);
    const cutIn = tf.input({ shape: template.inputs[0].shape.slice(1) as number[] });
    let f = tf.layers.globalAveragePooling2d({}).apply(tail.apply(cutIn) as tf.SymbolicTensor) as tf.SymbolicTensor;
    const inputs = [cutIn];
    if (e) {
      const ex = tf.input({ shape: [e.cols] });
      inputs.push(ex);
      f = tf.layers.concatenate().apply([f, ex]) as tf.SymbolicTensor;
    }
    const dense = tf.layers.dense({ units: 1, kernelInitializer: 'zeros' });
    model = tf.model({ inputs, outputs: dense.apply(f) as tf.SymbolicTensor });
    const train = await inputsFor(src.train, params);
    const yStd = Float32Array.from(src.y, (v) => (v - ys.mean) / ys.std);
    // Warm start: the dense head starts at the closed-form ridge solution on the pretrained tail's pooled features.
    const pooled = tf.model({ inputs, outputs: f });
    const feats = await predictNetworkMulti(pooled, train, src.train.length);
    const ridge = fitRidge(feats, yStd);
    const w = new Float32Array(feats.cols);
    let bias = ridge.yMean;
    for (let j = 0; j < feats.cols; j++) {
      w[j] = ridge.weights[j] / ridge.standardiser.std[j];
      bias -= ridge.standardiser.mean[j] * w[j];
    }
    const init = [tf.tensor2d(w, [feats.cols, 1]), tf.tensor1d([bias])];
    dense.setWeights(init);
    tf.dispose(init);
    history = await withTrainingBackend(() =>
      fitNetwork(model!, train, yStd, {
        epochs: spec.epochs ?? 8,
        batchSize: spec.batchSize ?? 16,
        learningRate: spec.learningRate ?? 1e-4,
        seed: src.seed,
        valFraction: 0.15,
        onProgress: ctx.onProgress,
        signal: ctx.signal,
      }),
    );
    params.ridgeLambda = ridge.lambda;
  }
  const q = params!;
  return netImpl(model!, q, (s) => inputsFor(s, q), history);
}

/** Run a multi-output-free model over inputs and collect rows. `Shape: [n, d]`. */
async function predictNetworkMulti(model: tf.LayersModel, inputs: NetInput[], n: number): Promise<Matrix> {
  const d = model.outputs[0].shape[1] as number;
  const out = matrix(n, d);
  const bs = 64;
  for (let s = 0; s < n; s += bs) {
    const idx = Array.from({ length: Math.min(bs, n - s) }, (_, k) => s + k);
    const t = tf.tidy(() => {
      const xs = inputs.map((inp) => {
        const sz = inp.rowShape.reduce((a, b) => a * b, 1);
        return tf.tensor(inp.data.slice(idx[0] * sz, (idx[idx.length - 1] + 1) * sz), [idx.length, ...inp.rowShape]);
      });
      return model.apply(xs.length === 1 ? xs[0] : xs, { training: false }) as tf.Tensor;
    });
    out.data.set(await t.data(), s * d);
    t.dispose();
  }
  return out;
}
