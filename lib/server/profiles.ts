/**
 * Hop profiles, barriers, NEB comparisons and doping effects of a stored dataset, for the profiles API, the CSV/JSON
 * exports, the Profiles page and `epdi profiles --dataset`. This file only loads rows: the numbers come from the one
 * pipeline in lib/pipeline (the command line's folder mode calls the same functions), so every door gives the same
 * answer. Knot rules, hop definition and NEB matching are documented there.
 */
import { z } from 'zod';
import {
  assembleDatasetProfiles,
  DEFAULT_SAMPLES,
  resolveMuLi,
  type DatasetProfiles,
  type ModelView,
  type MuLiRecord,
} from '@/lib/pipeline';
import { db } from './db';
import { HttpError } from './http';
import { loadSurfaces, metaMuLi, pipelineSurface, safeJson } from './profiles-load';

export type * from '@/lib/pipeline/views';
export { DEFAULT_SAMPLES };

/** Query of the profiles endpoints: `?surfaces=id,id&model=<id>|none&samples=21`. */
export const profilesQuerySchema = z.object({
  surfaces: z
    .string()
    .max(1 << 20)
    .optional()
    .transform((v) =>
      v === undefined
        ? undefined
        : v
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
    ),
  /** A model id of the dataset; 'none' for DFT only; omitted = the dataset's latest model, if any. */
  model: z.string().trim().min(1).max(200).optional(),
  samples: z.coerce.number().int().min(2).max(1001).default(DEFAULT_SAMPLES),
});
export type ProfilesQuery = z.output<typeof profilesQuerySchema>;

/** Parse the query string of a profiles/export request (a ZodError becomes a 422 in `errorResponse`). */
export function parseProfilesQuery(url: URL): ProfilesQuery {
  const raw: Record<string, string> = {};
  for (const key of ['surfaces', 'model', 'samples']) {
    const v = url.searchParams.get(key);
    if (v !== null) raw[key] = v;
  }
  return profilesQuerySchema.parse(raw);
}

/** The mu_Li a surface's labels use: the dataset's when set, else its meta.json's (as lib/server/extraction.ts). */
export function effectiveMuLi(datasetMuEv: number | null, metaJson: string): number | null {
  return datasetMuEv ?? metaMuLi(metaJson).valueEv ?? null;
}

/** The dataset's one mu_Li record (lib/pipeline/mu-li.ts) from its row and its surfaces' meta.json. */
export async function datasetMuLi(datasetId: string): Promise<{ record: MuLiRecord; notes: string[] }> {
  const dataset = await db.dataset.findUnique({
    where: { id: datasetId },
    select: { muLiReference: true, muLiEv: true, muLiNote: true },
  });
  if (!dataset) throw new HttpError(404, 'no_dataset', `dataset ${datasetId} does not exist`);
  const surfaces = await db.surface.findMany({ where: { datasetId }, select: { name: true, metaJson: true } });
  return resolveMuLi(
    { kind: dataset.muLiReference, valueEv: dataset.muLiEv, note: dataset.muLiNote || null },
    surfaces.map((s) => ({ surface: s.name, ...metaMuLi(s.metaJson) })),
  );
}

/** Notes written by `switchMuLi` (Job rows of kind 'rereference'), oldest first. */
async function rereferenceNotes(datasetId: string): Promise<string[]> {
  const jobs = await db.job.findMany({
    where: { datasetId, kind: 'rereference', status: 'done' },
    orderBy: { createdAt: 'asc' },
    select: { message: true },
  });
  return jobs.map((j) => j.message);
}

async function resolveModel(datasetId: string, modelId: string | undefined): Promise<ModelView | null> {
  if (modelId === 'none') return null;
  const select = {
    id: true,
    name: true,
    backbone: true,
    head: true,
    createdAt: true,
    settingsJson: true,
    metricsJson: true,
    _count: { select: { predictions: true } },
  } as const;
  const row = modelId
    ? await db.model.findFirst({ where: { id: modelId, datasetId }, select })
    : await db.model.findFirst({ where: { datasetId }, orderBy: { createdAt: 'desc' }, select });
  if (!row) {
    if (modelId) throw new HttpError(404, 'no_model', `model ${modelId} does not belong to this dataset`);
    return null;
  }
  return {
    id: row.id,
    name: row.name,
    backbone: row.backbone,
    head: row.head,
    createdAt: row.createdAt.toISOString(),
    settings: safeJson(row.settingsJson),
    metrics: safeJson(row.metricsJson),
    predictions: row._count.predictions,
  };
}

/**
 * Assemble the profiles of a dataset (or of `query.surfaces`, ids or names of its surfaces). Throws HttpError 404
 * for an unknown dataset, surface or model.
 */
export async function assembleProfiles(
  datasetId: string,
  query: Partial<ProfilesQuery> = {},
): Promise<DatasetProfiles> {
  const dataset = await db.dataset.findUnique({
    where: { id: datasetId },
    select: { id: true, name: true, muLiReference: true, muLiEv: true, settingsJson: true },
  });
  if (!dataset) throw new HttpError(404, 'no_dataset', `dataset ${datasetId} does not exist`);
  const model = await resolveModel(datasetId, query.model);
  const { record, notes: muNotes } = await datasetMuLi(datasetId);

  // Filter in memory: an id list in the query would hit SQLite's bound-parameter limit on large datasets.
  let rows = await loadSurfaces(datasetId);
  const wanted = query.surfaces && query.surfaces.length > 0 ? new Set(query.surfaces) : null;
  if (wanted) {
    const found = new Set<string>();
    rows = rows.filter((r) => {
      const hit = wanted.has(r.id) || wanted.has(r.name);
      if (hit) found.add(wanted.has(r.id) ? r.id : r.name);
      return hit;
    });
    const missing = [...wanted].filter((w) => !found.has(w));
    if (missing.length) {
      throw new HttpError(
        404,
        'no_surface',
        `surface(s) ${missing.slice(0, 20).join(', ')}${missing.length > 20 ? ' ...' : ''} not in dataset ${dataset.name}`,
      );
    }
  }

  const predictions = new Map<string, { valueEv: number; sigmaEv: number | null }>();
  if (model) {
    const keep = wanted ? new Set(rows.map((r) => r.id)) : null;
    const preds = await db.prediction.findMany({
      where: { modelId: model.id },
      select: { siteId: true, valueEv: true, sigmaEv: true, site: { select: { surfaceId: true } } },
    });
    for (const p of preds) {
      if (!keep || keep.has(p.site.surfaceId)) predictions.set(p.siteId, { valueEv: p.valueEv, sigmaEv: p.sigmaEv });
    }
  }

  return assembleDatasetProfiles(
    {
      id: dataset.id,
      name: dataset.name,
      muLiReference: dataset.muLiReference,
      muLiEv: dataset.muLiEv,
      settings: safeJson(dataset.settingsJson),
    },
    rows.map((r) => pipelineSurface(r, record, predictions)),
    {
      muLi: record,
      model,
      samples: query.samples ?? DEFAULT_SAMPLES,
      notes: [...(await rereferenceNotes(datasetId)), ...muNotes],
    },
  );
}

/** The dataset's models (newest first) with their prediction counts, for a model picker. */
export async function modelChoices(
  datasetId: string,
): Promise<{ id: string; name: string; createdAt: string; predictions: number }[]> {
  const rows = await db.model.findMany({
    where: { datasetId },
    orderBy: { createdAt: 'desc' },
    select: { id: true, name: true, createdAt: true, _count: { select: { predictions: true } } },
  });
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    createdAt: r.createdAt.toISOString(),
    predictions: r._count.predictions,
  }));
}
