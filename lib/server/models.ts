/**
 * Trained models of a dataset: the zip from lib/ml's modelToZip stored with training-sites.csv added (the training
 * sites by the user's names, ./model-training-sites.ts; export returns the stored bytes), metadata columns for
 * listing, and predictions per site (replaced as a whole per model, ./model-predictions.ts; request schemas in
 * ./model-schemas.ts). Training happens in the browser (TrainingPanel) or, for closed-form models, in a Node job
 * (./train-server.ts `startServerTraining`).
 */
import { modelFromZip } from '@/lib/ml/persist';
import { MlError } from '@/lib/ml/errors';
import type { ModelSpec, ModelState } from '@/lib/ml/models';
import { db } from './db';
import { checkZip } from '@/lib/formats/zip-limits';
import { formatErrorMessage, isFormatError } from '@/lib/formats/errors';
import { checkJsonValue, HttpError } from './http';
import { MAX_NAME_LENGTH, modelZipLimits } from './limits';
import { datasetSitesAmong } from './model-predictions';
import { modelSpecSchema, type ModelMeta } from './model-schemas';
import { matchTrainingSites, withTrainingSites, type TrainingSiteMatch } from './model-training-sites';

// The schemas (./model-schemas.ts) and predictions (./model-predictions.ts) are re-exported for the model routes.
export { MODEL_TYPES, modelMetaSchema, modelSpecSchema, predictionsSchema, type ModelMeta, type PredictionInput } from './model-schemas';
export { listPredictions, replacePredictions } from './model-predictions';

export interface ModelView {
  id: string;
  datasetId: string;
  name: string;
  backbone: string;
  head: string;
  spec: unknown;
  backend: string | null;
  settings: Record<string, unknown>;
  metrics: Record<string, unknown>;
  trainingSiteCount: number;
  /** For an imported model: how its training sites were found in this dataset (null for models made here). */
  trainingSiteMatch: TrainingSiteMatch | null;
  predictions: number;
  bytes: number;
  createdAt: string;
}

const viewSelect = {
  id: true,
  datasetId: true,
  name: true,
  backbone: true,
  head: true,
  settingsJson: true,
  metricsJson: true,
  trainingSiteIdsJson: true,
  createdAt: true,
  _count: { select: { predictions: true } },
} as const;

type ViewRow = {
  id: string;
  datasetId: string;
  name: string;
  backbone: string;
  head: string;
  settingsJson: string;
  metricsJson: string;
  trainingSiteIdsJson: string;
  createdAt: Date;
  _count: { predictions: number };
};

function toView(row: ViewRow, bytes: number): ModelView {
  const settings = JSON.parse(row.settingsJson) as Record<string, unknown>;
  return {
    id: row.id,
    datasetId: row.datasetId,
    name: row.name,
    backbone: row.backbone,
    head: row.head,
    spec: settings.spec ?? null,
    backend: typeof settings.backend === 'string' ? settings.backend : null,
    settings,
    metrics: JSON.parse(row.metricsJson) as Record<string, unknown>,
    trainingSiteCount: (JSON.parse(row.trainingSiteIdsJson) as unknown[]).length,
    trainingSiteMatch: (settings.trainingSiteMatch as TrainingSiteMatch | undefined) ?? null,
    predictions: row._count.predictions,
    bytes,
    createdAt: row.createdAt.toISOString(),
  };
}

async function requireDataset(datasetId: string): Promise<void> {
  const d = await db.dataset.findUnique({ where: { id: datasetId }, select: { id: true } });
  if (!d) throw new HttpError(404, 'no_dataset', `dataset ${datasetId} does not exist`);
}

/**
 * Parse a model zip, mapping a bad file to 422 (413 past the limits). The zip's central directory is checked before
 * anything is inflated (issue 15: entry count, sizes, ratio, names; lib/formats/zip-limits.ts), and its metadata
 * for what JSON.stringify and the database cannot take (a non-string name, metrics nested too deep).
 */
export function readModelZip(bytes: Uint8Array): ModelState {
  try {
    checkZip(bytes, modelZipLimits(), 'model zip');
    const state = modelFromZip(bytes);
    if (state.name !== undefined && typeof state.name !== 'string') {
      throw new HttpError(422, 'bad_model_file', "meta.json's name is not a string");
    }
    checkJsonValue(state.metrics ?? null, "meta.json's metrics");
    return state;
  } catch (e) {
    if (isFormatError(e)) throw new HttpError(e.code === 'too_large' ? 413 : 422, 'bad_model_file', formatErrorMessage(e));
    if (e instanceof HttpError && e.status === 400) throw new HttpError(422, 'bad_model_file', e.message);
    // A model.json or meta.json of the wrong shape fails inside the reader as a TypeError or RangeError.
    if (e instanceof MlError || e instanceof SyntaxError || e instanceof TypeError || e instanceof RangeError) {
      throw new HttpError(422, 'bad_model_file', e.message);
    }
    throw e;
  }
}

/**
 * Store a model zip with its metadata. Training site ids must be sites of the dataset unless `checkSites` is off. The
 * stored zip gets training-sites.csv for the training sites that are sites of the dataset, unless it has one already.
 */
export async function createModel(
  datasetId: string,
  zip: Uint8Array,
  meta: ModelMeta,
  opts: { checkSites?: boolean } = {},
): Promise<ModelView> {
  await requireDataset(datasetId);
  if (meta.name.length > MAX_NAME_LENGTH) {
    throw new HttpError(422, 'name_too_long', `a model name has at most ${MAX_NAME_LENGTH} characters`);
  }
  const state = readModelZip(zip);
  const spec = meta.spec as ModelSpec;
  if (state.spec?.type !== spec.type)
    throw new HttpError(
      422,
      'spec_mismatch',
      `metadata says ${spec.type} but the zip holds a ${state.spec?.type} model`,
    );
  if (opts.checkSites !== false && meta.trainingSiteIds.length) {
    const distinct = new Set(meta.trainingSiteIds);
    const found = await datasetSitesAmong(datasetId, distinct);
    if (found.size !== distinct.size)
      throw new HttpError(
        422,
        'unknown_sites',
        `${distinct.size - found.size} training site ids are not sites of this dataset`,
      );
  }
  const stored = await withTrainingSites(datasetId, zip, meta.trainingSiteIds);
  const row = await db.model.create({
    data: {
      datasetId,
      name: meta.name,
      backbone: 'backbone' in spec && spec.backbone ? spec.backbone : 'none',
      head: spec.type,
      settingsJson: JSON.stringify({
        ...meta.settings,
        spec,
        backend: meta.backend ?? null,
        imageSettings: state.imageSettings,
      }),
      metricsJson: JSON.stringify(meta.metrics),
      trainingSiteIdsJson: JSON.stringify(meta.trainingSiteIds),
      artefacts: new Uint8Array(stored),
    },
    select: viewSelect,
  });
  return toView(row, stored.byteLength);
}

/**
 * Import a zip exported earlier (from this or another app): its meta.json supplies name, spec, metrics, training ids.
 * The training sites are found in this dataset by id, else by (surface, site name) from the zip's training-sites.csv
 * (./model-training-sites.ts); the model stores the ids found here in place of the zip's, and the match by key.
 */
export async function importModel(
  datasetId: string,
  zip: Uint8Array,
  name?: string,
): Promise<ModelView & { matchedTrainingSites: number; trainingSiteMatch: TrainingSiteMatch }> {
  await requireDataset(datasetId);
  const state = readModelZip(zip);
  const spec = modelSpecSchema.safeParse(state.spec);
  if (!spec.success)
    throw new HttpError(422, 'bad_model_file', `meta.json has an unknown model spec: ${spec.error.issues[0]?.message}`);
  const ids = Array.isArray(state.trainIds) ? state.trainIds.filter((x): x is string => typeof x === 'string') : [];
  const { match, siteIds } = await matchTrainingSites(datasetId, zip, ids);
  const metrics = (state.metrics ?? {}) as Record<string, unknown>;
  const view = await createModel(
    datasetId,
    zip,
    {
      name: name?.trim() || state.name || spec.data.type,
      spec: spec.data,
      metrics,
      trainingSiteIds: siteIds,
      backend: typeof metrics.backend === 'string' ? metrics.backend : undefined,
      settings: { imported: true, trainingSiteMatch: match },
    },
    { checkSites: false },
  );
  return { ...view, matchedTrainingSites: match.byId + match.byName + match.byAppSite, trainingSiteMatch: match };
}

export async function listModels(datasetId: string): Promise<ModelView[]> {
  await requireDataset(datasetId);
  const rows = await db.model.findMany({ where: { datasetId }, orderBy: { createdAt: 'desc' }, select: viewSelect });
  const sizes = await db.$queryRaw<
    { id: string; n: number | bigint | null }[]
  >`SELECT id, length(artefacts) AS n FROM Model WHERE datasetId = ${datasetId}`;
  const size = new Map(sizes.map((s) => [s.id, Number(s.n ?? 0)]));
  return rows.map((r) => toView(r, size.get(r.id) ?? 0));
}

export async function getModel(id: string): Promise<ModelView> {
  const row = await db.model.findUnique({ where: { id }, select: { ...viewSelect, artefacts: true } });
  if (!row) throw new HttpError(404, 'no_model', `model ${id} does not exist`);
  return toView(row, row.artefacts?.byteLength ?? 0);
}

/**
 * The stored zip, byte for byte, with a file name for downloads. A zip stored before models carried
 * training-sites.csv gets it here, from the model's training ids.
 */
export async function modelZip(id: string): Promise<{ bytes: Uint8Array; fileName: string }> {
  const row = await db.model.findUnique({
    where: { id },
    select: { name: true, datasetId: true, trainingSiteIdsJson: true, artefacts: true },
  });
  if (!row) throw new HttpError(404, 'no_model', `model ${id} does not exist`);
  if (!row.artefacts) throw new HttpError(404, 'no_artefacts', `model ${id} has no stored artefacts`);
  const slug = row.name.replace(/[^A-Za-z0-9._+-]+/g, '_').replace(/^_+|_+$/g, '') || 'model';
  const ids = (JSON.parse(row.trainingSiteIdsJson) as unknown[]).filter((x): x is string => typeof x === 'string');
  const bytes = await withTrainingSites(row.datasetId, new Uint8Array(row.artefacts), ids);
  return { bytes, fileName: `${slug}.zip` };
}

export async function deleteModel(id: string): Promise<void> {
  const { count } = await db.model.deleteMany({ where: { id } });
  if (count === 0) throw new HttpError(404, 'no_model', `model ${id} does not exist`);
}
