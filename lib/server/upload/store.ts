import { db } from '../db';
import { randomUUID } from 'node:crypto';
import { createGridRow, deleteGridChunks, writeGridChunks } from '../grid-store';
import type { ParsedSurface } from './parse-surface';
import { UploadError } from './errors';
import { MAX_NAME_LENGTH } from '../limits';
import { compareSourceFiles, describeDifference } from './same-files';

export interface StoredSurface {
  id: string;
  name: string;
  /** true when an identical surface (same files) was already stored and was left as is. */
  unchanged: boolean;
  /** true when a surface of that name with other files was replaced (only with `onConflict: 'replace'`). */
  replaced?: boolean;
}

/**
 * Store parsed surfaces in ONE transaction: either all land or none. A surface whose name already exists with the
 * same files is left as is (imports are idempotent; "the same" includes the original folder of a surface that has
 * since gained labels through "add labels", ./same-files.ts); with different files it is a 409 naming the first file
 * that differs, or, with `onConflict: 'replace'` (re-importing a folder that gained labels), the old surface and all
 * it derived are replaced.
 */
export async function storeSurfaces(
  datasetId: string,
  surfaces: ParsedSurface[],
  opts: { onConflict?: 'error' | 'replace' } = {},
): Promise<StoredSurface[]> {
  const names = new Set<string>();
  for (const s of surfaces) {
    if (s.name.length > MAX_NAME_LENGTH) {
      throw new UploadError(422, 'name_too_long', `surface name '${s.name.slice(0, 40)}...' is longer than ${MAX_NAME_LENGTH} characters`, {
        file: s.sourceFiles[0]?.path,
      });
    }
    if (names.has(s.name)) {
      throw new UploadError(409, 'duplicate_surface', `two folders of this upload are both named '${s.name}'`, {
        file: s.sourceFiles[0]?.path,
      });
    }
    names.add(s.name);
  }
  // Grid chunks go in first, outside the transaction (see blob-db.ts); their Grid rows appear inside it.
  const written = new Map<ParsedSurface, { gridId: string; chunkCount: number }>();
  const used = new Set<string>();
  for (const s of surfaces) {
    if (!s.potential) continue;
    const gridId = randomUUID();
    written.set(s, { gridId, chunkCount: await writeGridChunks(gridId, s.potential.grid.data) });
  }
  const allIds = [...written.values()].map((w) => w.gridId);
  try {
    const out = await db.$transaction(
      async (tx) => {
        const dataset = await tx.dataset.findUnique({ where: { id: datasetId }, select: { id: true } });
        if (!dataset) throw new UploadError(404, 'no_dataset', `dataset ${datasetId} does not exist`);
        const out: StoredSurface[] = [];
        for (const s of surfaces) {
          const existing = await tx.surface.findUnique({
            where: { datasetId_name: { datasetId, name: s.name } },
            select: { id: true, sourceFilesJson: true },
          });
          if (existing) {
            const before = JSON.parse(existing.sourceFilesJson) as ParsedSurface['sourceFiles'];
            const same = compareSourceFiles(before, s.sourceFiles);
            if (same.kind === 'same') {
              out.push({ id: existing.id, name: s.name, unchanged: true });
              continue;
            }
            if (opts.onConflict === 'replace') {
              await tx.surface.delete({ where: { id: existing.id } });
            } else
              throw new UploadError(
                409,
                'surface_exists',
                `a surface named '${s.name}' already exists in this dataset with other files (${describeDifference(same)}); ` +
                  'rename the folder or delete it first',
                { file: same.file },
              );
          }
          const row = await tx.surface.create({
            data: {
              datasetId,
              name: s.name,
              host: s.host,
              phase: typeof s.meta.phase === 'string' ? s.meta.phase : null,
              dopant: s.dopant,
              eSlabEv: s.eSlabEv,
              structureJson: JSON.stringify(s.structure),
              sourceFilesJson: JSON.stringify(s.sourceFiles),
              metaJson: JSON.stringify(s.meta),
              labelsJson: JSON.stringify(s.labels),
            },
          });
          const chunks = written.get(s);
          if (s.potential && chunks) {
            await createGridRow(tx, chunks.gridId, chunks.chunkCount, {
              surfaceId: row.id,
              kind: 'potential',
              unit: s.potential.unit,
              sourceFile: s.potential.sourceFile,
              grid: s.potential.grid,
            });
            used.add(chunks.gridId);
          }
          for (const neb of s.nebRuns) {
            await tx.nebRun.create({
              data: { surfaceId: row.id, name: neb.name, imagesJson: JSON.stringify(neb.images) },
            });
          }
          out.push({ id: row.id, name: s.name, unchanged: false, replaced: Boolean(existing) });
        }
        return out;
      },
      { timeout: 30 * 60_000, maxWait: 60_000 },
    );
    // Chunks written for surfaces that turned out unchanged have no grid: remove them.
    await deleteGridChunks(allIds.filter((id) => !used.has(id)));
    return out;
  } catch (err) {
    await deleteGridChunks(allIds);
    throw err;
  }
}
