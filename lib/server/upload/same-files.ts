/**
 * Is an uploaded surface folder the one already stored under its name? Compares the upload's source files with the
 * stored surface's (Surface.sourceFilesJson: path, sha256, role), file by file.
 *
 * A file is keyed by the last three segments of its path (as before: `MoS2-V/POSCAR`, `sites/t1/OUTCAR`), so the same
 * folder sent from the same place keys the same. The answer:
 *   'same'    every uploaded file is stored byte-identical under its key, and every stored file the upload lacks is
 *             a label file (labels.csv, sites/<name>/, neb/<name>/: what "add labels" appends to a surface, see
 *             ./add-labels.ts) or one the upload skipped anyway (INCAR, ...). So re-sending the original folder of a
 *             surface that has since gained labels is recognised as already stored, like an untouched one;
 *   'differs' otherwise, naming the first file that differs: one stored under its key with other bytes ('changed'),
 *             one not stored at all ('new'), or a stored structure / potential / meta.json / host run the upload
 *             lacks ('missing').
 */
import type { FileRole } from './bundle';

export interface SourceFileEntry {
  path: string;
  sha256: string;
  role: string;
  bytes?: number;
}

export type SameFiles =
  | { kind: 'same' }
  | { kind: 'differs'; reason: 'changed' | 'new' | 'missing'; file: string };

/** Roles of files a stored surface may hold beyond its original upload without being another surface. */
const OPTIONAL_ROLES: ReadonlySet<string> = new Set<FileRole>([
  'labels',
  'site-structure',
  'site-outcar',
  'neb-structure',
  'neb-outcar',
  'neb-energy',
  'ignored',
]);

/** The key a file is compared under: the last three segments of its path. */
export function fileKey(path: string): string {
  return path.split('/').slice(-3).join('/');
}

/** Compare an upload's files with a stored surface's (see the module doc). */
export function compareSourceFiles(
  stored: readonly SourceFileEntry[],
  uploaded: readonly SourceFileEntry[],
): SameFiles {
  // A key may be stored more than once: "add labels" with a grown labels.csv keeps the original beside it.
  const storedByKey = new Map<string, Set<string>>();
  for (const f of stored) {
    const key = fileKey(f.path);
    const shas = storedByKey.get(key);
    if (shas) shas.add(f.sha256);
    else storedByKey.set(key, new Set([f.sha256]));
  }
  const seen = new Set<string>();
  for (const f of uploaded) {
    const key = fileKey(f.path);
    const shas = storedByKey.get(key);
    if (!shas) return { kind: 'differs', reason: 'new', file: f.path };
    if (!shas.has(f.sha256)) return { kind: 'differs', reason: 'changed', file: f.path };
    seen.add(key);
  }
  const missing = stored.find((f) => !seen.has(fileKey(f.path)) && !OPTIONAL_ROLES.has(f.role));
  if (missing) return { kind: 'differs', reason: 'missing', file: missing.path };
  return { kind: 'same' };
}

/** The sentence a 409 gives for a difference. */
export function describeDifference(d: Exclude<SameFiles, { kind: 'same' }>): string {
  switch (d.reason) {
    case 'changed':
      return `'${d.file}' differs from the stored file of that name`;
    case 'new':
      return `'${d.file}' is not among its stored files`;
    case 'missing':
      return `the upload lacks its stored '${d.file}'`;
  }
}
