/**
 * Retrospective simulation of cross-surface active learning (./active-surfaces.ts) on fully or partly labelled
 * surfaces. A run holds some surfaces out as "new" (their labels hidden) and trains on the others (k = 0). Each step
 * every strategy adds one calculation from the pool (every labelled site of the new surfaces, one per symmetry
 * group), the model is refitted, and the new surfaces are scored against their hidden DFT labels:
 *
 * - directed-barrier MAE: every symmetry-distinct directed barrier of the new surfaces that is complete in DFT
 *   (./new-surface-score.ts, the one scorer), the computed sites at their DFT value. The set is the same at every
 *   step and for every strategy (a barrier whose knots are all computed counts with its zero error: what the user
 *   then has); `open` restricts it to barriers with a knot still hidden;
 * - minima E_b MAE over the pool minima not yet computed (NaN when none is left).
 *
 * Pairing: within a run every strategy starts from the same state, the fit of step t uses the same seed for every
 * strategy, and `random` draws from its own seeded stream. Runs: leave one surface out (each surface, `repeats`
 * seeds), `hold-out` N surfaces drawn per repeat, or a fixed `test` set repeated over seeds. At each step the curves
 * (MAE pooled over the runs' barriers) and a paired comparison of `active` with each other strategy over runs (mean difference, wins/ties/losses,
 * Wilcoxon signed-rank p, ./stats.ts) are reported.
 */
import { MlError, throwIfAborted } from './errors';
import { newSurfaceSplits } from './new-surface';
import { scoreSurfaceBarriers, type EvalSurface } from './new-surface-score';
import { deriveSeed, mulberry32, shuffled } from './rng';
import { wilcoxonSignedRank } from './stats';
import type { MlContext, ModelSpec } from './models';
import { isLabelled, type LabelledSample, type Prediction, type Sample } from './types';
import {
  chooseNext,
  fitStep,
  hideLabels,
  onePerGroup,
  reveal,
  withoutLabel,
  ACTIVE_STRATEGIES,
  type ActiveState,
  type ActiveStrategy,
} from './active-surfaces';

export type ActiveSurfacesProtocol = { kind: 'loso' } | { kind: 'hold-out'; n: number } | { kind: 'test'; surfaces: string[] };

export interface ActiveStepScore {
  step: number;
  /** The calculation added at this step (sample id), null at step 0 or when the pool is empty. */
  chosen: string | null;
  barrierMaeEv: number;
  openBarrierMaeEv: number;
  nBarriers: number;
  nOpenBarriers: number;
  minimaMaeEv: number;
  nMinima: number;
  /** Ids the step's model was trained on that belong to the new surfaces (all computed before this step). */
  newSurfaceTrainIds: string[];
}

export interface ActiveRun {
  run: number;
  testSurfaces: string[];
  seed: number;
  initialTrainIds: string[];
  poolIds: string[];
  strategies: Record<string, ActiveStepScore[]>;
}

export interface PairedStep {
  step: number;
  against: string;
  /** Mean over runs of MAE(active) - MAE(other), eV. */
  meanDiffEv: number;
  wins: number;
  ties: number;
  losses: number;
  pValue: number;
}

export interface ActiveSurfacesReport {
  spec: ModelSpec;
  protocol: ActiveSurfacesProtocol;
  seed: number;
  steps: number;
  repeats: number;
  strategies: ActiveStrategy[];
  runs: ActiveRun[];
  /** Per strategy and step, pooled over runs (MAE over all barriers / hidden minima of all runs). */
  curves: Record<string, { step: number; barrierMaeEv: number; openBarrierMaeEv: number; minimaMaeEv: number; nMinimaRuns: number }[]>;
  paired: PairedStep[];
}

/** The runs of a protocol: the new surfaces of each and its seed label. */
export function activeRuns(surfaces: readonly string[], protocol: ActiveSurfacesProtocol, repeats: number, seed: number): { test: string[]; seed: number }[] {
  const sorted = [...surfaces].sort();
  const runs: { test: string[]; seed: number }[] = [];
  if (protocol.kind === 'loso') {
    for (const t of sorted) for (let r = 0; r < repeats; r++) runs.push({ test: [t], seed: deriveSeed(seed, `${t}:${r}`) });
  } else if (protocol.kind === 'hold-out') {
    if (protocol.n < 1 || protocol.n >= sorted.length)
      throw new MlError('not_enough_data', `--hold-out ${protocol.n}: needs 1 <= N < ${sorted.length} (labelled surfaces)`);
    for (let r = 0; r < repeats; r++) {
      const s = deriveSeed(seed, `hold-out:${r}`);
      runs.push({ test: shuffled(sorted, mulberry32(s)).slice(0, protocol.n).sort(), seed: s });
    }
  } else {
    for (const t of protocol.surfaces) if (!sorted.includes(t)) throw new MlError('not_enough_data', `surface ${t} has no labels`);
    for (let r = 0; r < repeats; r++) runs.push({ test: [...protocol.surfaces].sort(), seed: deriveSeed(seed, `test:${r}`) });
  }
  return runs;
}

/** The state at k = 0: training surfaces' labels; the new surfaces' labels hidden; the pool; the hidden labels apart. */
export function initialActiveState(
  samples: readonly Sample[],
  surfaces: readonly EvalSurface[],
  test: readonly string[],
): { state: ActiveState; hidden: Map<string, number> } {
  const labelledSurfaces = [...new Set(samples.filter(isLabelled).map((s) => s.surfaceId))];
  const train = labelledSurfaces.filter((s) => !test.includes(s));
  const [split] = newSurfaceSplits(samples, surfaces, { kind: 'train-test', train, test }, 0);
  const byId = new Map(samples.map((s) => [s.id, s]));
  const pool = onePerGroup(samples.filter((s) => test.includes(s.surfaceId) && isLabelled(s))) as LabelledSample[];
  const hidden = new Map(pool.map((s) => [s.id, s.eBindingEv]));
  return {
    state: {
      train: split.trainIds.map((id) => byId.get(id) as LabelledSample),
      targets: surfaces.filter((s) => test.includes(s.id)).map(hideLabels),
      targetSamples: samples.filter((s) => test.includes(s.surfaceId)).map(withoutLabel),
      candidates: pool.map(withoutLabel),
    },
    hidden,
  };
}

const mean = (v: readonly number[]): number => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN);

function scoreStep(
  state: ActiveState,
  originals: ReadonlyMap<string, EvalSurface>,
  predictions: ReadonlyMap<string, Prediction>,
  hidden: ReadonlyMap<string, number>,
  computed: ReadonlySet<string>,
): Omit<ActiveStepScore, 'step' | 'chosen' | 'newSurfaceTrainIds'> {
  const errs: number[] = [];
  const open: number[] = [];
  for (const t of state.targets) {
    const surface = originals.get(t.id)!;
    const prefix = `${t.id}/`;
    const sitePreds = new Map<string, Prediction>();
    for (const [id, p] of predictions) if (id.startsWith(prefix)) sitePreds.set(id.slice(prefix.length), p);
    const shots = new Set([...computed].filter((id) => id.startsWith(prefix)).map((id) => id.slice(prefix.length)));
    // Symmetry keys of the computed sites (as the scorer keys them) tell which barriers still have a hidden knot.
    const key = (id: string): string => {
      const s = surface.pipeline.sites.find((x) => x.id === id)!;
      return s.symmetryGroup === null ? `site:${s.id}` : `${s.kind}#${s.symmetryGroup}`;
    };
    const done = new Set([...shots].map(key));
    for (const b of scoreSurfaceBarriers(surface, sitePreds, shots).barriers) {
      const e = Math.abs(b.predictedEv - b.dftEv);
      errs.push(e);
      if (b.key.split('>').some((k) => !done.has(k))) open.push(e);
    }
  }
  const minima = [...hidden].filter(([id]) => !computed.has(id) && !state.targetSamples.find((s) => s.id === id)!.isSaddle);
  const minErr = minima.map(([id, y]) => Math.abs(predictions.get(id)!.meanEv - y));
  return {
    barrierMaeEv: mean(errs),
    openBarrierMaeEv: open.length ? mean(open) : 0,
    nBarriers: errs.length,
    nOpenBarriers: open.length,
    minimaMaeEv: mean(minErr),
    nMinima: minErr.length,
  };
}

/** One strategy through one run: `steps` calculations, scored before the first and after each. */
async function simulateStrategy(
  strategy: ActiveStrategy,
  spec: ModelSpec,
  start: ActiveState,
  hidden: ReadonlyMap<string, number>,
  originals: ReadonlyMap<string, EvalSurface>,
  steps: number,
  runSeed: number,
  ctx: MlContext,
): Promise<ActiveStepScore[]> {
  let state = start;
  const computed = new Set<string>();
  const rand = mulberry32(deriveSeed(runSeed, 'random'));
  const memory = { nextSurface: 0 };
  const out: ActiveStepScore[] = [];
  let chosen: string | null = null;
  const targetIds = new Set(start.targetSamples.map((s) => s.id));
  for (let step = 0; step <= steps; step++) {
    throwIfAborted(ctx.signal);
    const stepCtx: MlContext = { ...ctx, seed: deriveSeed(runSeed, `step:${step}`) };
    const fit = await fitStep(spec, state.train, state.targetSamples, stepCtx);
    const fromNew = fit.trainIds.filter((id) => targetIds.has(id));
    for (const id of fromNew)
      if (!computed.has(id)) throw new MlError('leak', `${strategy}, step ${step}: hidden label ${id} is in training`);
    out.push({ step, chosen, ...scoreStep(state, originals, fit.predictions, hidden, computed), newSurfaceTrainIds: fromNew });
    if (step === steps) break;
    chosen = await chooseNext(strategy, spec, state, fit, stepCtx, rand, memory);
    if (chosen !== null) {
      state = reveal(state, chosen, hidden.get(chosen)!);
      computed.add(chosen);
    }
  }
  return out;
}

export async function simulateActiveSurfaces(
  spec: ModelSpec,
  samples: readonly Sample[],
  surfaces: readonly EvalSurface[],
  protocol: ActiveSurfacesProtocol,
  ctx: MlContext,
  opts: { steps?: number; repeats?: number; strategies?: readonly ActiveStrategy[]; onRun?: (done: number, total: number) => void } = {},
): Promise<ActiveSurfacesReport> {
  const steps = opts.steps ?? 6;
  const repeats = opts.repeats ?? 5;
  const strategies = [...(opts.strategies ?? ACTIVE_STRATEGIES)];
  const labelled = [...new Set(samples.filter(isLabelled).map((s) => s.surfaceId))];
  const originals = new Map(surfaces.map((s) => [s.id, s]));
  const plan = activeRuns(labelled, protocol, repeats, ctx.seed);
  const runs: ActiveRun[] = [];
  for (const [i, r] of plan.entries()) {
    const { state, hidden } = initialActiveState(samples, surfaces, r.test);
    const run: ActiveRun = {
      run: i,
      testSurfaces: r.test,
      seed: r.seed,
      initialTrainIds: state.train.map((s) => s.id),
      poolIds: state.candidates.map((s) => s.id),
      strategies: {},
    };
    for (const strategy of strategies)
      run.strategies[strategy] = await simulateStrategy(strategy, spec, state, hidden, originals, steps, r.seed, ctx);
    runs.push(run);
    opts.onRun?.(i + 1, plan.length);
  }
  return { spec, protocol, seed: ctx.seed, steps, repeats, strategies, runs, curves: meanCurves(runs, strategies, steps), paired: pairedSteps(runs, strategies, steps) };
}

function meanCurves(runs: readonly ActiveRun[], strategies: readonly string[], steps: number): ActiveSurfacesReport['curves'] {
  // Pooled over runs, each barrier (each minimum) weighing once, as `epdi evaluate` pools its splits.
  const pooled = (pairs: [number, number][]): number => {
    const n = pairs.reduce((a, [, k]) => a + k, 0);
    return n ? pairs.reduce((a, [m, k]) => a + (k ? m * k : 0), 0) / n : NaN;
  };
  const out: ActiveSurfacesReport['curves'] = {};
  for (const s of strategies) {
    out[s] = [];
    for (let k = 0; k <= steps; k++) {
      const at = runs.map((r) => r.strategies[s][k]);
      out[s].push({
        step: k,
        barrierMaeEv: pooled(at.map((p) => [p.barrierMaeEv, p.nBarriers])),
        openBarrierMaeEv: pooled(at.map((p) => [p.openBarrierMaeEv, p.nOpenBarriers])),
        minimaMaeEv: pooled(at.map((p) => [p.minimaMaeEv, p.nMinima])),
        nMinimaRuns: at.filter((p) => p.nMinima > 0).length,
      });
    }
  }
  return out;
}

/** `active` against each other strategy at each step: paired over runs on the directed-barrier MAE. */
function pairedSteps(runs: readonly ActiveRun[], strategies: readonly string[], steps: number): PairedStep[] {
  if (!strategies.includes('active')) return [];
  const out: PairedStep[] = [];
  for (const other of strategies.filter((s) => s !== 'active'))
    for (let k = 0; k <= steps; k++) {
      const d = runs.map((r) => r.strategies.active[k].barrierMaeEv - r.strategies[other][k].barrierMaeEv);
      const tol = 1e-9;
      out.push({
        step: k,
        against: other,
        meanDiffEv: mean(d),
        wins: d.filter((x) => x < -tol).length,
        ties: d.filter((x) => Math.abs(x) <= tol).length,
        losses: d.filter((x) => x > tol).length,
        pValue: wilcoxonSignedRank(d.map((x) => (Math.abs(x) <= tol ? 0 : x))).pValue,
      });
    }
  return out;
}
