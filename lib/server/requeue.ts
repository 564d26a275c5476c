import { db } from './db';
import { startExtraction } from './extraction';

/**
 * Extraction that never finished (issue 15): a server killed mid-extraction, or an extraction job that failed, leaves
 * a surface with a potential grid and no stored extraction. Start-up re-queues those; a re-upload of the same files
 * extracts them again instead of answering "unchanged" with no job.
 */

/** Of `surfaceIds`, those with a potential grid and no stored extraction. */
export async function surfacesNeedingExtraction(surfaceIds: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  // Chunked: SQLite binds at most ~32k parameters per statement.
  for (let i = 0; i < surfaceIds.length; i += 500) {
    const rows = await db.surface.findMany({
      where: { id: { in: surfaceIds.slice(i, i + 500) }, extractionJson: null, grids: { some: { kind: 'potential' } } },
      select: { id: true },
    });
    for (const r of rows) out.add(r.id);
  }
  return out;
}

/** The error start-up recovery gives jobs a stopped server left running (jobs.ts failInterruptedJobs). */
const INTERRUPTED = 'interrupted:';

/**
 * Start-up: queue one extraction job per dataset for every surface left without an extraction whose last extraction
 * job was interrupted by the server stopping (or never started). A surface whose extraction failed on its own data is
 * not retried at every start: the surface page's "Extract again" does that. Returns the number of surfaces queued.
 * Runs after start-up recovery has marked the interrupted jobs failed.
 */
export async function requeueInterruptedExtractions(): Promise<number> {
  const rows = await db.surface.findMany({
    where: { extractionJson: null, grids: { some: { kind: 'potential' } } },
    select: { id: true, datasetId: true },
    orderBy: { createdAt: 'asc' },
  });
  if (rows.length === 0) return 0;
  const jobs = await db.job.findMany({
    where: { kind: 'extract', datasetId: { in: [...new Set(rows.map((r) => r.datasetId))] } },
    select: { inputJson: true, status: true, error: true },
    orderBy: { createdAt: 'asc' },
  });
  const last = new Map<string, { status: string; error: string | null }>();
  for (const job of jobs) {
    let ids: unknown;
    try {
      ids = (JSON.parse(job.inputJson) as { surfaceIds?: unknown }).surfaceIds;
    } catch {
      continue;
    }
    if (Array.isArray(ids)) for (const id of ids) if (typeof id === 'string') last.set(id, job);
  }
  const byDataset = new Map<string, string[]>();
  let queued = 0;
  for (const r of rows) {
    const job = last.get(r.id);
    if (job && !(job.status === 'failed' && job.error?.startsWith(INTERRUPTED))) continue;
    byDataset.set(r.datasetId, [...(byDataset.get(r.datasetId) ?? []), r.id]);
    queued++;
  }
  for (const [datasetId, ids] of byDataset) await startExtraction(datasetId, ids);
  if (queued > 0)
    console.log(`epdi: re-queued extraction of ${queued} surface(s) left unextracted by a stopped server`);
  return queued;
}
