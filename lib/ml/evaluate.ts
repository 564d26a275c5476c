/**
 * Evaluation protocols and the comparison table. Every model and baseline runs on the SAME splits; every split is
 * checked so that no test sample (in particular no test saddle) ever enters training.
 *
 * - paper: all minima + a fraction f of the saddles in training, the remaining saddles are the test set; repeated with
 *   seeded shuffles.
 * - kfold: k folds over all labelled samples (seeded), test metrics on each fold.
 * - loso: leave one surface out.
 *
 * The potential range that maps EPDIs to pictures is taken per split from that split's training inputs
 * (./image.ts `trainingRangeEv`, the one range function of ../epdi/range.ts), never from a test sample.
 */
import { calibrationCurve, coverage, type CalibrationPoint } from './calibration';
import { MlError, throwIfAborted } from './errors';
import { meanStd, regressionMetrics } from './metrics';
import { trainingRangeEv } from './image';
import { fitModel, modelName, type MlContext, type ModelSpec } from './models';
import { deriveSeed, mulberry32, shuffled } from './rng';
import { isLabelled, type LabelledSample, type Metrics, type Sample } from './types';

export type Protocol =
  | { kind: 'paper'; fraction: number; repeats: number }
  | { kind: 'kfold'; k: number; repeats?: number }
  | { kind: 'loso' };

export interface Split {
  name: string;
  trainIds: string[];
  testIds: string[];
}

export function describeProtocol(p: Protocol): string {
  if (p.kind === 'paper') return `paper split: all minima + ${Math.round(p.fraction * 100)}% of saddles in training, ${p.repeats} repeats`;
  if (p.kind === 'kfold') return `${p.k}-fold CV${p.repeats && p.repeats > 1 ? ` x ${p.repeats}` : ''}`;
  return 'leave one surface out';
}

/** Seeded splits over the labelled samples. */
export function makeSplits(samples: readonly Sample[], protocol: Protocol, seed: number): Split[] {
  const lab = samples.filter(isLabelled);
  const splits: Split[] = [];
  if (protocol.kind === 'paper') {
    const minima = lab.filter((s) => !s.isSaddle).map((s) => s.id);
    const saddles = lab.filter((s) => s.isSaddle).map((s) => s.id);
    if (saddles.length < 2) throw new MlError('not_enough_data', `paper protocol needs labelled saddles, found ${saddles.length}`);
    const nTrain = Math.min(saddles.length - 1, Math.max(1, Math.round(protocol.fraction * saddles.length)));
    for (let r = 0; r < protocol.repeats; r++) {
      const order = shuffled(saddles, mulberry32(deriveSeed(seed, `paper:${protocol.fraction}:${r}`)));
      splits.push({ name: `f=${protocol.fraction} #${r + 1}`, trainIds: [...minima, ...order.slice(0, nTrain)], testIds: order.slice(nTrain) });
    }
  } else if (protocol.kind === 'kfold') {
    const ids = lab.map((s) => s.id);
    const k = Math.max(2, Math.min(protocol.k, ids.length));
    for (let r = 0; r < (protocol.repeats ?? 1); r++) {
      const order = shuffled(ids, mulberry32(deriveSeed(seed, `kfold:${k}:${r}`)));
      for (let f = 0; f < k; f++) {
        const test = order.filter((_, i) => i % k === f);
        const testSet = new Set(test);
        splits.push({ name: `fold ${f + 1}/${k}${r ? ` #${r + 1}` : ''}`, trainIds: order.filter((id) => !testSet.has(id)), testIds: test });
      }
    }
  } else {
    const surfaces = [...new Set(lab.map((s) => s.surfaceId))].sort();
    if (surfaces.length < 2) throw new MlError('not_enough_data', 'leave-one-surface-out needs at least 2 surfaces');
    for (const surf of surfaces)
      splits.push({
        name: `without ${surf}`,
        trainIds: lab.filter((s) => s.surfaceId !== surf).map((s) => s.id),
        testIds: lab.filter((s) => s.surfaceId === surf).map((s) => s.id),
      });
  }
  for (const s of splits) assertNoLeak(s, samples, protocol);
  return splits;
}

/** Throws MlError('leak') when a test id is in training, or (paper protocol) a test sample is not a saddle. */
export function assertNoLeak(split: Split, samples: readonly Sample[], protocol?: Protocol): void {
  const train = new Set(split.trainIds);
  for (const id of split.testIds) if (train.has(id)) throw new MlError('leak', `test sample ${id} is in the training set of split ${split.name}`);
  if (protocol?.kind === 'paper') {
    const byId = new Map(samples.map((s) => [s.id, s]));
    for (const id of split.testIds)
      if (!byId.get(id)?.isSaddle) throw new MlError('leak', `paper split ${split.name}: test sample ${id} is not a saddle`);
  }
}

export interface ModelResult {
  model: string;
  spec: ModelSpec;
  /** Test MAE per split (eV). */
  maePerSplit: number[];
  maeEv: { mean: number; std: number };
  rmseEv: { mean: number; std: number };
  r2: { mean: number; std: number };
  /** Pooled over all test predictions of all splits. */
  pooled: Metrics;
  /** Fraction of test errors inside the 90% interval (models with sigma). */
  coverage90?: number;
  calibration?: CalibrationPoint[];
  fitSeconds: number;
  error?: string;
}

export interface ComparisonTable {
  protocol: Protocol;
  description: string;
  seed: number;
  splits: number;
  nLabelled: number;
  nSaddles: number;
  results: ModelResult[];
  /** The model with the lowest mean test MAE. */
  best?: string;
}

/**
 * The comparison figures stored with a trained model (its metrics JSON): `model`'s own mean test errors and the
 * whole table, null where no comparison ran.
 */
export function comparisonMetrics(comparison: ComparisonTable | null, model: string): Record<string, unknown> {
  const mine = comparison?.results.find((r) => r.model === model);
  return {
    protocol: comparison?.description ?? null,
    splits: comparison?.splits ?? null,
    maeEv: mine?.maeEv.mean ?? null,
    maeStdEv: mine?.maeEv.std ?? null,
    rmseEv: mine?.rmseEv.mean ?? null,
    r2: mine?.r2.mean ?? null,
    coverage90: mine?.coverage90 ?? null,
    comparison:
      comparison?.results.map((r) => ({
        model: r.model,
        maeEv: r.maeEv,
        rmseEv: r.rmseEv,
        r2: r.r2,
        coverage90: r.coverage90 ?? null,
        error: r.error ?? null,
      })) ?? null,
  };
}

/** Run every model on the same splits. A model that fails (e.g. missing weights) is reported, not fatal. */
export async function compareModels(
  specs: readonly ModelSpec[],
  samples: readonly Sample[],
  protocol: Protocol,
  ctx: MlContext,
  opts: {
    onSplit?: (model: string, split: number, total: number, maeEv: number) => void;
    /** Every test prediction of every split (parity plots); `split` counts from 1. */
    onTestPredictions?: (model: string, split: number, rows: { id: string; truthEv: number; meanEv: number; sigmaEv?: number }[]) => void;
  } = {},
): Promise<ComparisonTable> {
  const splits = makeSplits(samples, protocol, ctx.seed);
  const byId = new Map(samples.map((s) => [s.id, s]));
  const results: ModelResult[] = [];
  for (const spec of specs) {
    const name = modelName(spec);
    const mae: number[] = [];
    const rmse: number[] = [];
    const r2: number[] = [];
    const allTruth: number[] = [];
    const allPred: number[] = [];
    const allSigma: number[] = [];
    let hasSigma = true;
    const t0 = performance.now();
    try {
      for (let k = 0; k < splits.length; k++) {
        throwIfAborted(ctx.signal);
        const split = splits[k];
        const train = split.trainIds.map((id) => byId.get(id) as LabelledSample);
        const test = split.testIds.map((id) => byId.get(id) as LabelledSample);
        const model = await fitModel(spec, train, {
          ...ctx,
          seed: deriveSeed(ctx.seed, k),
          imageSettings: { ...ctx.imageSettings, rangeEv: trainingRangeEv(train) },
        });
        const trainSet = new Set(model.trainIds);
        for (const s of test) if (trainSet.has(s.id)) throw new MlError('leak', `model ${name} trained on test sample ${s.id}`);
        const preds = await model.predict(test);
        model.dispose();
        const truth = test.map((s) => s.eBindingEv);
        const m = regressionMetrics(
          truth,
          preds.map((p) => p.meanEv),
        );
        mae.push(m.maeEv);
        rmse.push(m.rmseEv);
        r2.push(m.r2);
        preds.forEach((p, i) => {
          allTruth.push(truth[i]);
          allPred.push(p.meanEv);
          if (p.sigmaEv === undefined) hasSigma = false;
          allSigma.push(p.sigmaEv ?? NaN);
        });
        opts.onTestPredictions?.(
          name,
          k + 1,
          preds.map((p, i) => ({ id: p.id, truthEv: truth[i], meanEv: p.meanEv, sigmaEv: p.sigmaEv })),
        );
        opts.onSplit?.(name, k + 1, splits.length, m.maeEv);
      }
      const errors = allPred.map((p, i) => p - allTruth[i]);
      results.push({
        model: name,
        spec,
        maePerSplit: mae,
        maeEv: meanStd(mae),
        rmseEv: meanStd(rmse),
        r2: meanStd(r2),
        pooled: regressionMetrics(allTruth, allPred),
        coverage90: hasSigma ? coverage(errors, allSigma, 0.9) : undefined,
        calibration: hasSigma ? calibrationCurve(errors, allSigma) : undefined,
        fitSeconds: (performance.now() - t0) / 1000,
      });
    } catch (e) {
      if (e instanceof MlError && (e.code === 'leak' || e.code === 'aborted')) throw e;
      results.push({
        model: name,
        spec,
        maePerSplit: mae,
        maeEv: { mean: NaN, std: NaN },
        rmseEv: { mean: NaN, std: NaN },
        r2: { mean: NaN, std: NaN },
        pooled: { n: 0, maeEv: NaN, rmseEv: NaN, r2: NaN },
        fitSeconds: (performance.now() - t0) / 1000,
        error: e instanceof Error ? e.message : String(e),
      });
    }
  }
  const ok = results.filter((r) => Number.isFinite(r.maeEv.mean));
  const best = ok.length ? ok.reduce((a, b) => (b.maeEv.mean < a.maeEv.mean ? b : a)).model : undefined;
  const lab = samples.filter(isLabelled);
  return {
    protocol,
    description: describeProtocol(protocol),
    seed: ctx.seed,
    splits: splits.length,
    nLabelled: lab.length,
    nSaddles: lab.filter((s) => s.isSaddle).length,
    results,
    best,
  };
}

/** The table for people: one row per model, MAE mean +- std (meV), RMSE, R2, 90% coverage. */
export function formatComparisonTable(t: ComparisonTable): string {
  const lines = [
    `${t.description}; ${t.splits} splits; ${t.nLabelled} labelled samples (${t.nSaddles} saddles); seed ${t.seed}`,
    `${'model'.padEnd(44)} ${'MAE meV'.padStart(16)} ${'RMSE meV'.padStart(10)} ${'R2'.padStart(7)} ${'cov90'.padStart(6)} ${'time s'.padStart(8)}`,
  ];
  for (const r of t.results) {
    if (r.error) {
      lines.push(`${r.model.padEnd(44)} failed: ${r.error}`);
      continue;
    }
    const mae = `${(r.maeEv.mean * 1000).toFixed(1)} +- ${(r.maeEv.std * 1000).toFixed(1)}`;
    lines.push(
      `${r.model.padEnd(44)} ${mae.padStart(16)} ${(r.rmseEv.mean * 1000).toFixed(1).padStart(10)} ${r.r2.mean.toFixed(3).padStart(7)} ${(r.coverage90 !== undefined ? r.coverage90.toFixed(2) : '-').padStart(6)} ${r.fitSeconds.toFixed(1).padStart(8)}`,
    );
  }
  if (t.best) lines.push(`best: ${t.best}`);
  return lines.join('\n');
}
