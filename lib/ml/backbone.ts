/**
 * Backbone registry and loading. A backbone is a CONFIGURATION, not code: any tfjs layers model in a folder of the
 * weights directory plus the name of its feature layer. Built-in entries describe the two ImageNet models shipped in
 * ../shared/weights; a user adds one (e.g. Keras DenseNet121 converted with tensorflowjs_converter) by dropping a
 * `backbone.json` beside its model.json, or by listing it in `<weights>/backbones.json`:
 *
 *   { "name": "densenet121", "directory": "densenet121", "inputSize": 224, "inputRange": [0, 1],
 *     "inputNormalisation": "imagenet-torch", "featureLayer": "relu", "pooling": "avg", "featureDims": 1024,
 *     "fineTuneFrom": "conv5_block16_concat" }
 *
 * All file access goes through an injected `WeightsSource` (Node: fs; browser: fetch from the app), so this module is
 * isomorphic and never touches the network by itself.
 */
import * as tf from '@tensorflow/tfjs';
import { MlError } from './errors';

export interface BackboneConfig {
  /** Registry key, e.g. 'mobilenetv2-035'. */
  name: string;
  /** Folder under the weights directory holding model.json and its shards. */
  directory: string;
  /** Topology file inside the folder (default model.json). */
  modelFile?: string;
  /** Square input edge in pixels the weights were trained at (images are resized to it). */
  inputSize: number;
  /** Pixel value range the model expects for RGB in [0, 1] (darknet: [0, 1]; MobileNetV2: [-1, 1]). */
  inputRange: [number, number];
  /** Optional per-channel ImageNet mean/std normalisation applied after the range map ('imagenet-torch' = Keras 'torch' mode for DenseNet). */
  inputNormalisation?: 'none' | 'imagenet-torch';
  /** Layer whose output is the feature map; searched recursively through nested models. */
  featureLayer: string;
  /** Global average pooling of a [h, w, c] feature map ('avg'), or the layer already gives a vector ('none'). */
  pooling: 'avg' | 'none';
  /** Length of the feature vector (checked on load). */
  featureDims: number;
  /** Fine-tuning trains the layers AFTER this one (up to featureLayer); everything before stays frozen. */
  fineTuneFrom?: string;
  /** Free text: licence and origin. */
  provenance?: string;
}

export const BUILTIN_BACKBONES: readonly BackboneConfig[] = [
  {
    name: 'mobilenetv2-035',
    directory: 'mobilenetv2-035-imagenet',
    inputSize: 224,
    inputRange: [-1, 1],
    featureLayer: 'out_relu',
    pooling: 'avg',
    featureDims: 1280,
    fineTuneFrom: 'block_15_add',
    provenance: 'Keras MobileNetV2 alpha 0.35 ImageNet backbone inside a Teachable Machine export (MIT); the 27-class head is dropped',
  },
  {
    name: 'darknet-tiny',
    directory: 'darknet-tiny-imagenet',
    inputSize: 224,
    inputRange: [0, 1],
    featureLayer: 'leaky_re_lu_14',
    pooling: 'avg',
    featureDims: 512,
    fineTuneFrom: 'leaky_re_lu_12',
    provenance: 'Tiny Darknet ImageNet classifier from ml5js/ml5-data-and-models (MIT)',
  },
];

/** Read access to the weights directory; paths are relative to its root, '/'-separated. */
export interface WeightsSource {
  /** Where the weights live (a folder or a URL), for messages. */
  root: string;
  readBinary(path: string): Promise<Uint8Array>;
  readJson(path: string): Promise<unknown>;
  /** Sub-folders of the root, when the medium can list them (Node can, HTTP cannot). */
  listDirectories?(): Promise<string[]>;
}

/**
 * A WeightsSource over any byte reader: `read(fullPath)` resolves to the file's bytes or rejects.
 * Node: `weightsSource(dir, (p) => fs.promises.readFile(p), listDirs)`; browser: `weightsSource('/api/weights', (u) =>
 * fetch(u).then((r) => { if (!r.ok) throw new Error(r.statusText); return r.arrayBuffer(); }).then((b) => new Uint8Array(b)))`.
 */
export function weightsSource(
  root: string,
  read: (fullPath: string) => Promise<Uint8Array | ArrayBuffer>,
  listDirectories?: () => Promise<string[]>,
): WeightsSource {
  const join = (p: string) => `${root.replace(/\/+$/, '')}/${p.replace(/^\/+/, '')}`;
  const readBinary = async (p: string): Promise<Uint8Array> => {
    try {
      const b = await read(join(p));
      return b instanceof Uint8Array ? b : new Uint8Array(b);
    } catch (e) {
      throw new MlError('weights_missing', `cannot read weights file ${p}: ${e instanceof Error ? e.message : String(e)}`, join(p));
    }
  };
  return {
    root,
    readBinary,
    async readJson(p: string): Promise<unknown> {
      const bytes = await readBinary(p);
      try {
        return JSON.parse(new TextDecoder().decode(bytes));
      } catch {
        throw new MlError('backbone_config', `not valid JSON: ${p}`, join(p));
      }
    },
    listDirectories,
  };
}

function isConfig(x: unknown): x is BackboneConfig {
  if (typeof x !== 'object' || x === null) return false;
  const c = x as Record<string, unknown>;
  return (
    typeof c.name === 'string' &&
    typeof c.directory === 'string' &&
    typeof c.inputSize === 'number' &&
    Array.isArray(c.inputRange) &&
    c.inputRange.length === 2 &&
    typeof c.featureLayer === 'string' &&
    (c.pooling === 'avg' || c.pooling === 'none') &&
    typeof c.featureDims === 'number'
  );
}

/**
 * The registry: built-ins, then `<root>/backbones.json` (an array of configs), then `<dir>/backbone.json` in every
 * listed sub-folder (name defaults to the folder name). Later entries replace earlier ones with the same name.
 * Each entry says whether its files are present.
 */
export async function loadBackboneRegistry(
  source?: WeightsSource,
): Promise<{ backbones: BackboneConfig[]; available: Record<string, boolean>; problems: string[] }> {
  const byName = new Map<string, BackboneConfig>(BUILTIN_BACKBONES.map((b) => [b.name, b]));
  const problems: string[] = [];
  const available: Record<string, boolean> = {};
  if (!source) {
    for (const b of byName.values()) available[b.name] = false;
    return { backbones: [...byName.values()], available, problems: ['no weights directory configured'] };
  }
  try {
    const list = await source.readJson('backbones.json');
    const arr = Array.isArray(list) ? list : [];
    for (const c of arr) {
      if (isConfig(c)) byName.set(c.name, c);
      else problems.push(`backbones.json: invalid entry ${JSON.stringify(c).slice(0, 80)}`);
    }
  } catch {
    // optional file
  }
  const dirs = source.listDirectories ? await source.listDirectories().catch(() => [] as string[]) : [];
  for (const dir of dirs) {
    try {
      const raw = await source.readJson(`${dir}/backbone.json`);
      const c = { name: dir, directory: dir, ...(raw as object) };
      if (isConfig(c)) byName.set(c.name, c);
      else problems.push(`${dir}/backbone.json: missing fields (name, directory, inputSize, inputRange, featureLayer, pooling, featureDims)`);
    } catch {
      // a folder without backbone.json is fine
    }
  }
  for (const b of byName.values()) {
    try {
      await source.readBinary(`${b.directory}/${b.modelFile ?? 'model.json'}`);
      available[b.name] = true;
    } catch {
      available[b.name] = false;
      problems.push(`backbone ${b.name}: ${source.root}/${b.directory}/${b.modelFile ?? 'model.json'} not found`);
    }
  }
  return { backbones: [...byName.values()], available, problems };
}

/** Set every 4-d batch_input_shape in a Keras topology to [null, size, size, c] (fully convolutional trunks only). */
function patchInputSize(node: unknown, size: number): void {
  if (Array.isArray(node)) {
    for (const x of node) patchInputSize(x, size);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const o = node as Record<string, unknown>;
  for (const key of ['batch_input_shape', 'batchInputShape']) {
    const s = o[key];
    if (Array.isArray(s) && s.length === 4) o[key] = [null, size, size, s[3]];
  }
  for (const v of Object.values(o)) patchInputSize(v, size);
}

/** Load a tfjs layers model from a folder of the weights source (model.json + shards), optionally at another input size. */
export async function loadLayersModelFrom(
  source: WeightsSource,
  directory: string,
  opts: { modelFile?: string; inputSize?: number } = {},
): Promise<tf.LayersModel> {
  const file = `${directory}/${opts.modelFile ?? 'model.json'}`;
  const json = (await source.readJson(file)) as {
    modelTopology?: unknown;
    weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  };
  if (!json || typeof json !== 'object' || !json.modelTopology || !Array.isArray(json.weightsManifest))
    throw new MlError('backbone_config', 'model.json lacks modelTopology or weightsManifest (is it a tfjs layers model?)', `${source.root}/${file}`);
  const topology = JSON.parse(JSON.stringify(json.modelTopology)) as object;
  if (opts.inputSize) patchInputSize(topology, opts.inputSize);
  const specs: tf.io.WeightsManifestEntry[] = [];
  const parts: Uint8Array[] = [];
  for (const group of json.weightsManifest) {
    specs.push(...group.weights);
    for (const p of group.paths) parts.push(await source.readBinary(`${directory}/${p}`));
  }
  const total = parts.reduce((a, b) => a + b.byteLength, 0);
  const all = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    all.set(p, off);
    off += p.byteLength;
  }
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: topology, weightSpecs: specs, weightData: all.buffer }));
}

/** Find a layer by name anywhere in a (possibly nested) model; returns it and the functional model that owns it. */
export function findLayer(model: tf.LayersModel, name: string): { layer: tf.layers.Layer; owner: tf.LayersModel } | undefined {
  for (const layer of model.layers) {
    if (layer.name === name) return { layer, owner: model };
    if (layer instanceof tf.LayersModel) {
      const inner = findLayer(layer, name);
      if (inner) return inner;
    }
  }
  return undefined;
}

/** A loaded backbone: `trunk` maps `Shape: [batch, S, S, 3]` (already normalised) to the feature layer's output. */
export interface LoadedBackbone {
  config: BackboneConfig;
  inputSize: number;
  /** The full model as stored (for classification checks and fine-tuning surgery). */
  full: tf.LayersModel;
  /** The functional model that owns the feature layer (for MobileNetV2: the nested ImageNet backbone). */
  owner: tf.LayersModel;
  trunk: tf.LayersModel;
  dispose(): void;
}

/**
 * Load a backbone. Missing files raise MlError('weights_missing') naming the missing path. `inputSize` overrides the
 * configured one (the trunks are fully convolutional; weights are unchanged).
 */
export async function loadBackbone(source: WeightsSource, config: BackboneConfig, opts: { inputSize?: number } = {}): Promise<LoadedBackbone> {
  const inputSize = opts.inputSize ?? config.inputSize;
  const full = await loadLayersModelFrom(source, config.directory, {
    modelFile: config.modelFile,
    inputSize: inputSize !== config.inputSize ? inputSize : undefined,
  });
  const found = findLayer(full, config.featureLayer);
  if (!found) {
    full.dispose();
    throw new MlError('backbone_config', `feature layer '${config.featureLayer}' not found in ${config.directory}`, `${source.root}/${config.directory}`);
  }
  const trunk = found.owner.outputs[0] === found.layer.output ? found.owner : tf.model({ inputs: found.owner.inputs, outputs: found.layer.output as tf.SymbolicTensor });
  const shape = trunk.outputs[0].shape;
  const dims = shape[shape.length - 1];
  if (dims !== config.featureDims) {
    full.dispose();
    throw new MlError('backbone_config', `feature layer '${config.featureLayer}' gives ${dims} channels, config says ${config.featureDims}`);
  }
  return { config, inputSize, full, owner: found.owner, trunk, dispose: () => full.dispose() };
}

/** Look a name up in a registry list. */
export function backboneConfig(backbones: readonly BackboneConfig[], name: string): BackboneConfig {
  const c = backbones.find((b) => b.name === name);
  if (!c) throw new MlError('backbone_unknown', `unknown backbone '${name}' (known: ${backbones.map((b) => b.name).join(', ')})`);
  return c;
}

const IMAGENET_MEAN = [0.485, 0.456, 0.406];
const IMAGENET_STD = [0.229, 0.224, 0.225];

/**
 * RGB [0, 1] images -> the backbone's own input: resize (bilinear) to its input size, map to its range, optional
 * ImageNet mean/std. `Shape: [batch, N, N, 3] -> [batch, S, S, 3]`. Call inside tf.tidy.
 */
export function preprocessForBackbone(images: tf.Tensor4D, config: BackboneConfig, inputSize: number): tf.Tensor4D {
  let x: tf.Tensor4D = images.shape[1] === inputSize && images.shape[2] === inputSize ? images : tf.image.resizeBilinear(images, [inputSize, inputSize]);
  const [lo, hi] = config.inputRange;
  if (lo !== 0 || hi !== 1) x = x.mul(hi - lo).add(lo);
  if (config.inputNormalisation === 'imagenet-torch') x = x.sub(tf.tensor1d(IMAGENET_MEAN)).div(tf.tensor1d(IMAGENET_STD));
  return x;
}
