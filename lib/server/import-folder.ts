import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { db } from './db';
import { extractStoredSurface, type ExtractionSummary } from './extraction';
import { resolveSettings } from '@/lib/epdi/settings';
import { understandFiles } from './upload/import-upload';
import type { ReceivedFile } from './upload/receive';
import { storeSurfaces, type StoredSurface } from './upload/store';

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Every file under `dir` as a ReceivedFile whose relative path starts with the folder's own name. */
export async function listFolder(dir: string): Promise<ReceivedFile[]> {
  const root = path.resolve(dir);
  const base = path.basename(root);
  const out: ReceivedFile[] = [];
  async function walk(current: string): Promise<void> {
    for (const entry of await readdir(current, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) {
        const rel = path.relative(root, full).split(path.sep).join('/');
        out.push({
          path: `${base}/${rel}`,
          tempPath: full,
          bytes: (await stat(full)).size,
          sha256: await sha256File(full),
        });
      }
    }
  }
  await walk(root);
  return out;
}

/**
 * Import surface folders from disk into a dataset (created when missing), the same way an upload is understood and
 * stored: all folders in one transaction, idempotent for unchanged files; a folder whose files changed replaces its
 * surface.
 */
export async function importFolders(
  datasetName: string,
  folders: string[],
  opts: {
    muLiEv?: number | null;
    /** Where muLiEv came from (the dataset's mu_Li record, lib/pipeline/mu-li.ts). */
    muLiNote?: string;
    description?: string;
    onProgress?: (fraction: number, message: string) => void;
  } = {},
): Promise<{ datasetId: string; surfaces: StoredSurface[]; extractions: ExtractionSummary[] }> {
  const dataset =
    (await db.dataset.findUnique({ where: { name: datasetName } })) ??
    (await db.dataset.create({
      data: {
        name: datasetName,
        description: opts.description ?? '',
        muLiEv: opts.muLiEv ?? null,
        muLiNote: opts.muLiNote ?? '',
        settingsJson: JSON.stringify(resolveSettings()),
      },
    }));
  const files: ReceivedFile[] = [];
  for (const folder of folders) files.push(...(await listFolder(folder)));
  const { parsed } = await understandFiles(
    files,
    path.basename(path.resolve(folders[0])),
    opts.onProgress ?? (() => {}),
  );
  const surfaces = await storeSurfaces(dataset.id, parsed, { onConflict: 'replace' });
  const extractions: ExtractionSummary[] = [];
  for (const [i, s] of surfaces.entries()) {
    if (s.unchanged || !parsed[i].potential) continue;
    opts.onProgress?.(0.9 + (0.1 * i) / surfaces.length, `extracting ${s.name}`);
    extractions.push(await extractStoredSurface(s.id, undefined, parsed[i].potential?.grid));
  }
  // As after an upload's extraction job: a dataset with a default model gets it refitted, so new sites are predicted.
  if (extractions.length) {
    const { refreshDefaultModel } = await import('./default-model');
    await refreshDefaultModel(dataset.id, opts.onProgress ?? (() => {}));
  }
  return { datasetId: dataset.id, surfaces, extractions };
}
