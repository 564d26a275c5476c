import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Per-file upload limit in bytes: EPDI_MAX_FILE_BYTES, default 2 GiB. */
export function maxFileBytes(): number {
  const raw = Number(process.env.EPDI_MAX_FILE_BYTES);
  return Number.isFinite(raw) && raw > 0 ? raw : 2 * 1024 ** 3;
}

/** Most files accepted in one upload. */
export const MAX_FILES_PER_UPLOAD = 5000;

/** The folder the app creates inside EPDI_UPLOAD_TMP and owns; nothing else in EPDI_UPLOAD_TMP is ever touched. */
export const UPLOAD_TEMP_FOLDER = 'epdi-lab-uploads';
/** Written into UPLOAD_TEMP_FOLDER when the app creates it: start-up empties the folder only when this file is there. */
export const UPLOAD_TEMP_MARKER = '.epdi-lab-temp';

/** EPDI_UPLOAD_TMP, default data/uploads-tmp: a parent folder that may hold anything else (it may be /tmp). */
export function uploadTempParent(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.env.EPDI_UPLOAD_TMP ?? path.join('data', 'uploads-tmp'));
}

/**
 * Where uploads wait until they are understood and committed: `<EPDI_UPLOAD_TMP>/epdi-lab-uploads/`. Created on
 * first use, with its marker file. A folder of that name that exists without the marker (not created by the app) is
 * still used, but start-up never empties it.
 */
export function uploadTempRoot(): string {
  const root = path.join(uploadTempParent(), UPLOAD_TEMP_FOLDER);
  if (existsSync(root)) return root;
  mkdirSync(path.dirname(root), { recursive: true });
  try {
    mkdirSync(root);
  } catch (err) {
    // Another upload created it a moment ago (and writes the marker): ours to use as it is.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return root;
    throw err;
  }
  writeFileSync(
    path.join(root, UPLOAD_TEMP_MARKER),
    'Created by EPDI Lab for uploads in progress. Everything in this folder is deleted when the app starts.\n',
  );
  return root;
}
