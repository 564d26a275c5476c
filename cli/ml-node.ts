/**
 * Node edge of lib/ml: file access to the weights directory and the wasm backend's local .wasm files.
 * Weights dir: $EPDI_WEIGHTS_DIR, else ../shared/weights relative to the repository root.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { initBackend, weightsSource, type BackendName, type WeightsSource } from '../lib/ml';

const repoRoot = path.resolve(__dirname, '..');

export function defaultWeightsDir(): string {
  return process.env.EPDI_WEIGHTS_DIR ? path.resolve(process.env.EPDI_WEIGHTS_DIR) : path.resolve(repoRoot, '..', 'shared', 'weights');
}

/** A WeightsSource over a local folder, or undefined when the folder does not exist. */
export function nodeWeightsSource(dir = defaultWeightsDir()): WeightsSource | undefined {
  if (!existsSync(dir)) return undefined;
  return weightsSource(
    dir,
    async (p) => new Uint8Array(await readFile(p)),
    async () => readdirSync(dir).filter((d) => statSync(path.join(dir, d)).isDirectory()),
  );
}

export const WASM_DIR = path.join(repoRoot, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist') + path.sep;

/** wasm (fast inference) unless EPDI_TF_BACKEND says otherwise. */
export async function initNodeBackend(prefer?: BackendName): Promise<BackendName> {
  const want = (prefer ?? process.env.EPDI_TF_BACKEND ?? 'wasm') as BackendName;
  return initBackend([want, 'cpu'], { wasmDir: WASM_DIR });
}
