import { randomUUID } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import type { Grid3D } from '@/lib/grid/grid3d';
import path from 'node:path';
import { db } from '../db';
import { startExtraction } from '../extraction';
import { createJob, failJob, finishJob, progressReporter, withJobSlot } from '../jobs';
import { surfacesNeedingExtraction } from '../requeue';
import { groupIntoSurfaces } from './bundle';
import { maxFileBytes, UPLOAD_TEMP_MARKER, uploadTempRoot } from './config';
import { UploadError } from './errors';
import { parseSurfaceBundle, type ParsedSurface } from './parse-surface';
import { receiveMultipart, type ReceivedFile } from './receive';
import { sniffReceivedFiles } from './sniff-files';
import { storeSurfaces, type StoredSurface } from './store';

export interface UploadResult {
  jobId: string;
  /** The background job finding sites, MEPs and EPDIs of the new surfaces (null when none has a potential). */
  extractJobId: string | null;
  surfaces: StoredSurface[];
  /** Files accepted but not used (INCAR, KPOINTS, ...). */
  skipped: string[];
}

/**
 * The whole upload: stream the multipart body to a temporary folder, understand every file, then store all surfaces
 * in one transaction. Progress goes to a job (id chosen by the client when given, so it can poll while uploading).
 * On any error nothing is stored, the temporary folder is removed and an UploadError (4xx) is thrown.
 */
export async function importUpload(
  datasetId: string,
  body: ReadableStream<Uint8Array>,
  contentType: string,
  opts: { jobId?: string } = {},
): Promise<UploadResult> {
  const dir = path.join(uploadTempRoot(), randomUUID());
  if (opts.jobId && (await db.job.findUnique({ where: { id: opts.jobId }, select: { id: true } }))) {
    throw new UploadError(409, 'job_exists', `job ${opts.jobId} already exists: use a new id for each upload`);
  }
  const job = await createJob('upload', { id: opts.jobId, datasetId });
  const { report, flush } = progressReporter(job.id);
  try {
    report(0, 'receiving files');
    const { files, fields } = await receiveMultipart(body, contentType, dir, maxFileBytes());
    const fallbackName = (fields.surface ?? '').trim();
    // Parsing takes one of the job queue's slots (lib/server/jobs.ts): the job reads 'queued' while it waits.
    const { parsed, skipped } = await withJobSlot(job.id, () => understandFiles(files, fallbackName, report));
    report(0.9, 'storing');
    const surfaces = await storeSurfaces(datasetId, parsed);
    // Hand the parsed grids to the extraction job and drop ours, so a large grid is held once, not twice.
    const grids = new Map<string, Grid3D>();
    // An unchanged surface whose extraction never finished (a crash, a failed job) is extracted again.
    const unextracted = await surfacesNeedingExtraction(surfaces.filter((s) => s.unchanged).map((s) => s.id));
    surfaces.forEach((s, k) => {
      const grid = parsed[k].potential?.grid;
      if ((!s.unchanged || unextracted.has(s.id)) && grid) grids.set(s.id, grid);
    });
    parsed.length = 0;
    const extractJobId = grids.size ? await startExtraction(datasetId, [...grids.keys()], grids) : null;
    const result: UploadResult = { jobId: job.id, extractJobId, surfaces, skipped };
    await flush();
    await finishJob(job.id, result);
    return result;
  } catch (err) {
    await flush();
    const message = err instanceof Error ? err.message : String(err);
    await failJob(job.id, message);
    throw err;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Understand a set of files (uploaded to a temporary folder, or a folder on disk): check each one, group them into
 * surface folders and parse every surface. Files sent without a folder form a surface named `fallbackName`, or, when
 * that is empty, after the structure's comment line. Throws UploadError (4xx, naming the file) on the first problem.
 */
export async function understandFiles(
  files: ReceivedFile[],
  fallbackName: string,
  report: (fraction: number, message: string) => void,
): Promise<{ parsed: ParsedSurface[]; skipped: string[] }> {
  const empty = files.find((f) => f.bytes === 0);
  if (empty) throw new UploadError(422, 'empty_file', `${empty.path} is empty`, { file: empty.path });
  const received = new Map<string, ReceivedFile>(files.map((f) => [f.path, f]));
  const formats = await sniffReceivedFiles(files);
  const bundles = groupIntoSurfaces(
    files.map((f) => f.path),
    fallbackName,
    (p) => formats.get(p) ?? 'unknown',
  );
  const parsed: ParsedSurface[] = [];
  for (let i = 0; i < bundles.length; i++) {
    const share = (f: number, message: string) => report(((i + f) / bundles.length) * 0.9, message);
    share(0, `reading ${bundles[i].name}`);
    parsed.push(await parseSurfaceBundle(bundles[i], received, share));
  }
  const skipped = bundles.flatMap((b) => b.files.filter((f) => f.role === 'ignored').map((f) => f.path));
  return { parsed, skipped };
}


/**
 * Remove temporary folders left by uploads a killed server never finished: the contents of the app's own temp folder
 * (config.ts), and only when its marker file is there. EPDI_UPLOAD_TMP itself and anything else in it stay.
 */
export async function cleanUploadTemp(): Promise<void> {
  const root = uploadTempRoot();
  const entries = await readdir(root);
  if (!entries.includes(UPLOAD_TEMP_MARKER)) {
    console.warn(`epdi: ${root} has no ${UPLOAD_TEMP_MARKER} marker (not created by the app): not emptied`);
    return;
  }
  for (const name of entries) {
    if (name !== UPLOAD_TEMP_MARKER) await rm(path.join(root, name), { recursive: true, force: true });
  }
}
