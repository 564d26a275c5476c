/**
 * Small tfjs networks and ONE training loop for all of them (MLP head, CNN from scratch, fine-tuned backbone tail).
 * The loop is a custom Adam loop (optimizer.minimize over the trainable variables) with seeded shuffling, per-batch and
 * per-epoch progress, validation loss with best-epoch restore, and cancellation by AbortSignal. Layers are applied
 * with `training: false` so pretrained BatchNormalization layers keep their ImageNet moving statistics while their
 * scale/offset and the convolutions train (the usual way to fine-tune on small data). Works on webgl, wasm (dense
 * only) and cpu; convolution gradients need webgl or cpu (tfjs-backend-wasm lacks Conv2DBackpropFilter).
 */
import * as tf from '@tensorflow/tfjs';
import { installFastConvFilterGrad } from './cpu-conv-grad';
import { MlError, throwIfAborted } from './errors';
import { mulberry32, shuffled } from './rng';
import type { ProgressCallback } from './types';

/** One network input: rows of `rowShape`, stored flat. `Shape: [n, ...rowShape]`. */
export interface NetInput {
  data: Float32Array;
  rowShape: number[];
}

export interface FitOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  /** Fraction of the training rows held out for validation loss and best-epoch restore (0 = none). */
  valFraction?: number;
  /** L2 penalty on kernels added to the loss. */
  weightDecay?: number;
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
  /** Called after each epoch's updates (epoch counts from 1), e.g. to score an outside validation set. */
  onEpochEnd?: (epoch: number) => Promise<void> | void;
}

export interface FitHistory {
  trainLoss: number[];
  valLoss: number[];
  bestEpoch: number;
}

function rowSize(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function gatherRows(input: NetInput, idx: readonly number[]): tf.Tensor {
  const sz = rowSize(input.rowShape);
  const out = new Float32Array(idx.length * sz);
  idx.forEach((r, k) => out.set(input.data.subarray(r * sz, (r + 1) * sz), k * sz));
  return tf.tensor(out, [idx.length, ...input.rowShape]);
}

function variablesOf(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => (w as unknown as { read(): tf.Variable }).read());
}

/** Mean squared error of the model on rows `idx` (standardised targets), batched. */
async function evalLoss(model: tf.LayersModel, inputs: NetInput[], y: Float32Array, idx: readonly number[], bs: number): Promise<number> {
  let se = 0;
  for (let s = 0; s < idx.length; s += bs) {
    const part = idx.slice(s, s + bs);
    const t = tf.tidy(() => {
      const xs = inputs.map((inp) => gatherRows(inp, part));
      const pred = model.apply(xs.length === 1 ? xs[0] : xs, { training: false }) as tf.Tensor;
      const yt = tf.tensor2d(Float32Array.from(part.map((i) => y[i])), [part.length, 1]);
      return pred.sub(yt).square().sum();
    });
    se += (await t.data())[0];
    t.dispose();
  }
  return se / Math.max(idx.length, 1);
}

/** Train `model` (outputs `Shape: [batch, 1]`) on inputs/targets y (standardised). Mutates its weights. */
export async function fitNetwork(model: tf.LayersModel, inputs: NetInput[], y: Float32Array, opts: FitOptions): Promise<FitHistory> {
  const n = y.length;
  const rand = mulberry32(opts.seed);
  const all = shuffled(
    Array.from({ length: n }, (_, i) => i),
    rand,
  );
  const nVal = opts.valFraction && n >= 10 ? Math.max(1, Math.round(n * opts.valFraction)) : 0;
  const valIdx = all.slice(0, nVal);
  const trainIdx = all.slice(nVal);
  const vars = variablesOf(model);
  if (vars.length === 0) throw new MlError('numerical', 'model has no trainable weights');
  const kernels = model.trainableWeights.filter((w) => /kernel/.test(w.name)).map((w) => (w as unknown as { read(): tf.Variable }).read());
  const optimizer = tf.train.adam(opts.learningRate);
  const history: FitHistory = { trainLoss: [], valLoss: [], bestEpoch: -1 };
  let best: tf.Tensor[] | undefined;
  let bestVal = Infinity;
  const batches = Math.max(1, Math.ceil(trainIdx.length / opts.batchSize));
  try {
    for (let epoch = 0; epoch < opts.epochs; epoch++) {
      const order = shuffled(trainIdx, rand);
      let sum = 0;
      for (let b = 0; b < batches; b++) {
        throwIfAborted(opts.signal);
        const part = order.slice(b * opts.batchSize, (b + 1) * opts.batchSize);
        if (part.length === 0) continue;
        const xs = inputs.map((inp) => gatherRows(inp, part));
        const yt = tf.tensor2d(Float32Array.from(part.map((i) => y[i])), [part.length, 1]);
        const cost = optimizer.minimize(
          () => {
            const pred = model.apply(xs.length === 1 ? xs[0] : xs, { training: false }) as tf.Tensor;
            let loss = tf.losses.meanSquaredError(yt, pred) as tf.Scalar;
            if (opts.weightDecay) for (const k of kernels) loss = loss.add(k.square().sum().mul(opts.weightDecay));
            return loss;
          },
          true,
          vars,
        );
        tf.dispose([...xs, yt]);
        const lossVal = cost ? (await cost.data())[0] : NaN;
        cost?.dispose();
        if (!Number.isFinite(lossVal)) throw new MlError('numerical', `training diverged (loss ${lossVal}) at epoch ${epoch + 1}`);
        sum += lossVal * part.length;
        opts.onProgress?.({ phase: 'batch', epoch: epoch + 1, epochs: opts.epochs, batch: b + 1, batches, trainLoss: lossVal });
        // Yield so a browser stays responsive and an abort can land.
        await new Promise<void>((r) => setTimeout(r, 0));
      }
      const trainLoss = sum / Math.max(trainIdx.length, 1);
      const valLoss = nVal ? await evalLoss(model, inputs, y, valIdx, 64) : NaN;
      history.trainLoss.push(trainLoss);
      history.valLoss.push(valLoss);
      if (nVal && valLoss < bestVal) {
        bestVal = valLoss;
        history.bestEpoch = epoch;
        if (best) tf.dispose(best);
        best = vars.map((v) => v.clone());
      }
      opts.onProgress?.({ phase: 'epoch', epoch: epoch + 1, epochs: opts.epochs, trainLoss, valLoss: nVal ? valLoss : undefined });
      await opts.onEpochEnd?.(epoch + 1);
    }
    if (best) vars.forEach((v, i) => v.assign(best![i]));
    if (!nVal) history.bestEpoch = opts.epochs - 1;
  } finally {
    if (best) tf.dispose(best);
    optimizer.dispose();
  }
  opts.onProgress?.({ phase: 'done' });
  return history;
}

/** Predict `Shape: [n, 1]` -> Float32Array of n, batched. */
export async function predictNetwork(model: tf.LayersModel, inputs: NetInput[], n: number, batchSize = 64): Promise<Float32Array> {
  const out = new Float32Array(n);
  for (let s = 0; s < n; s += batchSize) {
    const idx = Array.from({ length: Math.min(batchSize, n - s) }, (_, k) => s + k);
    const t = tf.tidy(() => {
      const xs = inputs.map((inp) => gatherRows(inp, idx));
      return model.apply(xs.length === 1 ? xs[0] : xs, { training: false }) as tf.Tensor;
    });
    out.set(await t.data(), s);
    t.dispose();
  }
  return out;
}

/** Run a single-output model (any output width d) over inputs and collect rows. `Shape: [n, d]`, row-major. */
export async function predictRows(model: tf.LayersModel, inputs: NetInput[], n: number, batchSize = 64): Promise<{ data: Float32Array; cols: number }> {
  const d = model.outputs[0].shape[1] as number;
  const out = new Float32Array(n * d);
  for (let s = 0; s < n; s += batchSize) {
    const idx = Array.from({ length: Math.min(batchSize, n - s) }, (_, k) => s + k);
    const t = tf.tidy(() => {
      const xs = inputs.map((inp) => gatherRows(inp, idx));
      return model.apply(xs.length === 1 ? xs[0] : xs, { training: false }) as tf.Tensor;
    });
    out.set(await t.data(), s * d);
    t.dispose();
  }
  return { data: out, cols: d };
}

/** Rows `idx` of a network input, as a new input. */
export function selectRows(input: NetInput, idx: readonly number[]): NetInput {
  const sz = rowSize(input.rowShape);
  const out = new Float32Array(idx.length * sz);
  idx.forEach((r, k) => out.set(input.data.subarray(r * sz, (r + 1) * sz), k * sz));
  return { data: out, rowShape: input.rowShape };
}

/**
 * Convolution gradients are missing from tfjs-backend-wasm: train on cpu there, then return to wasm. On cpu the
 * filter gradient is replaced by a fast one first (./cpu-conv-grad.ts). On webgl nothing changes.
 */
export async function withTrainingBackend<T>(fn: () => Promise<T>): Promise<T> {
  const prev = tf.getBackend();
  if (prev === 'wasm' || prev === 'cpu') installFastConvFilterGrad();
  if (prev !== 'wasm') return fn();
  await tf.setBackend('cpu');
  try {
    return await fn();
  } finally {
    await tf.setBackend(prev);
  }
}

function init(seed: number): ReturnType<typeof tf.initializers.glorotUniform> {
  return tf.initializers.glorotUniform({ seed });
}

/** Dense head: `Shape: [batch, d] -> [batch, 1]`. */
export function buildMlp(inputDims: number, hidden: number, seed: number): tf.LayersModel {
  const input = tf.input({ shape: [inputDims] });
  const h = tf.layers.dense({ units: hidden, activation: 'relu', kernelInitializer: init(seed) }).apply(input) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 1, kernelInitializer: init(seed + 1) }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

/** Small CNN from scratch: `Shape: [batch, S, S, 1]` (+ optional extras `[batch, e]`) -> `[batch, 1]`. */
export function buildSmallCnn(size: number, extraDims: number, seed: number): tf.LayersModel {
  const img = tf.input({ shape: [size, size, 1] });
  let x = img as tf.SymbolicTensor;
  [8, 16, 32].forEach((filters, i) => {
    x = tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(seed + i) }).apply(x) as tf.SymbolicTensor;
    if (i < 2) x = tf.layers.averagePooling2d({ poolSize: 2 }).apply(x) as tf.SymbolicTensor;
  });
  // Keep position: a 4x4 average grid rather than a global pool (the centre pixel matters for a site).
  x = tf.layers.averagePooling2d({ poolSize: Math.max(1, Math.floor(size / 16)) }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.flatten().apply(x) as tf.SymbolicTensor;
  const inputs: tf.SymbolicTensor[] = [img];
  if (extraDims > 0) {
    const ex = tf.input({ shape: [extraDims] });
    inputs.push(ex);
    x = tf.layers.concatenate().apply([x, ex]) as tf.SymbolicTensor;
  }
  x = tf.layers.dense({ units: 32, activation: 'relu', kernelInitializer: init(seed + 10) }).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 1, kernelInitializer: init(seed + 11) }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs, outputs: out });
}

/** Capture a model's artefacts in memory (tfjs custom IOHandler). */
export async function modelArtifacts(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let captured: tf.io.ModelArtifacts | undefined;
  await model.save({
    save: async (a: tf.io.ModelArtifacts) => {
      captured = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    },
  });
  if (!captured) throw new MlError('bad_model_file', 'model.save produced no artefacts');
  return captured;
}

/** Independent copy of a model (new variables) via its artefacts. */
export async function cloneModel(model: tf.LayersModel): Promise<tf.LayersModel> {
  return tf.loadLayersModel(tf.io.fromMemory(await modelArtifacts(model)));
}

/**
 * The part of a functional model after layer `fromLayer` up to `toLayer`, as a new model whose input is `fromLayer`'s
 * output. Shares the original layers (copy it with cloneModel before training). Fails if a later layer also reads a
 * tensor from before the cut (pick a cut that every later layer depends on only through it).
 */
export function sliceModel(owner: tf.LayersModel, fromLayer: string, toLayer: string): tf.LayersModel {
  const cut = owner.getLayer(fromLayer);
  const cutOut = firstOutput(cut);
  const input = tf.input({ shape: cutOut.shape.slice(1) as number[] });
  const mapped = new Map<number, tf.SymbolicTensor>([[cutOut.id, input]]);
  let reached = false;
  for (const layer of owner.layers) {
    if (layer === cut) {
      reached = true;
      continue;
    }
    if (!reached) continue;
    const node = layer.inboundNodes[0];
    const ins = node.inputTensors as tf.SymbolicTensor[];
    const missing = ins.filter((t) => !mapped.has(t.id));
    if (missing.length) throw new MlError('backbone_config', `cannot cut at '${fromLayer}': layer '${layer.name}' reads '${missing[0].name}' from before the cut`);
    const args = ins.map((t) => mapped.get(t.id)!);
    const out = layer.apply(args.length === 1 ? args[0] : args) as tf.SymbolicTensor;
    mapped.set(firstOutput(layer).id, out);
    if (layer.name === toLayer) return tf.model({ inputs: input, outputs: out });
  }
  throw new MlError('backbone_config', `layer '${toLayer}' does not follow '${fromLayer}'`);
}

/** The output of a layer's first (original) call; `layer.output` throws once a layer has been applied twice. */
export function firstOutput(layer: tf.layers.Layer): tf.SymbolicTensor {
  return layer.inboundNodes[0].outputTensors[0];
}
