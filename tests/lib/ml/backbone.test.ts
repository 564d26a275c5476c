/** ImageNet weights load and work: Tiny Darknet classifies a real photo; MobileNetV2 gives a 1280-d feature. */
import * as tf from '@tensorflow/tfjs';
import { decode } from 'fast-png';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { BUILTIN_BACKBONES, extractFeatures, loadBackbone, loadBackboneRegistry, loadLayersModelFrom, MlError, weightsSource, type WeightsSource } from '../../../lib/ml';
import { initNodeBackend, nodeWeightsSource } from '../../../cli/ml-node';

const source = nodeWeightsSource();

/** grace_hopper_224.png: Grace Hopper in US Navy uniform (public domain, US Navy photo via matplotlib sample_data). */
function photo(): Float32Array {
  const png = decode(readFileSync(path.join(__dirname, '../../fixtures/ml/grace_hopper_224.png')));
  const out = new Float32Array(224 * 224 * 3);
  const ch = png.channels;
  for (let i = 0; i < 224 * 224; i++) for (let c = 0; c < 3; c++) out[i * 3 + c] = png.data[i * ch + c] / 255;
  return out;
}

beforeAll(async () => {
  await initNodeBackend('wasm');
});

describe.skipIf(!source)('ImageNet backbones', () => {
  // Grace Hopper wears a US Navy uniform with a tie; ImageNet models answer with these clothing classes.
  test('Tiny Darknet classifies the Grace Hopper photo as uniform/tie/suit clothing', async () => {
    const model = await loadLayersModelFrom(source as WeightsSource, 'darknet-tiny-imagenet');
    const labels = (await (source as WeightsSource).readJson('darknet-tiny-imagenet/labels_darknet_order.json')) as string[];
    const before = tf.memory().numTensors;
    const probs = tf.tidy(() => tf.softmax(model.predict(tf.tensor4d(photo(), [1, 224, 224, 3])) as tf.Tensor).dataSync());
    expect(tf.memory().numTensors).toBe(before);
    const top5 = Array.from(probs)
      .map((p, i) => [p, i] as const)
      .sort((a, b) => b[0] - a[0])
      .slice(0, 5)
      .map(([, i]) => labels[i]);
    expect(['military uniform', 'bow tie', 'Windsor tie', 'suit']).toContain(top5[0]);
    expect(top5.filter((l) => ['military uniform', 'bow tie', 'Windsor tie', 'suit'].includes(l)).length).toBeGreaterThanOrEqual(2);
    console.log('darknet top-5:', top5.join(', '));
    model.dispose();
  });

  test('MobileNetV2 backbone (TM head dropped) gives a finite 1280-d feature, batched, without leaks', async () => {
    const bb = await loadBackbone(source as WeightsSource, BUILTIN_BACKBONES[0]);
    const img = photo();
    const two = new Float32Array(img.length * 2);
    two.set(img);
    two.set(img, img.length);
    const before = tf.memory().numTensors;
    const f = await extractFeatures(bb, two, 2, 224, { batchSize: 1 });
    expect(tf.memory().numTensors).toBe(before);
    expect(f.length).toBe(2 * 1280);
    expect(f.every(Number.isFinite)).toBe(true);
    expect(Array.from(f.slice(0, 1280))).toEqual(Array.from(f.slice(1280)));
    expect(Math.max(...f)).toBeGreaterThan(0);
    bb.dispose();
  });

  test('registry lists both built-ins as available', async () => {
    const reg = await loadBackboneRegistry(source);
    expect(reg.available).toMatchObject({ 'mobilenetv2-035': true, 'darknet-tiny': true });
  });
});

test('a missing weights directory gives a typed error naming the file', async () => {
  const empty = weightsSource('/nonexistent/weights', async (p) => {
    throw new Error(`ENOENT ${p}`);
  });
  await expect(loadBackbone(empty, BUILTIN_BACKBONES[0])).rejects.toMatchObject({ code: 'weights_missing', path: '/nonexistent/weights/mobilenetv2-035-imagenet/model.json' });
  const reg = await loadBackboneRegistry(empty);
  expect(reg.available['mobilenetv2-035']).toBe(false);
  expect(reg.problems.join('\n')).toMatch(/mobilenetv2-035-imagenet\/model.json not found/);
  expect(MlError).toBeDefined();
});
