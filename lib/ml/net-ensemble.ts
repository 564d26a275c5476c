/**
 * Deep ensembles of tfjs networks (frozen-mlp, cnn, finetune): M members trained from different seeds on the same
 * rows. The prediction is the members' mean; sigma is their sample standard deviation (n - 1 in the denominator),
 * combined with nothing else (no residual or label-noise term): it measures how much the members disagree. A single
 * member (M = 1, or a model saved before ensembles) has no sigma.
 *
 * All members share one topology, so their weights travel as ONE tfjs artefact (the model file keeps a single
 * tfjs/model.json + weights.bin, ./persist.ts): weight k of member m is stored as `member<m>/<member 0's k-th name>`
 * beside member 0's topology.
 */
import * as tf from '@tensorflow/tfjs';
import type { DescriptorLayout } from './descriptors';
import { MlError } from './errors';
import type { ColumnScale, Impl, Source } from './model-inputs';
import { modelArtifacts, predictNetwork, type FitHistory, type NetInput } from './nets';
import type { Sample } from './types';

/** Saved parameters of a network model. Networks predict standardised targets: E_b = out * yStd + yMean. */
export interface NetParams {
  yMean: number;
  yStd: number;
  scale?: ColumnScale;
  extras?: DescriptorLayout;
  extraScale?: ColumnScale;
  /** Ensemble size (absent in models saved before ensembles: one member). */
  members?: number;
  [k: string]: unknown;
}

/** Mean and sample std (n - 1) across members, per row. `preds[m][i]`: member m, row i. No sigma for one member. */
export function ensembleStats(preds: readonly ArrayLike<number>[]): { mean: Float64Array; sigma?: Float64Array } {
  const m = preds.length;
  if (m === 0) throw new MlError('numerical', 'an ensemble needs at least one member');
  const n = preds[0].length;
  const mean = new Float64Array(n);
  for (const p of preds) for (let i = 0; i < n; i++) mean[i] += p[i] / m;
  if (m < 2) return { mean };
  const sigma = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let v = 0;
    for (const p of preds) v += (p[i] - mean[i]) ** 2;
    sigma[i] = Math.sqrt(v / (m - 1));
  }
  return { mean, sigma };
}

function weightBytes(data: tf.io.WeightData | undefined): Uint8Array {
  if (!data) return new Uint8Array(0);
  if (!Array.isArray(data)) return new Uint8Array(data as ArrayBuffer);
  return new Uint8Array(concat(data.map((b) => new Uint8Array(b))));
}

function concat(parts: readonly Uint8Array[]): ArrayBuffer {
  const out = new ArrayBuffer(parts.reduce((a, b) => a + b.byteLength, 0));
  const view = new Uint8Array(out);
  let o = 0;
  for (const p of parts) {
    view.set(p, o);
    o += p.byteLength;
  }
  return out;
}

function specBytes(w: tf.io.WeightsManifestEntry): number {
  if (w.quantization) throw new MlError('bad_model_file', `quantized weight ${w.name} in a network ensemble`);
  const per = w.dtype === 'float32' || w.dtype === 'int32' ? 4 : w.dtype === 'bool' ? 1 : NaN;
  if (!Number.isFinite(per)) throw new MlError('bad_model_file', `weight ${w.name} has dtype ${w.dtype}`);
  return per * w.shape.reduce((a, b) => a * b, 1);
}

const PREFIX = /^member(\d+)\/(.*)$/;

/** Members' artefacts (same topology) -> one artefact; a single member is kept as it is. */
export function packMembers(arts: readonly tf.io.ModelArtifacts[]): tf.io.ModelArtifacts {
  if (arts.length === 1) return arts[0];
  // Members are built separately, so their layers carry different auto-generated names: weight k of every member is
  // stored under the FIRST member's k-th name (the topology kept is the first member's; the order is the same).
  const names = (arts[0].weightSpecs ?? []).map((w) => w.name);
  const specs: tf.io.WeightsManifestEntry[] = [];
  const parts = arts.map((a, m) => {
    const own = a.weightSpecs ?? [];
    if (own.length !== names.length) throw new MlError('numerical', `ensemble member ${m} has ${own.length} weights, member 0 has ${names.length}`);
    own.forEach((w, k) => {
      if (w.shape.join('x') !== arts[0].weightSpecs![k].shape.join('x')) throw new MlError('numerical', `ensemble member ${m}: weight ${w.name} differs in shape from ${names[k]}`);
      specs.push({ ...w, name: `member${m}/${names[k]}` });
    });
    return weightBytes(a.weightData);
  });
  return { ...arts[0], weightSpecs: specs, weightData: concat(parts) };
}

/** Inverse of packMembers: `members` artefacts with their own weight names. */
export function unpackMembers(packed: tf.io.ModelArtifacts, members: number): tf.io.ModelArtifacts[] {
  if (members <= 1) return [packed];
  const bytes = weightBytes(packed.weightData);
  const specs = Array.from({ length: members }, () => [] as tf.io.WeightsManifestEntry[]);
  const chunks = Array.from({ length: members }, () => [] as Uint8Array[]);
  let o = 0;
  for (const w of packed.weightSpecs ?? []) {
    const size = specBytes(w);
    const m = PREFIX.exec(w.name);
    if (!m || Number(m[1]) >= members) throw new MlError('bad_model_file', `weight ${w.name} belongs to no member of a ${members}-member ensemble`);
    specs[Number(m[1])].push({ ...w, name: m[2] });
    chunks[Number(m[1])].push(bytes.subarray(o, o + size));
    o += size;
  }
  if (o !== bytes.byteLength) throw new MlError('bad_model_file', `ensemble weights hold ${bytes.byteLength} bytes, specs describe ${o}`);
  return specs.map((s, m) => ({ ...packed, weightSpecs: s, weightData: concat(chunks[m]) }));
}

/** The saved members of a network model, or undefined when fitting from rows. */
export async function loadMembers(src: Source): Promise<tf.LayersModel[] | undefined> {
  if (!('state' in src)) return undefined;
  if (!src.state.artifacts) throw new MlError('bad_model_file', 'model state lacks tfjs artefacts');
  const members = (src.state.params as NetParams).members ?? 1;
  return Promise.all(unpackMembers(src.state.artifacts, members).map((a) => tf.loadLayersModel(tf.io.fromMemory(a))));
}

/** Run every member on the same inputs and report the ensemble mean and sigma in eV. */
export function netEnsembleImpl(
  models: tf.LayersModel[],
  params: NetParams,
  inputsFor: (s: readonly Sample[]) => Promise<NetInput[]>,
  history?: FitHistory,
): Impl {
  const q: NetParams = { ...params, members: models.length };
  return {
    history,
    dispose: () => models.forEach((m) => m.dispose()),
    predict: async (s) => {
      const inputs = await inputsFor(s);
      const outs: Float64Array[] = [];
      for (const m of models) outs.push(Float64Array.from(await predictNetwork(m, inputs, s.length), (v) => v * q.yStd + q.yMean));
      const { mean, sigma } = ensembleStats(outs);
      return s.map((x, i) => ({ id: x.id, meanEv: mean[i], sigmaEv: sigma?.[i] }));
    },
    params: async () => ({ params: q, artifacts: packMembers(await Promise.all(models.map((m) => modelArtifacts(m)))) }),
  };
}
