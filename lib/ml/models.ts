/**
 * Every model and baseline behind one interface: `fitModel(spec, train, ctx)` -> `TrainedModel` with `predict`,
 * `state` (for persistence) and `dispose`; `restoreModel(state, ctx)` rebuilds one. Targets are E_b in eV.
 * The closed-form models live here (ridge ensembles in ./ridge-ensemble.ts, descriptor-gp in ./descriptor-gp-model.ts);
 * the tfjs networks in ./net-models.ts (frozen-mlp, cnn) and ./finetune.ts (finetune), all deep ensembles with a sigma
 * (./net-ensemble.ts); shared inputs in ./model-inputs.ts.
 */
import type * as tf from '@tensorflow/tfjs';
import { fitAnchored, restoreAnchored } from './anchored-model';
import type { LoadedBackbone } from './backbone';
import { descriptorGp } from './descriptor-gp-model';
import type { DescriptorLayout } from './descriptors';
import { MlError, throwIfAborted } from './errors';
import { predictiveSigma, studentTWidening } from './metrics';
import type { FeatureCache } from './features';
import { fineTune } from './finetune';
import type { GpKernel } from './gp';
import { downsample } from './image';
import { matrix, type Matrix } from './linalg';
import { backboneMatrix, extrasLayout, extrasMatrix, toPredictions, withExtras, type Impl, type Source } from './model-inputs';
import { frozenMlp, smallCnn } from './net-models';
import type { FitHistory } from './nets';
import { fitLine } from './ridge';
import { fitRidgeEnsemble, predictRidgeEnsemble, type RidgeEnsemble } from './ridge-ensemble';
import { deriveSeed } from './rng';
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
  | { type: 'finetune'; backbone: string; extras?: ExtraInputs; epochs?: number; learningRate?: number; batchSize?: number; inputSize?: number; ensemble?: number }
  | { type: 'cnn'; size?: number; extras?: ExtraInputs; epochs?: number; learningRate?: number; batchSize?: number; ensemble?: number }
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

function pixelMatrix(samples: readonly Sample[], size: number): Matrix {
  const out = matrix(samples.length, size * size);
  samples.forEach((s, i) => downsample(s.epdi, s.pixels, size, out.data.subarray(i * size * size, (i + 1) * size * size)));
  return out;
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

// ---------------------------------------------------------------------------------------------------------------------
// The models

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
