/**
 * Import a campaign's results: judge every calculation against the manifest stored at export (lib/campaign
 * assessResults), then store the ready ones through the upload's own path (addLabelsToSurface: the same readers, site
 * check, one transaction per request, same-name-same-values left as they are, re-extraction), one request per surface.
 * When a surface's request is refused, its calculations are sent one by one so the report names the bad one.
 * Idempotent: a second import finds everything already stored and changes nothing.
 */
import {
  assessResults,
  labelsCsv,
  parseManifest,
  type CalculationResult,
  type Manifest,
  type ResultStatus,
} from '@/lib/campaign';
import { db } from '../db';
import { HttpError } from '../http';
import { addLabelsToSurface, type AddLabelsResult } from '../upload/add-labels';
import { UploadError } from '../upload/errors';
import { barrierSnapshot, retrainAndCompare, type RetrainReport } from './retrain';

export type ImportStatus = ResultStatus | 'stored' | 'already-stored' | 'refused';

export interface CalculationReport {
  id: string;
  surface: string;
  kind: 'relax' | 'neb';
  labelName: string;
  status: ImportStatus;
  message: string;
  energyEv: number | null;
  notes: string[];
}

export interface ImportReport {
  campaignId: string;
  status: string;
  returned: number;
  total: number;
  calculations: CalculationReport[];
  /** Extraction jobs started by the uploads (finished when the import returns). */
  extractJobIds: string[];
  /** With `retrain`: the default model retrained and how each hop's barriers and sigmas moved. */
  retrain?: RetrainReport;
}

const STORED: ReadonlySet<ImportStatus> = new Set(['stored', 'already-stored']);

async function waitForJob(jobId: string): Promise<void> {
  for (;;) {
    const job = await db.job.findUnique({ where: { id: jobId }, select: { status: true, error: true } });
    if (!job || job.status === 'done') return;
    if (job.status === 'failed') throw new Error(`extraction job ${jobId} failed: ${job.error}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function upload(surfaceId: string, results: CalculationResult[]): Promise<AddLabelsResult> {
  const form = new FormData();
  const csv = labelsCsv(results);
  if (csv) form.append('file', new Blob([csv]), encodeURIComponent('labels.csv'));
  for (const r of results) {
    for (const [p, bytes] of r.files)
      form.append('file', new Blob([bytes as Uint8Array<ArrayBuffer>]), encodeURIComponent(p));
  }
  const req = new Request('http://campaign.import/', { method: 'POST', body: form });
  return addLabelsToSurface(surfaceId, req.body!, req.headers.get('content-type') ?? '');
}

function outcome(
  calc: Manifest['calculations'][number],
  res: AddLabelsResult,
): { status: ImportStatus; message: string } {
  const added = new Set([...res.labelsAdded, ...res.nebRunsAdded]);
  const already = new Set(res.alreadyStored);
  const keys = calc.kind === 'neb' ? [calc.nebName!] : [calc.labelName];
  const alreadyKeys = calc.kind === 'neb' ? [`neb/${calc.nebName}`] : [calc.labelName];
  if (keys.some((k) => added.has(k))) return { status: 'stored', message: 'stored' };
  if (alreadyKeys.some((k) => already.has(k)))
    return { status: 'already-stored', message: 'already stored: left as it is' };
  return { status: 'refused', message: 'the upload took none of its files' };
}

/**
 * Import `files` (paths relative to the campaign folder, with its manifest.json) into the campaign they belong to, or
 * into `campaignId` when given (results of another campaign are then refused, calculation by calculation).
 */
export async function importCampaignResults(
  files: ReadonlyMap<string, Uint8Array>,
  opts: { campaignId?: string; retrain?: boolean } = {},
): Promise<ImportReport> {
  const sent = files.get('manifest.json');
  if (!sent) throw new HttpError(422, 'no_manifest', 'no manifest.json: not a campaign folder or results archive');
  let sentManifest: Manifest;
  try {
    sentManifest = parseManifest(new TextDecoder().decode(sent));
  } catch (err) {
    throw new HttpError(422, 'bad_manifest', err instanceof Error ? err.message : String(err));
  }
  const campaignId = opts.campaignId ?? sentManifest.id;
  const row = await db.campaign.findUnique({ where: { id: campaignId } });
  if (!row) throw new HttpError(404, 'no_campaign', `campaign ${campaignId} is not in this database`);
  const manifest = parseManifest(row.manifestJson);
  const before = new Map((JSON.parse(row.resultsJson) as CalculationReport[]).map((r) => [r.id, r]));
  const barriersBefore = opts.retrain ? await barrierSnapshot(row.datasetId) : null;

  const judged: CalculationResult[] =
    sentManifest.id === manifest.id
      ? await assessResults(manifest, files)
      : manifest.calculations.map((c) => ({
          id: c.id,
          status: 'foreign' as const,
          message: `these are the results of campaign ${sentManifest.id}, not ${manifest.id}: refused`,
          energyEv: null,
          files: [],
          labelRows: [],
          notes: [],
        }));
  const byId = new Map(manifest.calculations.map((c) => [c.id, c]));
  const reports = new Map<string, CalculationReport>();
  for (const r of judged) {
    const c = byId.get(r.id)!;
    reports.set(r.id, {
      id: r.id,
      surface: c.surface.name,
      kind: c.kind,
      labelName: c.labelName,
      status: r.status,
      message: r.message,
      energyEv: r.energyEv,
      notes: r.notes,
    });
  }

  const extractJobIds: string[] = [];
  const bySurface = new Map<string, CalculationResult[]>();
  for (const r of judged.filter((x) => x.status === 'ready')) {
    const sid = byId.get(r.id)!.surface.id;
    bySurface.set(sid, [...(bySurface.get(sid) ?? []), r]);
  }
  for (const [surfaceId, group] of bySurface) {
    const attempts = [group];
    while (attempts.length) {
      const batch = attempts.shift()!;
      try {
        const res = await upload(surfaceId, batch);
        if (res.extractJobId) {
          extractJobIds.push(res.extractJobId);
          await waitForJob(res.extractJobId);
        }
        for (const r of batch) {
          const o = outcome(byId.get(r.id)!, res);
          const rep = reports.get(r.id)!;
          rep.status = o.status;
          rep.message = o.status === 'refused' ? o.message : `${o.message}: ${rep.message}`;
        }
      } catch (err) {
        if (!(err instanceof UploadError)) throw err;
        if (batch.length > 1) attempts.push(...batch.map((r) => [r]));
        else {
          const rep = reports.get(batch[0].id)!;
          rep.status = 'refused';
          rep.message = `the upload refused it (${err.status} ${err.code}): ${err.message}`;
        }
      }
    }
  }

  // The campaign's state: a calculation stored by an earlier import stays stored whatever this import brings.
  const now = manifest.calculations.map((c) => reports.get(c.id)!);
  const state = now.map((r) => {
    const prev = before.get(r.id);
    return prev && STORED.has(prev.status) && !STORED.has(r.status) ? prev : r;
  });
  const returned = state.filter((c) => STORED.has(c.status)).length;
  const status = returned === 0 ? 'exported' : returned < state.length ? 'partly returned' : 'complete';
  await db.campaign.update({
    where: { id: campaignId },
    data: { returned, status, resultsJson: JSON.stringify(state) },
  });
  const report: ImportReport = { campaignId, status, returned, total: state.length, calculations: now, extractJobIds };
  if (barriersBefore) {
    const stored = now.filter((c) => c.status === 'stored').length;
    report.retrain = await retrainAndCompare(row.datasetId, barriersBefore, stored);
  }
  return report;
}

/** Campaigns of a dataset (or all), newest first, for the campaigns page. */
export async function listCampaigns(datasetId?: string): Promise<
  {
    id: string;
    dataset: { id: string; name: string };
    engine: string;
    status: string;
    total: number;
    returned: number;
    createdAt: string;
    updatedAt: string;
    selection: string;
    results: CalculationReport[];
  }[]
> {
  const rows = await db.campaign.findMany({
    where: datasetId ? { datasetId } : {},
    orderBy: { createdAt: 'desc' },
    select: {
      id: true,
      engine: true,
      status: true,
      total: true,
      returned: true,
      createdAt: true,
      updatedAt: true,
      manifestJson: true,
      resultsJson: true,
      dataset: { select: { id: true, name: true } },
    },
  });
  return rows.map((r) => ({
    id: r.id,
    dataset: r.dataset,
    engine: r.engine,
    status: r.status,
    total: r.total,
    returned: r.returned,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    selection: (JSON.parse(r.manifestJson) as { selection?: string }).selection ?? '',
    results: JSON.parse(r.resultsJson) as CalculationReport[],
  }));
}
