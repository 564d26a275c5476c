/**
 * The fast cpu filter gradient against tfjs's own cpu kernel (the reference program) and against a hand sum on a
 * case small enough to write out.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import { conv2dFilterGradNhwc, installFastConvFilterGrad } from '../../../lib/ml/cpu-conv-grad';
import { mulberry32 } from '../../../lib/ml/rng';

function randomArray(n: number, seed: number): Float32Array {
  const r = mulberry32(seed);
  return Float32Array.from({ length: n }, () => r() * 2 - 1);
}

/** tfjs's original cpu kernel, before installFastConvFilterGrad replaces it. */
let reference: (x: tf.Tensor4D, dy: tf.Tensor4D, filterShape: [number, number, number, number], strides: number, pad: 'same' | 'valid') => Float32Array;

beforeAll(async () => {
  await tf.setBackend('cpu');
  const original = tf.getKernel('Conv2DBackpropFilter', 'cpu')!;
  const backend = tf.backend();
  reference = (x, dy, filterShape, strides, pad) => {
    const out = original.kernelFunc({ inputs: { x, dy }, backend, attrs: { strides, pad, dataFormat: 'NHWC', filterShape } as never }) as tf.TensorInfo;
    return (backend as unknown as { data: { get(id: unknown): { values: Float32Array } } }).data.get(out.dataId).values;
  };
});

describe('fast Conv2DBackpropFilter on cpu', () => {
  test('a 1x1 image, one channel: dW = x * dy (hand sum)', () => {
    // 3x3 kernel, same padding, 1x1 input: only the centre tap sees the pixel; sum over the batch.
    const dW = conv2dFilterGradNhwc(Float32Array.of(2, -1), [2, 1, 1, 1], Float32Array.of(3, 5), [2, 1, 1, 1], [3, 3, 1, 1], [1, 1], 1, 1);
    expect(Array.from(dW)).toEqual([0, 0, 0, 0, 2 * 3 + -1 * 5, 0, 0, 0, 0]);
  });

  test.each([
    { xs: [2, 5, 5, 3], f: [3, 3, 3, 4], s: 1, pad: 'same' as const },
    { xs: [3, 6, 6, 2], f: [3, 3, 2, 5], s: 2, pad: 'same' as const },
    { xs: [2, 5, 4, 3], f: [2, 3, 3, 2], s: 1, pad: 'valid' as const },
    { xs: [1, 4, 4, 8], f: [1, 1, 8, 6], s: 1, pad: 'same' as const },
  ])('matches the tfjs kernel: x $xs, filter $f, stride $s, $pad', ({ xs, f, s, pad }) => {
    const x = tf.tensor4d(randomArray(xs.reduce((a, b) => a * b), 1), xs as [number, number, number, number]);
    const filterShape = f as [number, number, number, number];
    const y = tf.conv2d(x, tf.zeros(filterShape) as tf.Tensor4D, s, pad);
    const dy = tf.tensor4d(randomArray(y.size, 2), y.shape as [number, number, number, number]);
    const want = reference(x, dy, filterShape, s, pad);
    const info = tf.backend_util.computeConv2DInfo(x.shape, filterShape, s, 1, pad);
    const got = conv2dFilterGradNhwc(x.dataSync() as Float32Array, x.shape, dy.dataSync() as Float32Array, dy.shape, filterShape, [s, s], info.padInfo.top, info.padInfo.left);
    expect(got.length).toBe(want.length);
    got.forEach((v, i) => expect(v).toBeCloseTo(want[i], 5));
    tf.dispose([x, y, dy]);
  });

  test('once installed, tf.grad of a convolution uses it and agrees with the reference', () => {
    const x = tf.tensor4d(randomArray(2 * 4 * 4 * 3, 3), [2, 4, 4, 3]);
    const k = tf.tensor4d(randomArray(3 * 3 * 3 * 4, 4), [3, 3, 3, 4]);
    const dy = tf.tensor4d(randomArray(2 * 4 * 4 * 4, 5), [2, 4, 4, 4]);
    const want = reference(x, dy, [3, 3, 3, 4], 1, 'same');
    installFastConvFilterGrad();
    const g = tf.grad((kk: tf.Tensor) => tf.conv2d(x, kk as tf.Tensor4D, 1, 'same').mul(dy).sum())(k);
    Array.from(g.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(want[i], 4));
    tf.dispose([x, k, dy, g]);
  });
});
