/**
 * Active learning across surfaces: which single DFT calculation (surface, site) most reduces the expected error of
 * all directed barriers of the target surfaces (surfaces with sites still to compute).
 *
 * Acquisition (`active`), honestly: the expected reduction of the sum of squared directed-barrier errors of the
 * target surfaces when the candidate's label is added and the model refitted,
 *
 *   score(c) = E[ sum_b (B_b(y) - B_b(mu))^2 - (B_b(y) - B_b(mu + g_c e_c))^2 ]
 *
 * y = mu + e: the knots' true energies, mu the model's predictions, e their errors drawn from the Gaussian surrogate
 * of ./active-surfaces-surrogate.ts (variances from the model's own sigma; the minima of one surface share its
 * offset error, a saddle's error contains its ends'); B_b = max(E_from, E_S, E_to) - E_from, the directed barrier of
 * the three-knot profile; g_c: the model's actual response of every knot to the candidate's label, from two refits
 * with the candidate labelled at its predicted mean +- 5 meV (the step's seed, so only the label differs). The
 * expectation is a mean over 256 draws, the same draws for every candidate (common random numbers). For a Bayesian
 * model this is the barrier variance removed; the site-relative model's update is not Bayesian (a saddle label does
 * not move its end minima), and the score then says what that costs: labelling a saddle of a surface whose offset is
 * unknown makes its barriers worse (score < 0); a first minimum of a surface changes no barrier (score ~ 0).
 *
 * Other strategies: `random` (seeded, uniform over the remaining candidates) and `lowest-minimum` (a user's
 * heuristic: the candidate minimum with the lowest PREDICTED E_b, cycling over the target surfaces in name order;
 * once every minimum is computed, the lowest predicted candidate of the next surface). No strategy reads a label
 * that is not in training: candidates carry no `eBindingEv`, and target surfaces are passed with their labels
 * removed (`hideLabels`).
 */
import { MlError, throwIfAborted } from './errors';
import { trainingRangeEv } from './image';
import { fitModel, type MlContext, type ModelSpec } from './models';
import type { EvalSurface } from './new-surface-score';
import {
  drawErrors,
  errorSurrogate,
  knotBarrier,
  targetSurfaceBarriers,
  type ErrorSurrogate,
  type KnotBarrier,
} from './active-surfaces-surrogate';
import { deriveSeed, mulberry32 } from './rng';
import type { SiteRelativeParams } from './site-relative-model';
import { isLabelled, type LabelledSample, type Prediction, type Sample } from './types';

export type ActiveStrategy = 'active' | 'random' | 'lowest-minimum';
export const ACTIVE_STRATEGIES: readonly ActiveStrategy[] = ['active', 'random', 'lowest-minimum'];

/** Finite-difference step of the fantasy labels (eV). */
export const FANTASY_STEP_EV = 0.005;
/** Draws of the knots' errors behind each expectation. */
export const ACQUISITION_DRAWS = 256;

/** What a strategy may see: visible labels, the target surfaces without labels, candidates without labels. */
export interface ActiveState {
  /** Labels in training: the training surfaces' and those computed so far. */
  train: LabelledSample[];
  /** The target surfaces, every label removed. */
  targets: EvalSurface[];
  /** Every sample of the target surfaces; only those computed so far (in `train`) carry a label. */
  targetSamples: Sample[];
  /** Sites that may be computed next (one per symmetry group), without labels. */
  candidates: Sample[];
}

/** A copy of the surface with every site's label removed (a strategy never sees a target's DFT values). */
export function hideLabels(surface: EvalSurface): EvalSurface {
  return { ...surface, pipeline: { ...surface.pipeline, sites: surface.pipeline.sites.map((s) => ({ ...s, label: null })), nebRuns: [] } };
}

/** A copy of the sample without its label. */
export function withoutLabel(s: Sample): Sample {
  const { eBindingEv: _hidden, ...rest } = s;
  return rest;
}

/** One sample per symmetry group, the first of each in input order. */
export function onePerGroup<T extends Sample>(samples: readonly T[]): T[] {
  const seen = new Set<string>();
  return samples.filter((s) => {
    const g = s.siteGroup ?? s.id;
    if (seen.has(g)) return false;
    seen.add(g);
    return true;
  });
}

export interface CandidateScore {
  id: string;
  surface: string;
  kind: string;
  isSaddle: boolean;
  predictedEv: number;
  sigmaEv: number | null;
  /** Expected reduction of the sum of squared directed-barrier errors over the target surfaces (eV^2). */
  scoreEv2: number;
}

export interface StepFit {
  predictions: Map<string, Prediction>;
  params: SiteRelativeParams | null;
  trainIds: string[];
}

/** Fit `spec` on the state's training labels and predict every target sample. */
export async function fitStep(spec: ModelSpec, train: readonly LabelledSample[], targetSamples: readonly Sample[], ctx: MlContext): Promise<StepFit> {
  const model = await fitModel(spec, train, { ...ctx, imageSettings: { rangeEv: trainingRangeEv(train) } });
  try {
    const preds = await model.predict(targetSamples);
    const params = spec.type === 'site-relative' && !spec.anchor ? ((await model.state()).params as unknown as SiteRelativeParams) : null;
    return { predictions: new Map(preds.map((p) => [p.id, p])), params, trainIds: [...model.trainIds] };
  } finally {
    model.dispose();
  }
}

/** The directed barriers of all target surfaces under the current predictions. */
export function targetBarriers(state: ActiveState, predictions: ReadonlyMap<string, Prediction>): KnotBarrier[] {
  return state.targets.flatMap((t) =>
    targetSurfaceBarriers(
      t,
      state.targetSamples.filter((s) => s.surfaceId === t.id),
      predictions,
    ),
  );
}

/** The predicted energy of every symmetry group of the targets (its first sample's prediction). */
function groupMeans(targetSamples: readonly Sample[], predictions: ReadonlyMap<string, Prediction>): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of targetSamples) {
    const g = s.siteGroup ?? s.id;
    const p = predictions.get(s.id);
    if (!out.has(g) && p) out.set(g, p.meanEv);
  }
  return out;
}

/** Sum over barriers of B(mu + shift) for knot energies mu (by group) shifted by `shift` (absent: 0). */
function barrierValues(barriers: readonly KnotBarrier[], mu: ReadonlyMap<string, number>, shift: (group: string) => number): Float64Array {
  const out = new Float64Array(barriers.length);
  barriers.forEach((b, i) => {
    const [f, s, t] = b.groups.map((g) => (mu.get(g) ?? NaN) + shift(g));
    out[i] = knotBarrier(f, s, t);
  });
  return out;
}

/**
 * The acquisition score of every candidate (see the module comment). `fit`: the step's fit on `state.train`;
 * `ctx.seed` is the step's seed, reused for the fantasy refits and the draws.
 */
export async function scoreCandidates(
  spec: ModelSpec,
  state: ActiveState,
  fit: StepFit,
  ctx: MlContext,
): Promise<{ scores: CandidateScore[]; surrogate: ErrorSurrogate; barriers: KnotBarrier[]; expectedErrorEv2: number }> {
  const labelledGroups = new Set(state.train.map((s) => s.siteGroup ?? s.id));
  const surrogate = errorSurrogate(state.targetSamples, fit.predictions, labelledGroups, fit.params);
  const barriers = targetBarriers(state, fit.predictions);
  const mu = groupMeans(state.targetSamples, fit.predictions);
  const draws = drawErrors(surrogate, ACQUISITION_DRAWS, mulberry32(deriveSeed(ctx.seed, 'acquisition')));
  const now = barrierValues(barriers, mu, () => 0);
  const truths = draws.map((e) => barrierValues(barriers, mu, (g) => e.get(g) ?? 0));
  let before = 0;
  for (const t of truths) for (let i = 0; i < t.length; i++) before += (t[i] - now[i]) ** 2;
  before /= Math.max(draws.length, 1);
  const scores: CandidateScore[] = [];
  for (const c of state.candidates) {
    throwIfAborted(ctx.signal);
    const p = fit.predictions.get(c.id);
    if (!p) throw new MlError('bad_samples', `candidate ${c.id} is not among the target samples`);
    const g = c.siteGroup ?? c.id;
    const fantasy = async (delta: number): Promise<Map<string, number>> =>
      groupMeans(state.targetSamples, (await fitStep(spec, [...state.train, { ...c, eBindingEv: p.meanEv + delta }], state.targetSamples, ctx)).predictions);
    const [plus, minus] = [await fantasy(FANTASY_STEP_EV), await fantasy(-FANTASY_STEP_EV)];
    const response = new Map([...mu.keys()].map((k) => [k, ((plus.get(k) ?? 0) - (minus.get(k) ?? 0)) / (2 * FANTASY_STEP_EV)]));
    let after = 0;
    draws.forEach((e, d) => {
      const ec = e.get(g) ?? 0;
      const updated = barrierValues(barriers, mu, (k) => (response.get(k) ?? 0) * ec);
      for (let i = 0; i < updated.length; i++) after += (truths[d][i] - updated[i]) ** 2;
    });
    after /= Math.max(draws.length, 1);
    scores.push({ id: c.id, surface: c.surfaceId, kind: c.kind, isSaddle: c.isSaddle, predictedEv: p.meanEv, sigmaEv: p.sigmaEv ?? null, scoreEv2: before - after });
  }
  scores.sort((a, b) => b.scoreEv2 - a.scoreEv2 || a.id.localeCompare(b.id));
  return { scores, surrogate, barriers, expectedErrorEv2: before };
}

/** Where `lowest-minimum` looks next: the index of the surface after the one it last computed on. */
export interface ChooserMemory {
  nextSurface: number;
}

/**
 * The next calculation of a strategy. `rand` drives `random` only; `memory` holds `lowest-minimum`'s cycle.
 * Returns the candidate's id, or null when none is left.
 */
export async function chooseNext(
  strategy: ActiveStrategy,
  spec: ModelSpec,
  state: ActiveState,
  fit: StepFit,
  ctx: MlContext,
  rand: () => number,
  memory: ChooserMemory,
): Promise<string | null> {
  const pool = [...state.candidates].sort((a, b) => a.id.localeCompare(b.id));
  if (pool.length === 0) return null;
  if (strategy === 'random') return pool[Math.floor(rand() * pool.length)].id;
  if (strategy === 'active') return (await scoreCandidates(spec, state, fit, ctx)).scores[0].id;
  const surfaces = [...new Set(state.targets.map((t) => t.id))].sort();
  const predicted = (s: Sample): number => fit.predictions.get(s.id)?.meanEv ?? Infinity;
  const lowest = (list: readonly Sample[]): Sample | undefined =>
    [...list].sort((a, b) => predicted(a) - predicted(b) || a.id.localeCompare(b.id))[0];
  const anyMinimum = pool.some((s) => !s.isSaddle);
  for (let i = 0; i < surfaces.length; i++) {
    const k = (memory.nextSurface + i) % surfaces.length;
    const own = pool.filter((s) => s.surfaceId === surfaces[k] && (!anyMinimum || !s.isSaddle));
    const pick = lowest(own);
    if (pick) {
      memory.nextSurface = (k + 1) % surfaces.length;
      return pick.id;
    }
  }
  return null;
}

/** Add a computed label: it joins training, the target sample carries it, the candidate leaves the pool. */
export function reveal(state: ActiveState, id: string, eBindingEv: number): ActiveState {
  const c = state.candidates.find((s) => s.id === id);
  if (!c) throw new MlError('bad_samples', `${id} is not a candidate`);
  return {
    ...state,
    train: [...state.train, { ...c, eBindingEv }],
    targetSamples: state.targetSamples.map((s) => (s.id === id ? { ...s, eBindingEv } : s)),
    candidates: state.candidates.filter((s) => s.id !== id),
  };
}

export interface NextCalculation extends CandidateScore {
  /** The app's site id and the name people see (the user's label name on a labelled twin, else the app's id). */
  siteName: string;
  site: string;
}

/**
 * Suggest mode: train on every label; the targets are the surfaces with an unlabelled symmetry group; rank their
 * unlabelled groups (one site each) by the acquisition score.
 */
export async function suggestNextCalculation(
  spec: ModelSpec,
  samples: readonly Sample[],
  surfaces: readonly EvalSurface[],
  ctx: MlContext,
): Promise<{ next: NextCalculation[]; expectedBarrierRmseEv: number; barriers: number; targets: string[]; notes: string[] }> {
  const train = samples.filter(isLabelled);
  const labelledGroups = new Set(train.map((s) => s.siteGroup ?? s.id));
  const candidates = onePerGroup(samples.filter((s) => !isLabelled(s) && !labelledGroups.has(s.siteGroup ?? s.id))).map(withoutLabel);
  const targetIds = new Set(candidates.map((s) => s.surfaceId));
  const targets = surfaces.filter((s) => targetIds.has(s.id));
  const targetSamples = samples.filter((s) => targetIds.has(s.surfaceId));
  const state: ActiveState = { train, targets: targets.map(hideLabels), targetSamples, candidates };
  if (candidates.length === 0) return { next: [], expectedBarrierRmseEv: 0, barriers: 0, targets: [], notes: ['every site group is labelled'] };
  const fit = await fitStep(spec, train, targetSamples, ctx);
  const { scores, surrogate, barriers, expectedErrorEv2 } = await scoreCandidates(spec, state, fit, ctx);
  const sites = new Map<string, EvalSurface['pipeline']['sites'][number]>(surfaces.flatMap((t) => t.pipeline.sites.map((s) => [`${t.id}/${s.id}`, s] as const)));
  const next = scores.map((c): NextCalculation => {
    const site = sites.get(c.id);
    return { ...c, siteName: site?.name ?? c.id, site: site?.label?.name ?? site?.name ?? c.id };
  });
  return {
    next,
    expectedBarrierRmseEv: barriers.length ? Math.sqrt(expectedErrorEv2 / barriers.length) : 0,
    barriers: barriers.length,
    targets: targets.map((t) => t.id),
    notes: surrogate.notes,
  };
}
