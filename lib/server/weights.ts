/**
 * The weights directory on the server: pretrained backbones (tfjs layers models) served to the browser from the app,
 * never from the internet, and read directly by Node training jobs.
 * Directory: $EPDI_WEIGHTS_DIR, else ../shared/weights relative to the app's working directory (the repository root).
 * The tfjs wasm backend's .wasm binaries come from node_modules/@tensorflow/tfjs-backend-wasm/dist the same way.
 */
import { createReadStream, existsSync } from 'node:fs';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { loadBackboneRegistry, weightsSource, type BackboneConfig, type WeightsSource } from '@/lib/ml/backbone';
import { HttpError } from './http';

export function weightsDir(): string {
  return process.env.EPDI_WEIGHTS_DIR
    ? path.resolve(process.env.EPDI_WEIGHTS_DIR)
    : path.resolve(process.cwd(), '..', 'shared', 'weights');
}

export function wasmDir(): string {
  return path.resolve(process.cwd(), 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');
}

/** A WeightsSource over the weights folder, or undefined when it does not exist. */
export function serverWeightsSource(dir = weightsDir()): WeightsSource | undefined {
  if (!existsSync(dir)) return undefined;
  return weightsSource(
    dir,
    async (p) => new Uint8Array(await readFile(p)),
    async () => (await readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name),
  );
}

export interface WeightsRegistryView {
  /** The weights folder on the server (for messages; files are served under /api/weights/<path>). */
  directory: string;
  present: boolean;
  backbones: (BackboneConfig & { available: boolean; missing?: string })[];
  /** Sub-folders (the browser's listDirectories). */
  directories: string[];
  problems: string[];
}

/** Which pretrained backbones are present, which are missing and why. */
export async function weightsRegistry(): Promise<WeightsRegistryView> {
  const dir = weightsDir();
  const source = serverWeightsSource(dir);
  const reg = await loadBackboneRegistry(source);
  const directories = source?.listDirectories ? await source.listDirectories().catch(() => []) : [];
  const problems = source ? reg.problems : [`weights directory ${dir} does not exist (set EPDI_WEIGHTS_DIR)`];
  return {
    directory: dir,
    present: !!source,
    directories,
    problems,
    backbones: reg.backbones.map((b) => ({
      ...b,
      available: !!reg.available[b.name],
      missing: reg.available[b.name]
        ? undefined
        : source
          ? `${dir}/${b.directory}/${b.modelFile ?? 'model.json'} not found`
          : `weights directory ${dir} does not exist`,
    })),
  };
}

const CONTENT_TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.bin': 'application/octet-stream',
  '.wasm': 'application/wasm',
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Resolve `segments` inside `root` and refuse anything that leaves it (.., absolute parts, NUL, symlinks out).
 * Throws HttpError 400 for a refused path and 404 naming the missing file.
 */
export async function resolveInside(root: string, segments: readonly string[]): Promise<string> {
  if (segments.length === 0) throw new HttpError(400, 'bad_path', 'no file named');
  for (const s of segments)
    if (s === '' || s === '.' || s === '..' || s.includes('/') || s.includes('\\') || s.includes('\0'))
      throw new HttpError(400, 'bad_path', `refused path segment '${s}'`);
  const rel = segments.join('/');
  const full = path.resolve(root, rel);
  const rootResolved = path.resolve(root);
  if (full !== rootResolved && !full.startsWith(rootResolved + path.sep))
    throw new HttpError(400, 'bad_path', `path ${rel} leaves the served folder`);
  let real: string;
  try {
    real = await realpath(full);
  } catch {
    throw new HttpError(404, 'not_found', `${rel} not found in ${rootResolved}`);
  }
  const rootReal = await realpath(rootResolved).catch(() => rootResolved);
  if (real !== rootReal && !real.startsWith(rootReal + path.sep))
    throw new HttpError(400, 'bad_path', `path ${rel} leaves the served folder`);
  const st = await stat(real);
  if (!st.isFile()) throw new HttpError(404, 'not_found', `${rel} is not a file in ${rootResolved}`);
  return real;
}

/** Stream a file with a content type by extension and a long-lived cache for immutable weights. */
export async function fileResponse(file: string, opts: { cache?: string } = {}): Promise<Response> {
  const st = await stat(file);
  const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  const body = Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>;
  return new Response(body, {
    headers: {
      'content-type': type,
      'content-length': String(st.size),
      'cache-control': opts.cache ?? 'public, max-age=3600',
    },
  });
}
