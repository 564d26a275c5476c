/**
 * Pieces shared by the model implementations (./models.ts, ./net-models.ts, ./finetune.ts): the `Impl` contract a
 * model fills in, where it comes from (training rows or a saved state), extra descriptor inputs, backbone feature
 * matrices and the column/target standardisers of network inputs.
 */
import type * as tf from '@tensorflow/tfjs';
import { descriptorRow, makeDescriptorLayout, type DescriptorLayout } from './descriptors';
import { MlError } from './errors';
import { featuresFor } from './features';
import { hstack, matrix, type Matrix } from './linalg';
import type { MlContext, ModelState } from './models';
import type { FitHistory, NetInput } from './nets';
import type { ExtraInputs, LabelledSample, Prediction, Sample } from './types';

/** What a model implementation gives ./models.ts `wrap`. */
export interface Impl {
  predict(samples: readonly Sample[]): Promise<Prediction[]>;
  params(): Promise<{ params: Record<string, unknown>; artifacts?: tf.io.ModelArtifacts }>;
  dispose(): void;
  history?: FitHistory;
}

/** Fit from training rows (targets `y` in eV, per-model `seed`) or rebuild from a saved state. */
export type Source = { train: readonly LabelledSample[]; y: Float64Array; seed: number } | { state: ModelState };

export function extrasLayout(train: readonly Sample[], extras: ExtraInputs | undefined): DescriptorLayout | undefined {
  if (!extras || (!extras.mep && !extras.kind && !extras.dopant)) return undefined;
  return makeDescriptorLayout(train, { image: false, mep: !!extras.mep, kind: !!extras.kind, dopant: !!extras.dopant, extras: false });
}

export function extrasMatrix(samples: readonly Sample[], layout: DescriptorLayout | undefined): Matrix | undefined {
  if (!layout) return undefined;
  const rows = samples.map((s) => descriptorRow(s, layout));
  const p = rows[0]?.length ?? 0;
  return matrix(samples.length, p, Float64Array.from(rows.flat()));
}

export function withExtras(x: Matrix, e: Matrix | undefined): Matrix {
  return e ? hstack(x, e) : x;
}

/** Pooled backbone features of the samples. `Shape: [samples.length, featureDims]`. */
export async function backboneMatrix(samples: readonly Sample[], name: string, inputSize: number | undefined, ctx: MlContext): Promise<Matrix> {
  if (!ctx.backbones) throw new MlError('weights_missing', `model needs backbone '${name}' but no weights directory is configured`);
  const bb = await ctx.backbones.get(name, inputSize);
  const f = await featuresFor(bb, samples, ctx.imageSettings, ctx.featureCache, { onProgress: ctx.onProgress, signal: ctx.signal });
  return matrix(samples.length, bb.config.featureDims, Float64Array.from(f));
}

/** Column standardiser for network inputs (Float32). */
export interface ColumnScale {
  mean: number[];
  std: number[];
}

export function fitScale(x: Matrix): ColumnScale {
  const mean = new Array<number>(x.cols).fill(0);
  const std = new Array<number>(x.cols).fill(0);
  for (let i = 0; i < x.rows; i++) for (let j = 0; j < x.cols; j++) mean[j] += x.data[i * x.cols + j] / x.rows;
  for (let i = 0; i < x.rows; i++) for (let j = 0; j < x.cols; j++) std[j] += (x.data[i * x.cols + j] - mean[j]) ** 2 / x.rows;
  return { mean, std: std.map((v) => (Math.sqrt(v) > 1e-12 ? Math.sqrt(v) : 1)) };
}

export function scaled(x: Matrix, sc: ColumnScale): NetInput {
  const out = new Float32Array(x.rows * x.cols);
  for (let i = 0; i < x.rows; i++) for (let j = 0; j < x.cols; j++) out[i * x.cols + j] = (x.data[i * x.cols + j] - sc.mean[j]) / sc.std[j];
  return { data: out, rowShape: [x.cols] };
}

/** Mean and population std of the targets (std 1 when they are constant). */
export function yScale(y: Float64Array): { mean: number; std: number } {
  const mean = y.reduce((a, b) => a + b, 0) / y.length;
  const v = y.reduce((a, b) => a + (b - mean) ** 2, 0) / y.length;
  return { mean, std: Math.sqrt(v) > 1e-9 ? Math.sqrt(v) : 1 };
}

export function toPredictions(samples: readonly Sample[], mean: ArrayLike<number>, sigma?: ArrayLike<number>): Prediction[] {
  return samples.map((s, i) => ({ id: s.id, meanEv: mean[i], sigmaEv: sigma ? sigma[i] : undefined }));
}
