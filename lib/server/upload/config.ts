import path from 'node:path';

/** Per-file upload limit in bytes: EPDI_MAX_FILE_BYTES, default 2 GiB. */
export function maxFileBytes(): number {
  const raw = Number(process.env.EPDI_MAX_FILE_BYTES);
  return Number.isFinite(raw) && raw > 0 ? raw : 2 * 1024 ** 3;
}

/** Most files accepted in one upload. */
export const MAX_FILES_PER_UPLOAD = 5000;

/** Where uploads wait until they are understood and committed: EPDI_UPLOAD_TMP, default data/uploads-tmp. */
export function uploadTempRoot(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.env.EPDI_UPLOAD_TMP ?? path.join('data', 'uploads-tmp'));
}
