/**
 * Model files: a zip (fflate) holding
 *   meta.json          ModelState without tfjs weights (spec, params, image settings, metrics, training ids)
 *   tfjs/model.json    tfjs layers topology + weightsManifest (paths: ["weights.bin"]), when the model has a network
 *   tfjs/weights.bin   the network's weights
 *   training-sites.csv the training sites by the user's names (./training-sites.ts), added by the server when it
 *                      stores or exports a model (lib/server/model-training-sites.ts); older zips lack it
 * The same bytes load in Node and in the browser (and go to the DB / IndexedDB as a blob). Readers ignore entries
 * they do not know, so a zip with training-sites.csv loads wherever one without it does.
 */
import type * as tf from '@tensorflow/tfjs';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { isFormatError } from '../formats/errors';
import { appendZipEntry } from '../formats/zip-append';
import { MlError } from './errors';
import type { ModelState } from './models';

function toBytes(data: tf.io.WeightData | undefined): Uint8Array {
  if (!data) return new Uint8Array(0);
  if (Array.isArray(data)) {
    const total = data.reduce((a, b) => a + b.byteLength, 0);
    const out = new Uint8Array(total);
    let o = 0;
    for (const b of data) {
      out.set(new Uint8Array(b), o);
      o += b.byteLength;
    }
    return out;
  }
  return new Uint8Array(data as ArrayBuffer);
}

export function modelToZip(state: ModelState): Uint8Array {
  const { artifacts, ...meta } = state;
  const files: Record<string, Uint8Array> = { 'meta.json': strToU8(JSON.stringify(meta)) };
  if (artifacts) {
    files['tfjs/model.json'] = strToU8(
      JSON.stringify({
        modelTopology: artifacts.modelTopology,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
      }),
    );
    files['tfjs/weights.bin'] = toBytes(artifacts.weightData);
  }
  return zipSync(files, { level: 6 });
}

export function modelFromZip(bytes: Uint8Array): ModelState {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch {
    throw new MlError('bad_model_file', 'not a zip file');
  }
  if (!files['meta.json']) throw new MlError('bad_model_file', 'zip lacks meta.json');
  const meta = JSON.parse(strFromU8(files['meta.json'])) as ModelState;
  if (meta.format !== 'epdi-model') throw new MlError('bad_model_file', 'meta.json is not an epdi model');
  if (files['tfjs/model.json']) {
    const mj = JSON.parse(strFromU8(files['tfjs/model.json'])) as {
      modelTopology: object;
      weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[];
    };
    const w = files['tfjs/weights.bin'] ?? new Uint8Array(0);
    meta.artifacts = {
      modelTopology: mj.modelTopology,
      weightSpecs: mj.weightsManifest.flatMap((g) => g.weights),
      weightData: w.buffer.slice(w.byteOffset, w.byteOffset + w.byteLength) as ArrayBuffer,
    };
  }
  return meta;
}

/** One entry of a model zip as text, or null when the zip has no such entry. */
export function modelZipText(bytes: Uint8Array, name: string): string | null {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, { filter: (f) => f.name === name });
  } catch {
    throw new MlError('bad_model_file', 'not a zip file');
  }
  const entry = files[name];
  return entry ? strFromU8(entry) : null;
}

/**
 * The zip with a text entry added; every other entry keeps its bytes, compressed ones included (nothing is
 * re-deflated: lib/formats/zip-append.ts). Throws MlError when the zip has that entry or cannot take one.
 */
export function addModelZipText(bytes: Uint8Array, name: string, text: string): Uint8Array {
  try {
    return appendZipEntry(bytes, name, strToU8(text));
  } catch (e) {
    if (isFormatError(e)) throw new MlError('bad_model_file', e.message);
    throw e;
  }
}
