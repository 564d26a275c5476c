/**
 * New-surface protocols (DESIGN.md "New-surface protocols"): predict the surfaces nobody has computed.
 *
 * - loso: leave one surface out (every surface with labels is the test surface once);
 * - dopant-out: hold out every surface of one dopant at once (pristine surfaces form one group);
 * - train-test: train on some surfaces, test on others (disjoint).
 * Few-shot (k = 1, 2, 3): the k lowest labelled minima of each test surface join training; the rest of its labels
 * are the test set. Every split is checked: no label of a test surface enters training except its k shots.
 *
 * Each model is fitted per split on the training labels only (the EPDI value range too, from training inputs:
 * ../epdi/range.ts via `trainingRangeEv`) and predicts every site of the test surfaces at once; the surfaces are then
 * scored through the one pipeline (./new-surface-score.ts). Baselines: the constant barrier (every directed barrier
 * = the mean directed DFT barrier of the training surfaces) and the constant excess (`site-relative` with no
 * feature groups). Each model is compared with the better constant on the same directed barriers by a Wilcoxon
 * signed-rank test on the paired absolute errors (./stats.ts).
 */
import { MlError, throwIfAborted } from './errors';
import { trainingRangeEv } from './image';
import { fitModel, modelName, type MlContext, type ModelSpec } from './models';
import { meanDftBarrier, scoreSurfaceBarriers, type DirectedBarrier, type EvalSurface, type SurfaceBarrierScore } from './new-surface-score';
import { deriveSeed } from './rng';
import { LEVEL_FEATURE } from './site-relative-model';
import { isLabelled, type LabelledSample, type Prediction, type Sample } from './types';
import { pairedAgainst, summariseModel, type ModelSummary, type PredictionRow } from './new-surface-summary';

export type NewSurfaceProtocol =
  | { kind: 'loso' }
  | { kind: 'dopant-out' }
  | { kind: 'train-test'; train: readonly string[]; test: readonly string[] };

export interface NewSurfaceSplit {
  name: string;
  testSurfaces: string[];
  trainIds: string[];
  /** Labelled samples of the test surfaces that are scored (shots excluded). */
  testIds: string[];
  /** The few-shot labels of the test surfaces given to training. */
  shotIds: string[];
}

export function describeNewSurfaceProtocol(p: NewSurfaceProtocol): string {
  if (p.kind === 'loso') return 'leave one surface out';
  if (p.kind === 'dopant-out') return 'leave one dopant out (every surface of the dopant held out together)';
  return `train on ${p.train.join(', ')}; test on ${p.test.join(', ')}`;
}

const dopantKey = (s: EvalSurface | undefined): string => s?.dopant ?? 'pristine';

/** Splits of a new-surface protocol with `shots` labels of each test surface in training. */
export function newSurfaceSplits(
  samples: readonly Sample[],
  surfaces: readonly EvalSurface[],
  protocol: NewSurfaceProtocol,
  shots = 0,
): NewSurfaceSplit[] {
  const lab = samples.filter(isLabelled);
  const labelled = [...new Set(lab.map((s) => s.surfaceId))].sort();
  const meta = new Map(surfaces.map((s) => [s.id, s]));
  let tests: { name: string; test: string[]; train: string[] }[];
  if (protocol.kind === 'loso') {
    tests = labelled.map((t) => ({ name: `without ${t}`, test: [t], train: labelled.filter((x) => x !== t) }));
  } else if (protocol.kind === 'dopant-out') {
    const keys = [...new Set(labelled.map((s) => dopantKey(meta.get(s))))].sort();
    tests = keys.map((k) => ({
      name: `without dopant ${k}`,
      test: labelled.filter((s) => dopantKey(meta.get(s)) === k),
      train: labelled.filter((s) => dopantKey(meta.get(s)) !== k),
    }));
  } else {
    const overlap = protocol.train.filter((s) => protocol.test.includes(s));
    if (overlap.length) throw new MlError('leak', `surfaces both in --train and --test: ${overlap.join(', ')}`);
    for (const s of [...protocol.train, ...protocol.test])
      if (!labelled.includes(s)) throw new MlError('not_enough_data', `surface ${s} has no labels`);
    tests = [{ name: 'train/test', test: [...protocol.test], train: [...protocol.train] }];
  }
  if (labelled.length < 2) throw new MlError('not_enough_data', 'new-surface protocols need at least 2 labelled surfaces');
  const splits = tests
    .filter((t) => t.train.length > 0)
    .map((t): NewSurfaceSplit => {
      const shotIds = t.test.flatMap((surface) =>
        lab
          .filter((s) => s.surfaceId === surface && !s.isSaddle)
          .sort((a, b) => a.eBindingEv - b.eBindingEv || a.id.localeCompare(b.id))
          .slice(0, shots)
          .map((s) => s.id),
      );
      const shotSet = new Set(shotIds);
      return {
        name: shots ? `${t.name}, k=${shots}` : t.name,
        testSurfaces: t.test,
        trainIds: [...lab.filter((s) => t.train.includes(s.surfaceId)).map((s) => s.id), ...shotIds],
        testIds: lab.filter((s) => t.test.includes(s.surfaceId) && !shotSet.has(s.id)).map((s) => s.id),
        shotIds,
      };
    });
  for (const s of splits) assertNoSurfaceLeak(s, samples, shots);
  return splits;
}

/**
 * Throws MlError('leak') when a training label belongs to a test surface without being one of its (at most
 * `shots`, minima only) few-shot labels, or a test sample is in training.
 */
export function assertNoSurfaceLeak(split: NewSurfaceSplit, samples: readonly Sample[], shots: number): void {
  const byId = new Map(samples.map((s) => [s.id, s]));
  const train = new Set(split.trainIds);
  const shotSet = new Set(split.shotIds);
  const perSurface = new Map<string, number>();
  for (const id of split.testIds) if (train.has(id)) throw new MlError('leak', `${split.name}: test sample ${id} is in training`);
  for (const id of split.trainIds) {
    const s = byId.get(id);
    if (!s || !split.testSurfaces.includes(s.surfaceId)) continue;
    if (!shotSet.has(id) || s.isSaddle)
      throw new MlError('leak', `${split.name}: label ${id} of test surface ${s.surfaceId} is in training`);
    perSurface.set(s.surfaceId, (perSurface.get(s.surfaceId) ?? 0) + 1);
  }
  for (const [surface, n] of perSurface)
    if (n > shots) throw new MlError('leak', `${split.name}: ${n} labels of ${surface} in training, more than k = ${shots}`);
}

export interface NewSurfaceRun {
  shots: number;
  splits: number;
  results: ModelSummary[];
  /** The constant with the lower directed-barrier MAE (the reference of the paired tests). */
  bestConstant: string;
}

export interface NewSurfaceReport {
  protocol: NewSurfaceProtocol;
  description: string;
  seed: number;
  surfaces: string[];
  nLabelled: number;
  runs: NewSurfaceRun[];
  predictions: PredictionRow[];
  hops: (DirectedBarrier & { model: string; shots: number })[];
  notes: string[];
}

export const CONSTANT_BARRIER = 'constant-barrier';
export const CONSTANT_EXCESS: ModelSpec = { type: 'site-relative', groups: [] };

export async function evaluateNewSurface(
  specs: readonly ModelSpec[],
  samples: readonly Sample[],
  surfaces: readonly EvalSurface[],
  protocol: NewSurfaceProtocol,
  ctx: MlContext,
  opts: { shots?: readonly number[]; onStep?: (model: string, shots: number, split: number, total: number) => void } = {},
): Promise<NewSurfaceReport> {
  const bySurface = new Map(surfaces.map((s) => [s.id, s]));
  const byId = new Map(samples.map((s) => [s.id, s]));
  const all = [CONSTANT_EXCESS, ...specs.filter((s) => modelName(s) !== modelName(CONSTANT_EXCESS))];
  const report: NewSurfaceReport = {
    protocol,
    description: describeNewSurfaceProtocol(protocol),
    seed: ctx.seed,
    surfaces: [...new Set(samples.filter(isLabelled).map((s) => s.surfaceId))].sort(),
    nLabelled: samples.filter(isLabelled).length,
    runs: [],
    predictions: [],
    hops: [],
    notes: [],
  };
  const notes = new Set<string>();
  for (const shots of opts.shots ?? [0]) {
    const splits = newSurfaceSplits(samples, surfaces, protocol, shots);
    const results: ModelSummary[] = [];
    // Constant barrier: the training surfaces' mean directed DFT barrier.
    const constRows: { barriers: SurfaceBarrierScore[] } = { barriers: [] };
    for (const split of splits) {
      const trainSurfaces = [...new Set(split.trainIds.map((id) => byId.get(id)!.surfaceId))]
        .filter((s) => !split.testSurfaces.includes(s))
        .map((s) => bySurface.get(s)!)
        .filter(Boolean);
      const c = meanDftBarrier(trainSurfaces);
      for (const t of split.testSurfaces) constRows.barriers.push(scoreSurfaceBarriers(bySurface.get(t)!, null, new Set(), c));
    }
    results.push(summariseModel(CONSTANT_BARRIER, constRows.barriers, [], 0));
    for (const spec of all) {
      const name = modelName(spec);
      const t0 = performance.now();
      const rows: PredictionRow[] = [];
      const scores: SurfaceBarrierScore[] = [];
      try {
        for (let k = 0; k < splits.length; k++) {
          throwIfAborted(ctx.signal);
          const split = splits[k];
          const train = split.trainIds.map((id) => byId.get(id) as LabelledSample);
          const testAll = samples.filter((s) => split.testSurfaces.includes(s.surfaceId));
          const splitCtx: MlContext = { ...ctx, seed: deriveSeed(ctx.seed, k), imageSettings: { rangeEv: trainingRangeEv(train) } };
          const model = await fitModel(spec, train, splitCtx);
          const trainSet = new Set(model.trainIds);
          for (const id of split.testIds) if (trainSet.has(id)) throw new MlError('leak', `model ${name} trained on test sample ${id}`);
          const preds = await model.predict(testAll);
          model.dispose();
          const predOf = new Map(preds.map((p) => [p.id, p]));
          const shotSet = new Set(split.shotIds);
          for (const surfaceId of split.testSurfaces) {
            const surface = bySurface.get(surfaceId)!;
            const prefix = `${surfaceId}/`;
            const sitePreds = new Map<string, Prediction>();
            for (const p of preds) if (p.id.startsWith(prefix)) sitePreds.set(p.id.slice(prefix.length), p);
            const shotSites = new Set(split.shotIds.filter((id) => id.startsWith(prefix)).map((id) => id.slice(prefix.length)));
            scores.push(scoreSurfaceBarriers(surface, sitePreds, shotSites));
            rows.push(...predictionRows(surface, samples, predOf, shotSet, split.testIds, name, shots));
          }
          opts.onStep?.(name, shots, k + 1, splits.length);
        }
        const summary = summariseModel(name, scores, rows, (performance.now() - t0) / 1000);
        results.push(summary);
        report.predictions.push(...rows);
        for (const s of scores) for (const b of s.barriers) report.hops.push({ ...b, model: name, shots });
      } catch (e) {
        if (e instanceof MlError && (e.code === 'leak' || e.code === 'aborted')) throw e;
        results.push({ ...summariseModel(name, [], [], (performance.now() - t0) / 1000), error: e instanceof Error ? e.message : String(e) });
      }
    }
    for (const s of surfaces)
      if (samples.find((x) => x.surfaceId === s.id)?.siteFeatures?.[LEVEL_FEATURE] === undefined)
        notes.add(`${s.id}: no host levels in meta.json; host features take the training mean and the level line skips it`);
    report.runs.push(finishRun(shots, splits.length, results));
  }
  report.notes = [...notes];
  return report;
}

function predictionRows(
  surface: EvalSurface,
  samples: readonly Sample[],
  predOf: ReadonlyMap<string, Prediction>,
  shots: ReadonlySet<string>,
  testIds: readonly string[],
  model: string,
  k: number,
): PredictionRow[] {
  const test = new Set(testIds);
  const sites = new Map(surface.pipeline.sites.map((s) => [s.id, s]));
  const own = samples.filter((s) => s.surfaceId === surface.id && isLabelled(s)) as LabelledSample[];
  // The surface's mean minimum, DFT and predicted (shots count at their DFT value), over its labelled minima.
  const minima = own.filter((s) => !s.isSaddle);
  const predValue = (s: LabelledSample): number => (shots.has(s.id) ? s.eBindingEv : predOf.get(s.id)!.meanEv);
  const dftMean = minima.reduce((a, s) => a + s.eBindingEv, 0) / Math.max(minima.length, 1);
  const predMean = minima.reduce((a, s) => a + predValue(s), 0) / Math.max(minima.length, 1);
  return own
    .filter((s) => test.has(s.id))
    .map((s) => {
      const site = sites.get(s.id.slice(surface.id.length + 1));
      const p = predOf.get(s.id)!;
      return {
        model,
        shots: k,
        surface: surface.id,
        site: site?.label?.name ?? site?.name ?? s.id,
        siteId: site?.name ?? s.id,
        kind: s.kind,
        isSaddle: s.isSaddle,
        x: site?.position[0] ?? NaN,
        y: site?.position[1] ?? NaN,
        predictedEv: p.meanEv,
        sigmaEv: p.sigmaEv ?? null,
        dftEv: s.eBindingEv,
        relativeErrorEv: minima.length ? p.meanEv - predMean - (s.eBindingEv - dftMean) : NaN,
      };
    });
}

function finishRun(shots: number, splits: number, results: ModelSummary[]): NewSurfaceRun {
  const constants = results.filter((r) => r.model === CONSTANT_BARRIER || r.model === modelName(CONSTANT_EXCESS));
  // A tie (within 1 neV, float summation order) keeps the first, the constant barrier, whatever path summed it.
  const best = constants.reduce((a, b) => (b.barrierMaeEv < a.barrierMaeEv - 1e-9 ? b : a));
  for (const r of results) r.paired = pairedAgainst(r, best);
  return { shots, splits, results, bestConstant: best.model };
}
