/**
 * Training in Node for machines without a usable GPU in the browser: closed-form models only (descriptor-gp,
 * pixel-ridge, mep-linear, mean, site-relative), which need no tensors. A job fits the model on every labelled site of the dataset,
 * evaluates it against the baselines on the same splits, stores it (zip + metrics) and its predictions for every
 * unlabelled site.
 */
import { z } from 'zod';
import { parseEpdiBatch, samplesFromBatch } from '@/lib/ml/batch';
import { compareModels, comparisonMetrics, type ComparisonTable, type Protocol } from '@/lib/ml/evaluate';
import { trainingRangeEv } from '@/lib/ml/image';
import { fitModel, modelName, type MlContext, type ModelSpec } from '@/lib/ml/models';
import { versionedModelName } from '@/lib/ml/model-version';
import { modelToZip } from '@/lib/ml/persist';
import { FEATURE_GROUPS } from '@/lib/ml/site-features';
import { isLabelled } from '@/lib/ml/types';
import { epdiBatch } from './epdi-batch';
import { HttpError } from './http';
import { startJob } from './jobs';
import { createModel, replacePredictions } from './models';
import { db } from './db';

const extrasSchema = z
  .object({ mep: z.boolean().optional(), kind: z.boolean().optional(), dopant: z.boolean().optional() })
  .strict();

/** Any model may learn saddles relative to their end minima (lib/ml/anchor.ts). */
const anchor = z.literal('endpoints').optional();

/** Specs the server fits without tensors; strict, so a backbone or an unknown option is a 422, never silently dropped. */
export const serverSpecSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('mean'), anchor }).strict(),
  z.object({ type: z.literal('mep-linear'), anchor }).strict(),
  z
    .object({
      type: z.literal('pixel-ridge'),
      size: z.number().int().min(2).max(64).optional(),
      ensemble: z.number().int().min(0).max(64).optional(),
      extras: extrasSchema.optional(),
      anchor,
    })
    .strict(),
  z.object({ type: z.literal('descriptor-gp'), kernel: z.enum(['rbf', 'matern52']).optional(), anchor }).strict(),
  // Built for surfaces nobody has computed (lib/ml/site-relative-model.ts); its site features come with the batch.
  z.object({ type: z.literal('site-relative'), groups: z.array(z.enum(FEATURE_GROUPS)).max(FEATURE_GROUPS.length) }).strict(),
]);

export const trainServerSchema = z.object({
  spec: serverSpecSchema,
  name: z.string().trim().min(1).max(200).optional(),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31)
    .default(1),
  protocol: z
    .discriminatedUnion('kind', [
      z.object({
        kind: z.literal('paper'),
        fraction: z.number().gt(0).lt(1).default(0.33),
        repeats: z.number().int().min(1).max(50).default(10),
      }),
      z.object({
        kind: z.literal('kfold'),
        k: z.number().int().min(2).max(20).default(5),
        repeats: z.number().int().min(1).max(10).default(1),
      }),
      z.object({ kind: z.literal('none') }),
    ])
    .optional(),
});
export type TrainServerInput = z.infer<typeof trainServerSchema>;

export interface TrainServerResult {
  modelId: string;
  model: string;
  nTrain: number;
  predictions: number;
  seconds: number;
  comparison: ComparisonTable | null;
}

/** What every server-trained model is compared with: the mean, the paper's MEP line, pixels, the end-minima mean. */
export const SERVER_BASELINES: ModelSpec[] = [
  { type: 'mean' },
  { type: 'mep-linear' },
  { type: 'pixel-ridge' },
  { type: 'mean', anchor: 'endpoints' },
];

/** The default evaluation: the paper split when there are labelled saddles, else 5-fold CV, else none. */
function defaultProtocol(nLabelled: number, nSaddles: number): Protocol | null {
  if (nSaddles >= 3) return { kind: 'paper', fraction: 0.33, repeats: 10 };
  if (nLabelled >= 6) return { kind: 'kfold', k: 5 };
  return null;
}

/** Check the request and start the job; returns the job id. */
export async function startServerTraining(datasetId: string, input: TrainServerInput): Promise<string> {
  const dataset = await db.dataset.findUnique({ where: { id: datasetId }, select: { id: true } });
  if (!dataset) throw new HttpError(404, 'no_dataset', `dataset ${datasetId} does not exist`);
  const labelled = await db.site.count({
    where: { surface: { datasetId }, epdi: { not: null }, labels: { some: { eBindingEv: { not: null } } } },
  });
  if (labelled < 3)
    throw new HttpError(
      422,
      'not_enough_data',
      `training needs at least 3 labelled sites with EPDIs, found ${labelled}`,
    );
  return startJob('train-server', { datasetId, input }, (report) => trainAndStore(datasetId, input, report));
}

/**
 * Fit the model on every labelled site of the dataset, evaluate it against the baselines on the same splits, store it
 * (zip + metrics) and its predictions for every unlabelled site. `report(fraction, message)` tells the progress.
 */
export async function trainAndStore(
  datasetId: string,
  input: TrainServerInput,
  report: (fraction: number, message: string) => void,
  opts: { replacing?: boolean } = {},
): Promise<TrainServerResult> {
  const t0 = Date.now();
  report(0.02, 'loading EPDIs');
  const batch = parseEpdiBatch(await epdiBatch(datasetId));
  const samples = samplesFromBatch(batch);
  const train = samples.filter(isLabelled);
  const spec = input.spec as ModelSpec;
  const ctx: MlContext = {
    // The model's range from its training inputs (lib/epdi/range.ts); the comparison takes one per split.
    imageSettings: { rangeEv: trainingRangeEv(train) },
    seed: input.seed,
  };
  const protocol: Protocol | null =
    input.protocol?.kind === 'none'
      ? null
      : (input.protocol ?? defaultProtocol(train.length, train.filter((s) => s.isSaddle).length));
  let comparison: ComparisonTable | null = null;
  if (protocol) {
    report(0.1, 'evaluating against the baselines');
    const baselines = SERVER_BASELINES.filter((b) => modelName(b) !== modelName(spec));
    comparison = await compareModels([spec, ...baselines], samples, protocol, ctx);
  }
  report(0.7, `fitting ${modelName(spec)} on ${train.length} labelled sites`);
  const model = await fitModel(spec, train, ctx);
  const unlabelled = samples.filter((s) => !isLabelled(s));
  const preds = await model.predict(unlabelled);
  const state = await model.state();
  const metrics: Record<string, unknown> = {
    backend: 'node',
    nTrain: train.length,
    trainSeconds: (Date.now() - t0) / 1000,
    ...comparisonMetrics(comparison, modelName(spec)),
  };
  state.metrics = metrics;
  model.dispose();
  report(0.9, 'storing the model and its predictions');
  // A name already taken in the dataset gets the next version ("name v2"), never a silent duplicate.
  const taken = await db.model.findMany({ where: { datasetId }, select: { name: true } });
  // The default model keeps its name: it replaces its predecessor, which the caller deletes next.
  const name = input.name ?? `${modelName(spec)} (server)`;
  const view = await createModel(datasetId, modelToZip(state), {
    name: opts.replacing ? name : versionedModelName(name, taken.map((m) => m.name)),
    spec: spec as never,
    metrics,
    trainingSiteIds: train.map((s) => s.id),
    backend: 'node',
    settings: { trainedOn: 'server', seed: input.seed },
  });
  const stored = await replacePredictions(
    view.id,
    preds.map((p) => ({ siteId: p.id, valueEv: p.meanEv, sigmaEv: p.sigmaEv ?? null })),
  );
  const result: TrainServerResult = {
    modelId: view.id,
    model: modelName(spec),
    nTrain: train.length,
    predictions: stored.stored,
    seconds: (Date.now() - t0) / 1000,
    comparison,
  };
  return result;
}
