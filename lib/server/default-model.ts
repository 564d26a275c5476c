/**
 * The dataset's default model, fitted on all labels and stored with its predictions for every unlabelled site.
 * Candidates: every closed-form model, plain and anchored on the end minima, and the site-relative models built for
 * surfaces nobody has computed (lib/ml/site-relative-model.ts). How it is chosen depends on what it must predict:
 *
 * - With at least MIN_NEW_SURFACE labelled surfaces, the default must also predict surfaces without labels (a new
 *   dopant or host uploaded next), so candidates are compared by leave one surface out (k = 0) on the directed
 *   barriers of the held-out surface (lib/ml/new-surface.ts, the same scoring as `epdi evaluate --protocol loso`); at
 *   most MAX_SELECTION_SURFACES test surfaces, drawn with SELECTION_SEED, keep this bounded on large datasets.
 * - Otherwise on the paper splits (all minima + 33% of saddles in training), by held-out saddle MAE.
 *
 * The choice is made with its own seed (SELECTION_SEED), not on the seed-1 splits whose MAE the stored model reports.
 * `npm run demo` runs this after seeding, so the demo opens with predicted profiles for every hop.
 */
import { parseEpdiBatch, samplesFromBatch } from '@/lib/ml/batch';
import { compareModels, type Protocol } from '@/lib/ml/evaluate';
import { datasetRangeEv } from '@/lib/ml/image';
import { modelName, type ModelSpec } from '@/lib/ml/models';
import { evaluateNewSurface } from '@/lib/ml/new-surface';
import { deriveSeed, mulberry32, shuffled } from '@/lib/ml/rng';
import { isLabelled } from '@/lib/ml/types';
import { db } from './db';
import { epdiBatch } from './epdi-batch';
import { HttpError } from './http';
import { startJob } from './jobs';
import { loadNewSurfaceData } from './new-surface-server';
import { trainAndStore, type TrainServerResult } from './train-server';

const PLAIN: ModelSpec[] = [
  { type: 'mean' },
  { type: 'mep-linear' },
  { type: 'pixel-ridge' },
  { type: 'descriptor-gp' },
];
export const DEFAULT_CANDIDATES: ModelSpec[] = [
  ...PLAIN,
  ...PLAIN.map((s): ModelSpec => ({ ...s, anchor: 'endpoints' })),
  { type: 'site-relative', groups: ['kind', 'host', 'potential'] },
  { type: 'site-relative', groups: ['kind', 'host', 'potential', 'geometry'] },
];
const MIN_NEW_SURFACE = 3;
const MAX_SELECTION_SURFACES = 12;

const SELECTION = { kind: 'paper', fraction: 0.33, repeats: 10 } satisfies Protocol;
const DEFAULT_SUFFIX = '(default: lowest held-out MAE)';
/** Seed of the selection splits; the stored model's own comparison uses seed 1. */
export const SELECTION_SEED = 1001;

export async function trainDefaultModel(
  datasetId: string,
  report: (fraction: number, message: string) => void = () => {},
): Promise<(TrainServerResult & { chosenBy: Choice['by']; chosenFrom: { model: string; maeEv: number }[] }) | null> {
  const batch = parseEpdiBatch(await epdiBatch(datasetId));
  const samples = samplesFromBatch(batch);
  const saddles = samples.filter((s) => s.isSaddle && s.eBindingEv !== undefined).length;
  if (saddles < 3) return null;
  const ctx = { imageSettings: { rangeEv: batch.header.rangeEv ?? datasetRangeEv(samples) }, seed: SELECTION_SEED };
  const surfaces = new Set(samples.filter(isLabelled).map((s) => s.surfaceId));
  const choice =
    surfaces.size >= MIN_NEW_SURFACE
      ? await chooseOnNewSurfaces(datasetId, report)
      : await chooseOnPaperSplits(samples, ctx, report);
  if (!choice) return null;
  const started = new Date();
  const result = await trainAndStore(
    datasetId,
    { spec: choice.spec as never, seed: 1, protocol: SELECTION, name: `${modelName(choice.spec)} ${DEFAULT_SUFFIX}` },
    (f, m) => report(0.3 + 0.7 * f, m),
    { replacing: true },
  );
  // The new default replaces the earlier ones (with their predictions); models the user trained stay. A filter, not
  // an id list, so it stays one bounded query however many defaults piled up.
  await db.model.deleteMany({
    where: { datasetId, name: { endsWith: DEFAULT_SUFFIX }, id: { not: result.modelId }, createdAt: { lte: started } },
  });
  return { ...result, chosenBy: choice.by, chosenFrom: choice.scores };
}

/**
 * Choose and store the dataset's default model as a job (the training panel's "Choose the default model"); it is
 * refitted after every later extraction. 404 without the dataset, 422 with fewer than 3 labelled saddles; while the
 * dataset already has such a job waiting or running, that job's id.
 */
export async function startDefaultModel(datasetId: string): Promise<string> {
  const dataset = await db.dataset.findUnique({ where: { id: datasetId }, select: { id: true } });
  if (!dataset) throw new HttpError(404, 'no_dataset', `dataset ${datasetId} does not exist`);
  const saddles = await db.site.count({
    where: { surface: { datasetId }, kind: 'bridge', epdi: { not: null }, labels: { some: { eBindingEv: { not: null } } } },
  });
  if (saddles < 3)
    throw new HttpError(422, 'not_enough_data', `a default model needs at least 3 labelled saddles with EPDIs, found ${saddles}`);
  // One choice per dataset at a time: a second request while one waits or runs gets that job, so repeated clicks (or
  // a client in a loop) cannot pile CPU-bound model selections up in front of everyone's uploads.
  const pending = await db.job.findFirst({
    where: { datasetId, kind: 'default-model', status: { in: ['queued', 'running'] } },
    select: { id: true },
  });
  if (pending) return pending.id;
  return startJob('default-model', { datasetId }, async (report) => {
    const result = await trainDefaultModel(datasetId, report);
    if (!result) throw new Error('fewer than 3 labelled saddles: no default model');
    return result;
  });
}

/**
 * After the dataset changed (a surface uploaded or re-extracted, labels added): refit the default model, same model,
 * on the current labels, so new sites (a new dopant's whole surface) get predictions at once. The choice itself is
 * not remade (that is `trainDefaultModel`, e.g. after a campaign import with "retrain"). Returns null when the dataset
 * has no default model or too few labels.
 */
export async function refreshDefaultModel(
  datasetId: string,
  report: (fraction: number, message: string) => void = () => {},
): Promise<TrainServerResult | null> {
  const current = await db.model.findFirst({
    where: { datasetId, name: { endsWith: DEFAULT_SUFFIX } },
    orderBy: { createdAt: 'desc' },
    select: { settingsJson: true },
  });
  if (!current) return null;
  const spec = (JSON.parse(current.settingsJson) as { spec?: ModelSpec }).spec;
  if (!spec || !DEFAULT_CANDIDATES.some((c) => modelName(c) === modelName(spec))) return null;
  const labelled = await db.site.count({
    where: { surface: { datasetId }, epdi: { not: null }, labels: { some: { eBindingEv: { not: null } } } },
  });
  if (labelled < 3) return null;
  const started = new Date();
  let result: TrainServerResult;
  for (let attempt = 1; ; attempt++) {
    const stamp = await sitesStamp(datasetId);
    try {
      result = await trainAndStore(
        datasetId,
        { spec: spec as never, seed: 1, protocol: SELECTION, name: `${modelName(spec)} ${DEFAULT_SUFFIX}` },
        report,
        { replacing: true },
      );
      break;
    } catch (e) {
      // Another extraction of this dataset replaced sites while this fit ran (two upload jobs at once): the fit's
      // training sites are gone, so it fails; fit again on the current sites rather than report a failed refit.
      if (attempt >= MAX_REFRESH_ATTEMPTS || (await sitesStamp(datasetId)) === stamp) throw e;
      report(0, 'the dataset changed during the refit; refitting on its current sites');
    }
  }
  await db.model.deleteMany({
    where: { datasetId, name: { endsWith: DEFAULT_SUFFIX }, id: { not: result.modelId }, createdAt: { lte: started } },
  });
  return result;
}

const MAX_REFRESH_ATTEMPTS = 3;

/** Changes whenever sites of the dataset are replaced or removed: their count and newest id (cuids increase). */
async function sitesStamp(datasetId: string): Promise<string> {
  const a = await db.site.aggregate({ where: { surface: { datasetId } }, _count: { _all: true }, _max: { id: true } });
  return `${a._count._all}:${a._max.id ?? ''}`;
}

interface Choice {
  spec: ModelSpec;
  by: 'paper split: held-out saddle MAE' | 'leave one surface out: directed-barrier MAE';
  scores: { model: string; maeEv: number }[];
}

async function chooseOnPaperSplits(
  samples: Parameters<typeof compareModels>[1],
  ctx: Parameters<typeof compareModels>[3],
  report: (fraction: number, message: string) => void,
): Promise<Choice | null> {
  report(0.05, `choosing among ${DEFAULT_CANDIDATES.length} models on held-out saddles`);
  const table = await compareModels(DEFAULT_CANDIDATES, samples, SELECTION, ctx);
  const best = table.results.find((r) => r.model === table.best);
  if (!best) return null;
  return {
    spec: best.spec,
    by: 'paper split: held-out saddle MAE',
    scores: table.results.map((r) => ({ model: r.model, maeEv: r.maeEv.mean })),
  };
}

/**
 * Each candidate's directed-barrier MAE pooled over held-out surfaces (trained on all the others, k = 0). Ties keep
 * the earlier candidate. A candidate that fails on a split (e.g. too few labels) is not chosen.
 */
async function chooseOnNewSurfaces(
  datasetId: string,
  report: (fraction: number, message: string) => void,
): Promise<Choice | null> {
  const { samples, surfaces } = await loadNewSurfaceData(datasetId);
  const labelled = [...new Set(samples.filter(isLabelled).map((s) => s.surfaceId))].sort();
  const tests = shuffled(labelled, mulberry32(deriveSeed(SELECTION_SEED, 'default-model'))).slice(0, MAX_SELECTION_SURFACES);
  const errors = new Map<string, number[]>(DEFAULT_CANDIDATES.map((c) => [modelName(c), []]));
  const failed = new Set<string>();
  for (const [k, test] of tests.entries()) {
    report(0.05 + (0.2 * k) / tests.length, `choosing among ${DEFAULT_CANDIDATES.length} models: without ${test}`);
    const protocol = { kind: 'train-test', train: labelled.filter((s) => s !== test), test: [test] } as const;
    const r = await evaluateNewSurface(DEFAULT_CANDIDATES, samples, surfaces, protocol, { imageSettings: { rangeEv: [0, 1] }, seed: SELECTION_SEED });
    for (const m of r.runs[0].results) {
      if (!errors.has(m.model)) continue;
      if (m.error) failed.add(m.model);
      else errors.get(m.model)!.push(...Object.values(m.barrierAbsErrors));
    }
  }
  const scores = DEFAULT_CANDIDATES.map((c) => {
    const e = errors.get(modelName(c))!;
    return { spec: c, model: modelName(c), maeEv: e.length && !failed.has(modelName(c)) ? e.reduce((a, b) => a + b, 0) / e.length : NaN };
  });
  const ok = scores.filter((s) => Number.isFinite(s.maeEv));
  if (!ok.length) return null;
  const best = ok.reduce((a, b) => (b.maeEv < a.maeEv ? b : a));
  return {
    spec: best.spec,
    by: 'leave one surface out: directed-barrier MAE',
    scores: scores.map(({ model, maeEv }) => ({ model, maeEv })),
  };
}
