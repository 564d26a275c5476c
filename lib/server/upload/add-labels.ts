import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Structure } from '@/lib/structure/structure';
import { db } from '../db';
import { startExtraction } from '../extraction';
import { createJob, failJob, finishJob, progressReporter } from '../jobs';
import { classifyLabelFiles, type BundleFile } from './bundle';
import { maxFileBytes, uploadTempRoot } from './config';
import { UploadError } from './errors';
import { parseLabelFiles, type ParsedLabels } from './parse-labels';
import type { ParsedSurface, RawLabel } from './parse-surface';
import { receiveMultipart, type ReceivedFile } from './receive';
import { sniffReceivedFiles } from './sniff-files';

export interface AddLabelsResult {
  jobId: string;
  surfaceId: string;
  /** Names of the labels appended to the surface. */
  labelsAdded: string[];
  /** Names of the NEB runs stored for the surface. */
  nebRunsAdded: string[];
  /** Labels and NEB runs sent again exactly as they are stored: left as they are. */
  alreadyStored: string[];
  /** Files accepted but not used (the surface's own POSCAR, LOCPOT, meta.json; INCAR, ...). */
  skipped: string[];
  /** The job re-extracting the surface so the new labels are matched to its sites (null when nothing changed or the
   *  surface has no potential grid). */
  extractJobId: string | null;
}

type StoredNeb = { name: string; imagesJson: string };

const close = (a: number | undefined, b: number | undefined): boolean =>
  a === b || (a !== undefined && b !== undefined && Math.abs(a - b) <= 1e-9);

function sameLabel(a: RawLabel, b: RawLabel): boolean {
  return (
    a.kind === b.kind &&
    a.source === b.source &&
    a.position.every((v, k) => close(v, b.position[k])) &&
    close(a.eTotalEv, b.eTotalEv) &&
    close(a.eBindingEv, b.eBindingEv)
  );
}

const at = (l: RawLabel): string => `${l.file}${l.line !== undefined ? ` line ${l.line}` : ''}`;

/**
 * What adding `parsed` to a surface that already holds `stored` labels and `nebs` runs changes: new labels and runs
 * are appended; one sent again unchanged (same name and values) is left as it is, so re-sending a folder that gained
 * a few labels adds just those; the same name with other values is a 409 naming the file and line.
 */
export function planAdditions(
  stored: RawLabel[],
  nebs: StoredNeb[],
  parsed: ParsedLabels,
): { labels: RawLabel[]; nebRuns: ParsedLabels['nebRuns']; alreadyStored: string[] } {
  const byName = new Map(stored.map((l) => [l.site, l]));
  const labels: RawLabel[] = [];
  const alreadyStored: string[] = [];
  for (const l of parsed.labels) {
    const before = byName.get(l.site);
    if (!before) labels.push(l);
    else if (sameLabel(before, l)) alreadyStored.push(l.site);
    else {
      throw new UploadError(
        409,
        'label_exists',
        `${at(l)}: the surface already has a label '${l.site}' (from ${at(before)}) with other values; ` +
          'rename the new one or upload the surface again',
        { file: l.file, line: l.line },
      );
    }
  }
  const runs = new Map(nebs.map((n) => [n.name, n.imagesJson]));
  const nebRuns: ParsedLabels['nebRuns'] = [];
  for (const run of parsed.nebRuns) {
    const before = runs.get(run.name);
    if (before === undefined) nebRuns.push(run);
    else if (before === JSON.stringify(run.images)) alreadyStored.push(`neb/${run.name}`);
    else {
      throw new UploadError(
        409,
        'neb_exists',
        `the surface already has an NEB run '${run.name}' with other images; rename the folder of the new one`,
        { file: `neb/${run.name}` },
      );
    }
  }
  return { labels, nebRuns, alreadyStored };
}

/**
 * Add labels (labels.csv, sites/<name>/ runs, NEB folders) to a stored surface, from a multipart body streamed to a
 * temporary folder. The files are read by the surface upload's own readers and checked against the surface's sites
 * (./parse-labels.ts); the labels and NEB runs are appended in ONE transaction (a bad file: 4xx naming it, nothing
 * stored); then the surface is re-extracted (../extraction.ts) so its labels are matched to sites in one place.
 * Progress goes to a job (id chosen by the client when given).
 */
export async function addLabelsToSurface(
  surfaceId: string,
  body: ReadableStream<Uint8Array>,
  contentType: string,
  opts: { jobId?: string } = {},
): Promise<AddLabelsResult> {
  const surface = await db.surface.findUnique({
    where: { id: surfaceId },
    select: { id: true, name: true, datasetId: true, structureJson: true, _count: { select: { grids: true } } },
  });
  if (!surface) throw new UploadError(404, 'no_surface', `surface ${surfaceId} does not exist`);
  if (opts.jobId && (await db.job.findUnique({ where: { id: opts.jobId }, select: { id: true } }))) {
    throw new UploadError(409, 'job_exists', `job ${opts.jobId} already exists: use a new id for each upload`);
  }
  const job = await createJob('add-labels', { id: opts.jobId, datasetId: surface.datasetId, input: { surfaceId } });
  const { report, flush } = progressReporter(job.id);
  const dir = path.join(uploadTempRoot(), randomUUID());
  try {
    report(0, 'receiving files');
    const { files } = await receiveMultipart(body, contentType, dir, maxFileBytes());
    const empty = files.find((f) => f.bytes === 0);
    if (empty) throw new UploadError(422, 'empty_file', `${empty.path} is empty`, { file: empty.path });
    report(0.3, 'reading the label files');
    const formats = await sniffReceivedFiles(files);
    const classified = classifyLabelFiles(
      files.map((f) => f.path),
      (p) => formats.get(p) ?? 'unknown',
    );
    const used = classified.filter((f) => f.role !== 'ignored');
    if (used.length === 0) {
      throw new UploadError(
        422,
        'no_labels',
        'nothing to add: send labels.csv, sites/<name>/ (CONTCAR + OUTCAR) or NEB folders 00..NN',
        { file: files[0].path },
      );
    }
    const received = new Map<string, ReceivedFile>(files.map((f) => [f.path, f]));
    const structure = JSON.parse(surface.structureJson) as Structure;
    const parsed = await parseLabelFiles(used, (f) => received.get(f.path)!, structure);
    report(0.8, 'storing');
    const plan = await storeAdditions(surfaceId, parsed, sourceEntries(used, received));
    const changed = plan.labels.length + plan.nebRuns.length > 0;
    const extractJobId =
      changed && surface._count.grids > 0 ? await startExtraction(surface.datasetId, [surfaceId]) : null;
    const result: AddLabelsResult = {
      jobId: job.id,
      surfaceId,
      labelsAdded: plan.labels.map((l) => l.site),
      nebRunsAdded: plan.nebRuns.map((n) => n.name),
      alreadyStored: plan.alreadyStored,
      skipped: classified.filter((f) => f.role === 'ignored').map((f) => f.path),
      extractJobId,
    };
    await flush();
    await finishJob(job.id, result);
    return result;
  } catch (err) {
    await flush();
    await failJob(job.id, err instanceof Error ? err.message : String(err));
    throw err;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function sourceEntries(used: BundleFile[], received: Map<string, ReceivedFile>): ParsedSurface['sourceFiles'] {
  return used.map((f) => {
    const r = received.get(f.path)!;
    return { path: f.path, bytes: r.bytes, sha256: r.sha256, role: f.role };
  });
}

/** Append in one transaction, reading the stored labels inside it so two concurrent additions cannot lose one. */
async function storeAdditions(
  surfaceId: string,
  parsed: ParsedLabels,
  sources: ParsedSurface['sourceFiles'],
): Promise<ReturnType<typeof planAdditions>> {
  return db.$transaction(
    async (tx) => {
      const row = await tx.surface.findUnique({
        where: { id: surfaceId },
        select: { labelsJson: true, sourceFilesJson: true, nebRuns: { select: { name: true, imagesJson: true } } },
      });
      if (!row) throw new UploadError(404, 'no_surface', `surface ${surfaceId} does not exist`);
      const stored = JSON.parse(row.labelsJson) as RawLabel[];
      const plan = planAdditions(stored, row.nebRuns, parsed);
      if (plan.labels.length + plan.nebRuns.length === 0) return plan;
      const before = JSON.parse(row.sourceFilesJson) as ParsedSurface['sourceFiles'];
      await tx.surface.update({
        where: { id: surfaceId },
        data: {
          labelsJson: JSON.stringify([...stored, ...plan.labels]),
          sourceFilesJson: JSON.stringify([...before, ...sources]),
        },
      });
      for (const neb of plan.nebRuns) {
        await tx.nebRun.create({ data: { surfaceId, name: neb.name, imagesJson: JSON.stringify(neb.images) } });
      }
      return plan;
    },
    { timeout: 5 * 60_000, maxWait: 60_000 },
  );
}
