/**
 * Bounds on the work a request can cause (issue 15), each configurable by an environment variable and listed with its
 * default in README.md's Configuration table. Read on every call, so a test (or an operator restarting with another
 * value) changes them without a rebuild.
 */

function envNumber(name: string, fallback: number, integer = true): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) return fallback;
  return value;
}

/** Longest name of a dataset, surface or model (characters). */
export const MAX_NAME_LENGTH = 100;

/** Grid points per potential file (EPDI_MAX_GRID_POINTS, default 512^3 = 134,217,728: 512 MiB of float32). */
export function maxGridPoints(): number {
  return envNumber('EPDI_MAX_GRID_POINTS', 512 ** 3);
}

/** Atoms per structure (EPDI_MAX_ATOMS, default 10,000). */
export function maxAtoms(): number {
  return envNumber('EPDI_MAX_ATOMS', 10_000);
}

/** Most bytes one gzip file may inflate to (EPDI_MAX_INFLATED_BYTES, default 4 GiB: a 512^3 LOCPOT is ~2.4 GB). */
export function maxInflatedBytes(): number {
  return envNumber('EPDI_MAX_INFLATED_BYTES', 4 * 1024 ** 3);
}

/** Most inflated bytes per compressed byte (EPDI_MAX_INFLATE_RATIO, default 100; LOCPOT text inflates 4-15x). */
export function maxInflateRatio(): number {
  return envNumber('EPDI_MAX_INFLATE_RATIO', 100, false);
}

/** Files this small may inflate to this much whatever the ratio (a header-only gzip inflates hugely). */
const RATIO_FLOOR_BYTES = 64 * 1024 ** 2;

/** The inflate cap for one gzip file of `compressedBytes`: min(total, max(ratio * size, 64 MiB)). */
export function inflateCapFor(compressedBytes: number): number {
  return Math.min(maxInflatedBytes(), Math.max(RATIO_FLOOR_BYTES, Math.ceil(compressedBytes * maxInflateRatio())));
}

/** Values per potential slice (EPDI_MAX_SLICE_PIXELS, default 512 * 512): wider cells get fewer pixels per axis. */
export function maxSlicePixels(): number {
  return envNumber('EPDI_MAX_SLICE_PIXELS', 512 * 512);
}

/** Values per JSON response of a slice or grid (EPDI_MAX_JSON_VALUES, default 2^18); binary bodies are 8x cheaper. */
export function maxJsonValues(): number {
  return envNumber('EPDI_MAX_JSON_VALUES', 2 ** 18);
}

/** Bytes of a JSON request body (EPDI_MAX_JSON_BYTES, default 32 MiB: predictions for 100,000 sites fit). */
export function maxJsonBytes(): number {
  return envNumber('EPDI_MAX_JSON_BYTES', 32 * 1024 ** 2);
}

/** Bytes of a surface folder's meta.json (inflated, when gzip). */
export const MAX_META_JSON_BYTES = 1024 ** 2;

/** Nesting depth of a JSON request body, a meta.json or a model's metadata (EPDI_MAX_JSON_DEPTH, default 64). */
export function maxJsonDepth(): number {
  return envNumber('EPDI_MAX_JSON_DEPTH', 64);
}

/** Parse, extract and training jobs running at once (EPDI_JOB_CONCURRENCY, default 2); the rest wait, queued. */
export function jobConcurrency(): number {
  return envNumber('EPDI_JOB_CONCURRENCY', 2);
}

/** Bytes of a model zip sent for import or storage (EPDI_MAX_MODEL_BYTES, default 256 MiB; DenseNet121 is ~32 MB). */
export function maxModelBytes(): number {
  return envNumber('EPDI_MAX_MODEL_BYTES', 256 * 1024 ** 2);
}

/** What a model zip may hold (lib/formats/zip-limits.ts), judged before anything is inflated. */
export function modelZipLimits(): {
  maxEntries: number;
  maxEntryBytes: number;
  maxTotalBytes: number;
  maxRatio: number;
} {
  return { maxEntries: 100, maxEntryBytes: maxModelBytes(), maxTotalBytes: maxModelBytes(), maxRatio: 200 };
}

/** The bounds the upload passes to the file readers (lib/formats options). */
export function readerLimits(): { maxPoints: number; maxAtoms: number } {
  return { maxPoints: maxGridPoints(), maxAtoms: maxAtoms() };
}
