/**
 * The new-surface protocols (lib/ml/new-surface.ts) on a stored dataset, for the browser's training panel: the same
 * `evaluateNewSurface` and table (lib/ml/new-surface-table.ts) as `epdi evaluate --protocol loso|--train/--test`, run
 * on the server as a job (closed-form models, fast). Samples come from the EPDI batch with their site features
 * (./site-features-store.ts), and the surfaces are the profiles' pipeline surfaces.
 * Surfaces are named by their names (sample ids `${surfaceName}/${siteId}`), as the CLI names them by folder.
 */
import { z } from 'zod';
import { parseEpdiBatch, samplesFromBatch } from '@/lib/ml/batch';
import { modelName, type ModelSpec } from '@/lib/ml/models';
import { evaluateNewSurface, type NewSurfaceProtocol } from '@/lib/ml/new-surface';
import type { EvalSurface } from '@/lib/ml/new-surface-score';
import { newSurfaceTable, type NewSurfaceTable } from '@/lib/ml/new-surface-table';
import { NEW_SURFACE_DEFAULT_MODELS } from '@/lib/ml/new-surface-models';
import { FEATURE_GROUPS } from '@/lib/ml/site-features';
import type { Sample } from '@/lib/ml/types';
import { MlError } from '@/lib/ml/errors';
import { db } from './db';
import { epdiBatch } from './epdi-batch';
import { HttpError } from './http';
import { startJob } from './jobs';
import { datasetMuLi } from './profiles';
import { loadSurfaces, pipelineSurface } from './profiles-load';

const specSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('mean'), anchor: z.literal('endpoints').optional() }).strict(),
  z.object({ type: z.literal('mep-linear'), anchor: z.literal('endpoints').optional() }).strict(),
  z.object({ type: z.literal('descriptor-gp'), anchor: z.literal('endpoints').optional() }).strict(),
  z.object({ type: z.literal('site-relative'), groups: z.array(z.enum(FEATURE_GROUPS)).max(5) }).strict(),
]);

export const newSurfaceSchema = z.object({
  protocol: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('loso') }).strict(),
    z.object({ kind: z.literal('dopant-out') }).strict(),
    z
      .object({
        kind: z.literal('train-test'),
        train: z.array(z.string().min(1).max(200)).min(1).max(500),
        test: z.array(z.string().min(1).max(200)).min(1).max(500),
      })
      .strict(),
  ]),
  shots: z.array(z.number().int().min(0).max(3)).min(1).max(4).default([0]),
  /** The models besides the constants; default lib/ml NEW_SURFACE_DEFAULT_MODELS. */
  models: z.array(specSchema).min(1).max(20).optional(),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31)
    .default(1),
});
export type NewSurfaceInput = z.infer<typeof newSurfaceSchema>;

export interface NewSurfaceJobResult {
  table: NewSurfaceTable;
  seconds: number;
  models: string[];
}

/** The dataset as the new-surface protocols read it: samples (with site features) and pipeline surfaces. */
export async function loadNewSurfaceData(datasetId: string): Promise<{ samples: Sample[]; surfaces: EvalSurface[] }> {
  const [batchBytes, rows, mu] = await Promise.all([
    epdiBatch(datasetId),
    loadSurfaces(datasetId),
    datasetMuLi(datasetId),
  ]);
  const batch = parseEpdiBatch(batchBytes);
  const raw = samplesFromBatch(batch);
  const byDbId = new Map(rows.map((r) => [r.id, r]));
  const rename = (key: string | undefined, dbId: string, name: string): string | undefined =>
    key?.startsWith(`${dbId}#`) ? `${name}#${key.slice(dbId.length + 1)}` : key;
  const samples = raw.map((s): Sample => {
    const row = byDbId.get(s.surfaceId)!;
    return {
      ...s,
      id: `${row.name}/${s.id}`,
      surfaceId: row.name,
      siteGroup: rename(s.siteGroup, row.id, row.name),
      hopEnds: s.hopEnds && [rename(s.hopEnds[0], row.id, row.name)!, rename(s.hopEnds[1], row.id, row.name)!],
    };
  });
  const surfaces = rows.map((r): EvalSurface => ({
    id: r.name,
    host: r.host ?? r.name,
    dopant: r.dopant,
    pipeline: pipelineSurface(r, mu.record, new Map()),
  }));
  return { samples, surfaces };
}

/** Run a new-surface protocol on a stored dataset; `report(fraction, message)` tells the progress. */
export async function runNewSurface(
  datasetId: string,
  input: NewSurfaceInput,
  report: (fraction: number, message: string) => void = () => undefined,
): Promise<NewSurfaceJobResult> {
  const t0 = Date.now();
  report(0.02, 'loading EPDIs, sites and hops');
  const { samples, surfaces } = await loadNewSurfaceData(datasetId);
  const names = new Set(surfaces.map((s) => s.id));
  if (input.protocol.kind === 'train-test')
    for (const s of [...input.protocol.train, ...input.protocol.test])
      if (!names.has(s)) throw new HttpError(422, 'no_surface', `no surface named ${s} in this dataset`);
  const requested = (input.models as ModelSpec[] | undefined) ?? [...NEW_SURFACE_DEFAULT_MODELS];
  // One row per model name: a model asked for twice is evaluated once.
  const specs = requested.filter((m, i) => requested.findIndex((n) => modelName(n) === modelName(m)) === i);
  const steps = (specs.length + 1) * input.shots.length;
  let done = 0;
  const result = await evaluateNewSurface(
    specs,
    samples,
    surfaces,
    input.protocol as NewSurfaceProtocol,
    { imageSettings: { rangeEv: [0, 1] }, seed: input.seed },
    {
      shots: input.shots,
      onStep: (m, k, i, n) => {
        if (i === n) done++;
        report(0.05 + (0.9 * done) / steps, `${m}, k=${k}: split ${i}/${n}`);
      },
    },
  );
  return { table: newSurfaceTable(result), seconds: (Date.now() - t0) / 1000, models: specs.map(modelName) };
}

/** Check the request and start the job; returns the job id. */
export async function startNewSurface(datasetId: string, input: NewSurfaceInput): Promise<string> {
  const dataset = await db.dataset.findUnique({ where: { id: datasetId }, select: { id: true } });
  if (!dataset) throw new HttpError(404, 'no_dataset', `dataset ${datasetId} does not exist`);
  return startJob('new-surface', { datasetId, input }, async (report) => {
    try {
      return await runNewSurface(datasetId, input, report);
    } catch (e) {
      // Too few labelled surfaces and the like become the job's message, as the CLI prints them.
      if (e instanceof MlError) throw new Error(e.message);
      throw e;
    }
  });
}
