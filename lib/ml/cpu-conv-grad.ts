/**
 * A faster Conv2DBackpropFilter for the tfjs cpu backend (the filter gradient of every convolution we train).
 *
 * tfjs-backend-cpu 4.x computes it with `TensorBuffer.get(b, r, c, d)` per multiply-add, about 2 MFLOP/s here: one
 * Adam step of Tiny Darknet's last two blocks at 64 px (16 images) took 30 s, of which the 3x3 filter gradient was
 * nearly all. This kernel does the same sum with flat typed-array indexing, channels-last, in an order whose inner
 * loop runs over contiguous output channels:
 *
 *   dW[wR, wC, d1, d2] = sum over b, yR, yC of x[b, yR*sH + wR - padTop, yC*sW + wC - padLeft, d1] * dy[b, yR, yC, d2]
 *
 * (dilation 1, as the original kernel assumes). Channels-first inputs go to the original kernel. Installed once, by
 * ./nets.ts withTrainingBackend, before training on cpu; it changes nothing on webgl or wasm.
 */
import * as tf from '@tensorflow/tfjs';

const KERNEL = 'Conv2DBackpropFilter';
let installed = false;

type Shape4 = [number, number, number, number];

interface CpuLikeBackend {
  data: { get(id: unknown): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: string, values: Float32Array): tf.TensorInfo;
}

/** The filter gradient on flat channels-last arrays (exported for the test against the original kernel). */
export function conv2dFilterGradNhwc(
  x: Float32Array,
  xShape: Shape4,
  dy: Float32Array,
  dyShape: Shape4,
  filterShape: Shape4,
  strides: [number, number],
  padTop: number,
  padLeft: number,
): Float32Array {
  const [batch, inH, inW, c1] = xShape;
  const [, outH, outW, c2] = dyShape;
  const [fh, fw] = filterShape;
  const [sH, sW] = strides;
  const dW = new Float32Array(fh * fw * c1 * c2);
  for (let b = 0; b < batch; b++)
    for (let yR = 0; yR < outH; yR++)
      for (let yC = 0; yC < outW; yC++) {
        const dyOff = ((b * outH + yR) * outW + yC) * c2;
        for (let wR = 0; wR < fh; wR++) {
          const xR = yR * sH + wR - padTop;
          if (xR < 0 || xR >= inH) continue;
          for (let wC = 0; wC < fw; wC++) {
            const xC = yC * sW + wC - padLeft;
            if (xC < 0 || xC >= inW) continue;
            const xOff = ((b * inH + xR) * inW + xC) * c1;
            const wBase = (wR * fw + wC) * c1;
            for (let d1 = 0; d1 < c1; d1++) {
              const xv = x[xOff + d1];
              if (xv === 0) continue;
              const wOff = (wBase + d1) * c2;
              for (let d2 = 0; d2 < c2; d2++) dW[wOff + d2] += xv * dy[dyOff + d2];
            }
          }
        }
      }
  return dW;
}

/** Replace the cpu backend's Conv2DBackpropFilter by the flat-array version (idempotent). */
export function installFastConvFilterGrad(): void {
  if (installed) return;
  const original = tf.getKernel(KERNEL, 'cpu');
  if (!original) return;
  tf.unregisterKernel(KERNEL, 'cpu');
  tf.registerKernel({
    kernelName: KERNEL,
    backendName: 'cpu',
    kernelFunc: (args) => {
      const { inputs, attrs } = args;
      const a = attrs as unknown as { strides: number | [number, number]; pad: 'same' | 'valid' | number; dataFormat: 'NHWC' | 'NCHW'; dimRoundingMode?: 'floor' | 'round' | 'ceil'; filterShape: Shape4 };
      if (a.dataFormat === 'NCHW') return original.kernelFunc(args);
      const backend = args.backend as unknown as CpuLikeBackend;
      const x = inputs.x as tf.TensorInfo;
      const dy = inputs.dy as tf.TensorInfo;
      const info = tf.backend_util.computeConv2DInfo(x.shape as Shape4, a.filterShape, a.strides, 1, a.pad, a.dimRoundingMode, false, 'channelsLast');
      const dW = conv2dFilterGradNhwc(
        backend.data.get(x.dataId).values,
        x.shape as Shape4,
        backend.data.get(dy.dataId).values,
        dy.shape as Shape4,
        a.filterShape,
        [info.strideHeight, info.strideWidth],
        info.padInfo.top,
        info.padInfo.left,
      );
      return backend.makeTensorInfo(a.filterShape, 'float32', dW);
    },
  });
  installed = true;
}
