/**
 * Backend selection. Browser: webgl, falling back to wasm then cpu (say which to the user). Node: wasm for inference
 * (needs `wasmDir`, a local path or app URL of node_modules/@tensorflow/tfjs-backend-wasm/dist/, never a CDN), cpu for
 * convolution training (nets.ts withTrainingBackend switches automatically).
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export type BackendName = 'webgl' | 'wasm' | 'cpu';

/** Try the backends in order; returns the one in use. */
export async function initBackend(prefer: readonly BackendName[], opts: { wasmDir?: string } = {}): Promise<BackendName> {
  for (const name of prefer) {
    try {
      if (name === 'wasm') {
        if (!opts.wasmDir) continue;
        setWasmPaths(opts.wasmDir.endsWith('/') ? opts.wasmDir : `${opts.wasmDir}/`);
      }
      if (await tf.setBackend(name)) {
        await tf.ready();
        return name;
      }
    } catch {
      // try the next one
    }
  }
  await tf.setBackend('cpu');
  return 'cpu';
}
