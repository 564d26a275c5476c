/**
 * Batched backbone feature extraction and the feature cache keyed by (backbone, EPDI settings hash, site id).
 */
import * as tf from '@tensorflow/tfjs';
import { preprocessForBackbone, type LoadedBackbone } from './backbone';
import { throwIfAborted } from './errors';
import { rgbBatch } from './image';
import { hashJson } from './rng';
import type { ImageSettings, ProgressCallback, Sample } from './types';

/** Run a trunk over RGB [0, 1] images, `Shape: [count, N, N, 3]` -> features `Shape: [count, dims]` (pooled). */
export async function extractFeatures(
  backbone: LoadedBackbone,
  images: Float32Array,
  count: number,
  pixels: number,
  opts: { batchSize?: number; onProgress?: ProgressCallback; signal?: AbortSignal } = {},
): Promise<Float32Array> {
  const dims = backbone.config.featureDims;
  const out = new Float32Array(count * dims);
  const bs = Math.max(1, opts.batchSize ?? 16);
  const per = pixels * pixels * 3;
  for (let start = 0; start < count; start += bs) {
    throwIfAborted(opts.signal);
    const b = Math.min(bs, count - start);
    const feats = tf.tidy(() => {
      const x = tf.tensor4d(images.subarray(start * per, (start + b) * per), [b, pixels, pixels, 3]);
      const y = backbone.trunk.predict(preprocessForBackbone(x, backbone.config, backbone.inputSize)) as tf.Tensor;
      return y.rank === 4 ? y.mean([1, 2]) : y;
    });
    out.set(await feats.data(), start * dims);
    feats.dispose();
    opts.onProgress?.({ phase: 'features', done: start + b, total: count });
  }
  return out;
}

/** Cache of per-site features. Keys: `${backbone}|${settingsHash}|${siteId}`. */
export class FeatureCache {
  private readonly map = new Map<string, Float32Array>();
  static key(backbone: string, settingsHash: string, id: string): string {
    return `${backbone}|${settingsHash}|${id}`;
  }
  get(backbone: string, settingsHash: string, id: string): Float32Array | undefined {
    return this.map.get(FeatureCache.key(backbone, settingsHash, id));
  }
  set(backbone: string, settingsHash: string, id: string, v: Float32Array): void {
    this.map.set(FeatureCache.key(backbone, settingsHash, id), v);
  }
  get size(): number {
    return this.map.size;
  }
  clear(): void {
    this.map.clear();
  }
  /** All entries, e.g. to persist them in IndexedDB or the DB. */
  entries(): [string, Float32Array][] {
    return [...this.map.entries()];
  }
  load(entries: Iterable<[string, Float32Array]>): void {
    for (const [k, v] of entries) this.map.set(k, v);
  }
}

/** Hash of everything that changes an image's pixels for a backbone. */
export function imageSettingsHash(settings: ImageSettings, extra: unknown = null): string {
  return hashJson({ range: settings.rangeEv, extra });
}

/**
 * Pooled features for samples, from the cache where present, extracted in batches otherwise.
 * `Shape: [samples.length, dims]`.
 */
export async function featuresFor(
  backbone: LoadedBackbone,
  samples: readonly Sample[],
  settings: ImageSettings,
  cache?: FeatureCache,
  opts: { batchSize?: number; onProgress?: ProgressCallback; signal?: AbortSignal; settingsHash?: string } = {},
): Promise<Float32Array> {
  const dims = backbone.config.featureDims;
  const hash = opts.settingsHash ?? imageSettingsHash(settings, { size: backbone.inputSize });
  const name = backbone.config.name;
  const out = new Float32Array(samples.length * dims);
  const missing: number[] = [];
  samples.forEach((s, i) => {
    const f = cache?.get(name, hash, s.id);
    if (f) out.set(f, i * dims);
    else missing.push(i);
  });
  if (missing.length) {
    const miss = missing.map((i) => samples[i]);
    const byPixels = new Map<number, number[]>();
    miss.forEach((s, k) => byPixels.set(s.pixels, [...(byPixels.get(s.pixels) ?? []), k]));
    for (const [, ks] of byPixels) {
      const group = ks.map((k) => miss[k]);
      const { data, pixels } = rgbBatch(group, settings);
      const feats = await extractFeatures(backbone, data, group.length, pixels, opts);
      ks.forEach((k, g) => {
        const f = feats.slice(g * dims, (g + 1) * dims);
        out.set(f, missing[k] * dims);
        cache?.set(name, hash, miss[k].id, f);
      });
    }
  }
  return out;
}
