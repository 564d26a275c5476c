/**
 * The browser's ML engine: loads a dataset's EPDIs, trains with lib/ml, evaluates against the baselines on the same
 * splits, ranks saddles to compute next, predicts and (de)serialises models. It runs inside training.worker.ts so the
 * page never freezes; where workers are unavailable the TrainingPanel runs it on the main thread (lib/ml yields
 * between batches there). Weights come from the app (/api/weights), wasm binaries from /api/tfjs-wasm, never a CDN.
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendName } from '@/lib/ml/backend';
import { weightsSource } from '@/lib/ml/backbone';
import { parseEpdiBatch, samplesFromBatch } from '@/lib/ml/batch';
import { MlError } from '@/lib/ml/errors';
import { compareModels, comparisonMetrics, type ComparisonTable } from '@/lib/ml/evaluate';
import { FeatureCache } from '@/lib/ml/features';
import { trainingRangeEv } from '@/lib/ml/image';
import { fitModel, modelName, restoreModel, type MlContext, type ModelSpec, type TrainedModel } from '@/lib/ml/models';
import { modelFromZip, modelToZip } from '@/lib/ml/persist';
import { backboneProvider, type CachingBackboneProvider } from '@/lib/ml/provider';
import { rankBySigma, suggestNext, uncomputedSaddles } from '@/lib/ml/active';
import { tiedPredictions } from '@/lib/ml/next-ties';
import { checkSampleSize } from '@/lib/ml/sample-size';
import { isLabelled, type Prediction, type Sample } from '@/lib/ml/types';
import type { BackendInfo, ParityPoint, TrainOutcome, WorkerProgress, WorkerReply, WorkerRequest } from './training-protocol';

export const WASM_URL = '/api/tfjs-wasm/';
export const WEIGHTS_URL = '/api/weights';

interface RegistryEntry {
  name: string;
  directory: string;
  modelFile?: string;
  available: boolean;
}

async function fetchBytes(url: string): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok) {
    let message = `${res.status} ${res.statusText}`;
    try {
      message = ((await res.json()) as { error?: { message?: string } }).error?.message ?? message;
    } catch {
      // not JSON
    }
    throw new Error(message);
  }
  return new Uint8Array(await res.arrayBuffer());
}

/**
 * The browser's weights source over /api/weights. The server already knows which backbones are present (GET
 * /api/weights), so the reader answers `backbones.json` with that registry and refuses missing model files without a
 * request: no 404 noise in the console.
 */
async function browserProvider(): Promise<CachingBackboneProvider> {
  const reg = (await (await fetch(WEIGHTS_URL)).json()) as { present: boolean; backbones: RegistryEntry[] };
  const missing = new Set(reg.backbones.filter((b) => !b.available).map((b) => `${WEIGHTS_URL}/${b.directory}/${b.modelFile ?? 'model.json'}`));
  const registryJson = new TextEncoder().encode(JSON.stringify(reg.backbones.map(({ available: _a, ...config }) => config)));
  const source = weightsSource(WEIGHTS_URL, async (url) => {
    if (url === `${WEIGHTS_URL}/backbones.json`) return registryJson;
    if (missing.has(url)) throw new Error('not present on the server');
    return fetchBytes(url);
  });
  return backboneProvider(reg.present ? source : undefined);
}

const needsBackbone = (spec: ModelSpec): boolean => 'backbone' in spec && !!spec.backbone;

/** One engine per worker (or page). `post` delivers replies; transferables are listed for zips. */
export function createTrainingEngine(post: (reply: WorkerReply, transfer?: Transferable[]) => void, where: string) {
  let samples: Sample[] = [];
  let rangeEv: [number, number] = [0, 1];
  let provider: CachingBackboneProvider | undefined;
  const featureCache = new FeatureCache();
  let current: TrainedModel | undefined;
  let controller: AbortController | undefined;
  let backendInfo: BackendInfo | undefined;

  const progress = (id: number, p: WorkerProgress) => post({ id, type: 'progress', progress: p });

  async function ensureBackend(): Promise<BackendName> {
    if (backendInfo) return backendInfo.backend;
    return (await init(['webgl', 'wasm', 'cpu'])).backend;
  }

  async function init(prefer: BackendName[]): Promise<BackendInfo> {
    const backend = await initBackend(prefer, { wasmDir: WASM_URL });
    const at = prefer.indexOf(backend);
    backendInfo = {
      backend,
      where,
      chain: prefer.map((name, i) => ({ name, status: name === backend ? 'used' : at < 0 || i < at ? 'failed' : 'not tried' })),
    };
    if (at < 0) backendInfo.chain.push({ name: backend, status: 'used' });
    return backendInfo;
  }

  async function ctxFor(spec: ModelSpec | null, seed: number, signal?: AbortSignal): Promise<MlContext> {
    if (spec && needsBackbone(spec) && !provider) provider = await browserProvider();
    return { imageSettings: { rangeEv }, seed, backbones: provider, featureCache, signal };
  }

  async function train(req: Extract<WorkerRequest, { type: 'train' }>): Promise<TrainOutcome> {
    const backend = await ensureBackend();
    const labelled = samples.filter(isLabelled);
    if (labelled.length < 3) throw new MlError('not_enough_data', `need at least 3 labelled sites, the dataset has ${labelled.length}`);
    controller = new AbortController();
    const signal = controller.signal;
    const ctx = await ctxFor(req.spec, req.seed, signal);
    ctx.imageSettings = { rangeEv: trainingRangeEv(labelled) };
    const name = modelName(req.spec);

    // 1. The model itself on every labelled site, with live losses.
    progress(req.id, { stage: 'status', message: `fitting ${name} on ${labelled.length} labelled sites (${backend})` });
    let lastBatch = 0;
    const t0 = performance.now();
    const model = await fitModel(req.spec, labelled, {
      ...ctx,
      onProgress: (p) => {
        if (p.phase === 'batch') {
          const now = performance.now();
          if (now - lastBatch < 150) return;
          lastBatch = now;
        }
        progress(req.id, { stage: 'fit', progress: p });
      },
    });
    const fitSeconds = (performance.now() - t0) / 1000;
    current?.dispose();
    current = model;

    // 2. The comparison: the model and the baselines on the same splits.
    let comparison: ComparisonTable | null = null;
    const parity: ParityPoint[] = [];
    const t1 = performance.now();
    if (req.protocol) {
      progress(req.id, { stage: 'status', message: 'evaluating against the baselines on the same splits' });
      const specs = [req.spec, ...req.baselines.filter((b) => modelName(b) !== name)];
      comparison = await compareModels(
        specs,
        samples,
        req.protocol,
        {
          ...ctx,
          onProgress: (p) => {
            if (p.phase === 'features') progress(req.id, { stage: 'eval-features', progress: p });
          },
        },
        {
          onSplit: (m, split, splits, maeEv) => progress(req.id, { stage: 'eval', model: m, split, splits, maeEv }),
          onTestPredictions: (m, split, rows) => {
            if (m === name) for (const r of rows) parity.push({ ...r, split });
          },
        },
      );
    }
    const evalSeconds = (performance.now() - t1) / 1000;

    // 3. What to compute next: unlabelled saddles by sigma (the model's own, or a descriptor GP's when it has none).
    const pool = uncomputedSaddles(samples);
    let next: Prediction[] = [];
    let nextRankedBy: string | null = null;
    if (pool.length) {
      const own = await model.predict(pool);
      if (own.every((p) => p.sigmaEv !== undefined)) {
        next = rankBySigma(own).slice(0, 10);
        nextRankedBy = name;
      } else {
        next = await suggestNext({ type: 'descriptor-gp' }, samples, { ...ctx, signal }, 10);
        nextRankedBy = 'descriptor-gp';
      }
    }

    const nextTies = tiedPredictions(next, new Map(samples.map((s) => [s.id, s.mepEv])));
    const sampleWarnings = req.protocol ? checkSampleSize(samples, req.protocol, req.seed).warnings : [];

    const metrics: Record<string, unknown> = {
      backend,
      where,
      nTrain: labelled.length,
      trainSeconds: fitSeconds,
      evalSeconds,
      ...comparisonMetrics(comparison, name),
      finalTrainLoss: model.history?.trainLoss.at(-1) ?? null,
      finalValLoss: model.history?.valLoss.at(-1) ?? null,
    };
    const state = await model.state();
    state.metrics = metrics;
    const zip = modelToZip(state);
    controller = undefined;
    return {
      model: name,
      spec: req.spec,
      backend,
      nTrain: labelled.length,
      trainIds: model.trainIds,
      fitSeconds,
      evalSeconds,
      history: model.history,
      comparison,
      parity,
      next,
      nextRankedBy,
      nextTies,
      sampleWarnings,
      metrics,
      zip,
    };
  }

  async function handle(req: WorkerRequest): Promise<void> {
    try {
      switch (req.type) {
        case 'init':
          post({ id: req.id, type: 'backend', info: await init(req.prefer) });
          return;
        case 'load': {
          const batch = parseEpdiBatch(await fetchBytes(`/api/datasets/${encodeURIComponent(req.datasetId)}/epdis`));
          samples = samplesFromBatch(batch);
          // The model's range is taken from its training inputs at fit time (lib/epdi/range.ts); this is the display range.
          rangeEv = batch.header.rangeEv ?? trainingRangeEv(samples);
          featureCache.clear();
          const lab = samples.filter(isLabelled);
          post({
            id: req.id,
            type: 'loaded',
            info: {
              pixels: batch.header.pixels,
              rangeEv,
              sites: batch.header.sites,
              labelledMinima: lab.filter((s) => !s.isSaddle).length,
              labelledSaddles: lab.filter((s) => s.isSaddle).length,
              unlabelledSaddles: samples.filter((s) => s.isSaddle && !isLabelled(s)).length,
              unlabelled: samples.length - lab.length,
            },
          });
          return;
        }
        case 'train': {
          const outcome = await train(req);
          post({ id: req.id, type: 'trained', outcome }, [outcome.zip.buffer]);
          return;
        }
        case 'restore': {
          await ensureBackend();
          const state = modelFromZip(req.zip);
          const ctx = await ctxFor(state.spec, 0);
          const model = await restoreModel(state, { backbones: ctx.backbones, featureCache });
          current?.dispose();
          current = model;
          post({ id: req.id, type: 'restored', info: { model: model.name, spec: model.spec, nTrain: model.trainIds.length, trainIds: [...model.trainIds], metrics: (state.metrics ?? {}) as Record<string, unknown> } });
          return;
        }
        case 'predict': {
          if (!current) throw new Error('no model: train or load one first');
          await ensureBackend();
          const t0 = performance.now();
          const predictions = await current.predict(samples.filter((s) => !isLabelled(s)));
          post({ id: req.id, type: 'predicted', predictions, seconds: (performance.now() - t0) / 1000 });
          return;
        }
        case 'cancel':
          controller?.abort();
          post({ id: req.id, type: 'cancelled' });
          return;
      }
    } catch (e) {
      controller = undefined;
      const code = e instanceof MlError ? e.code : undefined;
      post({ id: req.id, type: 'error', message: e instanceof Error ? e.message : String(e), code });
    }
  }

  return { handle, numTensors: () => tf.memory().numTensors };
}
