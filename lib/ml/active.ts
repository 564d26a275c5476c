/**
 * Active learning: rank uncomputed saddles by predictive sigma, and a retrospective simulation on a fully labelled
 * dataset: MAE on a fixed held-out set of saddles versus the fraction of (pool) saddles computed, active vs random.
 */
import { MlError, throwIfAborted } from './errors';
import { regressionMetrics } from './metrics';
import { fitModel, type MlContext, type ModelSpec } from './models';
import { deriveSeed, mulberry32, shuffled } from './rng';
import { isLabelled, type LabelledSample, type Prediction, type Sample } from './types';

/** Uncomputed saddles ordered by sigma, largest first (those to run NEB/CI-NEB on next). */
export function rankBySigma(predictions: readonly Prediction[]): Prediction[] {
  return [...predictions].sort((a, b) => (b.sigmaEv ?? 0) - (a.sigmaEv ?? 0));
}

/**
 * Saddles worth computing: unlabelled, with no labelled symmetry twin (its label would already be theirs), one per
 * symmetry group (equivalent saddles give the same answer).
 */
export function uncomputedSaddles(samples: readonly Sample[]): Sample[] {
  const labelledGroups = new Set(samples.filter(isLabelled).map((s) => s.siteGroup).filter((g) => g !== undefined));
  const seen = new Set<string>();
  return samples.filter((s) => {
    if (!s.isSaddle || isLabelled(s)) return false;
    if (s.siteGroup === undefined) return true;
    if (labelledGroups.has(s.siteGroup) || seen.has(s.siteGroup)) return false;
    seen.add(s.siteGroup);
    return true;
  });
}

/** Fit on the labelled samples and rank the saddles still to compute. */
export async function suggestNext(spec: ModelSpec, samples: readonly Sample[], ctx: MlContext, count = 10): Promise<Prediction[]> {
  const train = samples.filter(isLabelled);
  const pool = uncomputedSaddles(samples);
  const model = await fitModel(spec, train, ctx);
  try {
    return rankBySigma(await model.predict(pool)).slice(0, count);
  } finally {
    model.dispose();
  }
}

export interface ActiveCurvePoint {
  /** Fraction of the pool saddles computed (in training). */
  fraction: number;
  nTrainSaddles: number;
  randomMaeEv: number;
  activeMaeEv: number;
}

export interface ActiveSimulation {
  points: ActiveCurvePoint[];
  testSaddles: number;
  poolSaddles: number;
  repeats: number;
}

/**
 * Retrospective simulation. Per repeat: a fixed `testFraction` of saddles is held out; all minima plus `initial` pool
 * saddles start in training; each step adds `step` saddles, chosen at random or by largest sigma. MAE is averaged over
 * repeats at each step.
 */
export async function simulateActiveLearning(
  spec: ModelSpec,
  samples: readonly Sample[],
  ctx: MlContext,
  opts: { testFraction?: number; initial?: number; step?: number; steps?: number; repeats?: number } = {},
): Promise<ActiveSimulation> {
  const lab = samples.filter(isLabelled);
  const minima = lab.filter((s) => !s.isSaddle);
  const saddles = lab.filter((s) => s.isSaddle);
  if (saddles.length < 6) throw new MlError('not_enough_data', `active-learning simulation needs >= 6 labelled saddles, found ${saddles.length}`);
  const repeats = opts.repeats ?? 3;
  const nTest = Math.max(1, Math.round((opts.testFraction ?? 0.3) * saddles.length));
  const poolSize = saddles.length - nTest;
  const step = opts.step ?? Math.max(1, Math.round(poolSize / 10));
  const initial = Math.min(poolSize, opts.initial ?? step);
  const steps = opts.steps ?? Math.ceil((poolSize - initial) / step);
  const acc: { n: number; random: number; active: number }[] = [];
  for (let r = 0; r < repeats; r++) {
    const order = shuffled(saddles, mulberry32(deriveSeed(ctx.seed, `active:${r}`)));
    const test = order.slice(0, nTest);
    const pool = order.slice(nTest);
    for (const strategy of ['random', 'active'] as const) {
      const chosen: LabelledSample[] = pool.slice(0, initial);
      let rest = pool.slice(initial);
      const randomRest = shuffled(rest, mulberry32(deriveSeed(ctx.seed, `random:${r}`)));
      if (strategy === 'random') rest = randomRest;
      for (let k = 0; k <= steps; k++) {
        throwIfAborted(ctx.signal);
        const model = await fitModel(spec, [...minima, ...chosen], { ...ctx, seed: deriveSeed(ctx.seed, `${r}:${k}`) });
        const preds = await model.predict(test);
        const mae = regressionMetrics(
          test.map((s) => s.eBindingEv),
          preds.map((p) => p.meanEv),
        ).maeEv;
        acc[k] ??= { n: chosen.length, random: 0, active: 0 };
        acc[k][strategy] += mae / repeats;
        if (rest.length === 0 || k === steps) {
          model.dispose();
          continue;
        }
        if (strategy === 'active') {
          const poolPreds = await model.predict(rest);
          const ranked = rankBySigma(poolPreds).slice(0, step).map((p) => p.id);
          const pick = new Set(ranked);
          chosen.push(...rest.filter((s) => pick.has(s.id)));
          rest = rest.filter((s) => !pick.has(s.id));
        } else {
          chosen.push(...rest.slice(0, step));
          rest = rest.slice(step);
        }
        model.dispose();
      }
    }
  }
  return {
    points: acc.map((a) => ({ fraction: a.n / poolSize, nTrainSaddles: a.n, randomMaeEv: a.random, activeMaeEv: a.active })),
    testSaddles: nTest,
    poolSaddles: poolSize,
    repeats,
  };
}

export function formatActiveCurve(sim: ActiveSimulation): string {
  const lines = [
    `active learning: ${sim.poolSaddles} pool saddles, ${sim.testSaddles} held-out test saddles, ${sim.repeats} repeats`,
    `${'fraction'.padStart(9)} ${'n'.padStart(4)} ${'random MAE meV'.padStart(15)} ${'active MAE meV'.padStart(15)}`,
  ];
  for (const p of sim.points)
    lines.push(`${p.fraction.toFixed(2).padStart(9)} ${String(p.nTrainSaddles).padStart(4)} ${(p.randomMaeEv * 1000).toFixed(1).padStart(15)} ${(p.activeMaeEv * 1000).toFixed(1).padStart(15)}`);
  return lines.join('\n');
}
