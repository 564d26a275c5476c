/**
 * Any model with `anchor: 'endpoints'`: the inner model learns Delta = E_b(saddle) - anchor on the training saddles
 * whose end minima are labelled, with the MEP taken relative to the ends' mean MEP (in training and in prediction);
 * predictions add the anchor back (./anchor.ts). With fewer than 3 such saddles the inner model is the mean Delta.
 * The anchor table (training minima only) is part of the saved state, so a restored model predicts exactly as the
 * trained one.
 */
import type * as tf from '@tensorflow/tfjs';
import { anchoredSaddles, anchorOf, anchorSpread, buildAnchorTable, type AnchorTable } from './anchor';
import { predictiveSigma } from './metrics';
import type { MlContext, ModelSpec, ModelState, TrainedModel } from './models';
import type { LabelledSample, Prediction, Sample } from './types';

const MIN_INNER_SAMPLES = 3;
const CLOSED_FORM = new Set<ModelSpec['type']>(['mean', 'mep-linear', 'pixel-ridge', 'descriptor-gp', 'frozen-ridge']);

interface AnchoredParams {
  anchor: AnchorTable;
  /** Mean and std of Delta over the anchored training saddles (eV). */
  deltaMean: number;
  deltaStd: number;
  /** Spread of training minima about their surface mean (eV): the sigma of a minimum predicted from its surface. */
  minimaStd: number;
  inner: InnerState | null;
  /**
   * Closed-form models only (their state has no tfjs artefacts): the same model on the training minima's residuals
   * from their surface mean, with the MEP relative to the surface's mean minimum MEP. Predicts minima whose group has
   * no label.
   */
  minimaInner?: InnerState | null;
  /** Mean MEP of each surface's training minima (eV), the reference of minimaInner's MEP. */
  surfaceMinimaMep?: Record<string, number>;
}

interface InnerState {
  params: Record<string, unknown>;
  trainIds: string[];
}

export interface AnchoredImpl {
  predict(samples: readonly Sample[]): Promise<Prediction[]>;
  params(): Promise<{ params: Record<string, unknown>; artifacts?: tf.io.ModelArtifacts }>;
  dispose(): void;
}

type Fit = (spec: ModelSpec, train: readonly LabelledSample[], ctx: MlContext) => Promise<TrainedModel>;
type Restore = (state: ModelState, ctx: MlContext) => Promise<TrainedModel>;

function innerSpec(spec: ModelSpec): ModelSpec {
  const { anchor: _anchor, ...rest } = spec;
  void _anchor;
  return rest as ModelSpec;
}

/** The inner model sees the saddle's MEP relative to its end minima, as its target is relative to them. */
function relativeMep<T extends Sample>(s: T): T {
  return s.hopEndsMepEv === undefined ? s : { ...s, mepEv: s.mepEv - s.hopEndsMepEv };
}

/** Predictive sigma of a new draw about `mean` (Student-t: `predictiveSigma`). */
function std(values: readonly number[], mean: number): number {
  if (values.length < 2) return 0;
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1);
  return predictiveSigma(Math.sqrt(variance), values.length);
}

export async function fitAnchored(
  spec: ModelSpec,
  train: readonly LabelledSample[],
  ctx: MlContext,
  fit: Fit,
): Promise<AnchoredImpl> {
  const table = buildAnchorTable(train);
  const saddles = anchoredSaddles(train, table).map((s) => ({
    ...relativeMep(s),
    eBindingEv: s.eBindingEv - anchorOf(s, table).anchorEv,
  }));
  const deltas = saddles.map((s) => s.eBindingEv);
  const deltaMean = deltas.length ? deltas.reduce((a, b) => a + b, 0) / deltas.length : 0;
  const trainMinima = train.filter((s) => !s.isSaddle);
  const minimaResiduals = trainMinima.map((s) => s.eBindingEv - (table.surfaces[s.surfaceId] ?? table.overall));
  const surfaceMinimaMep = meanMepBySurface(trainMinima);
  const params: AnchoredParams = {
    anchor: table,
    deltaMean,
    deltaStd: std(deltas, deltaMean),
    minimaStd: std(minimaResiduals, 0),
    inner: null,
    surfaceMinimaMep,
  };
  const inner = saddles.length >= MIN_INNER_SAMPLES ? await fit(innerSpec(spec), saddles, ctx) : undefined;
  const minimaInner =
    CLOSED_FORM.has(spec.type) && trainMinima.length >= MIN_INNER_SAMPLES
      ? await fit(
          innerSpec(spec),
          trainMinima.map((s, i) => ({ ...relativeToSurface(s, surfaceMinimaMep)!, eBindingEv: minimaResiduals[i] })),
          ctx,
        )
      : undefined;
  return anchoredImpl(params, inner, minimaInner);
}

function meanMepBySurface(minima: readonly Sample[]): Record<string, number> {
  const sums = new Map<string, [number, number]>();
  for (const s of minima) {
    const [total, n] = sums.get(s.surfaceId) ?? [0, 0];
    sums.set(s.surfaceId, [total + s.mepEv, n + 1]);
  }
  return Object.fromEntries([...sums].map(([k, [total, n]]) => [k, total / n]));
}

/** A minimum with its MEP relative to its surface's mean minimum MEP; undefined for a surface without one. */
function relativeToSurface<T extends Sample>(s: T, surfaceMep: Record<string, number>): T | undefined {
  const ref = surfaceMep[s.surfaceId];
  return ref === undefined ? undefined : { ...s, mepEv: s.mepEv - ref };
}

export async function restoreAnchored(state: ModelState, ctx: MlContext, restore: Restore): Promise<AnchoredImpl> {
  const params = state.params as unknown as AnchoredParams;
  const inner = params.inner
    ? await restore(
        { ...state, spec: innerSpec(state.spec), params: params.inner.params, trainIds: params.inner.trainIds },
        ctx,
      )
    : undefined;
  const minimaInner = params.minimaInner
    ? await restore(
        {
          ...state,
          spec: innerSpec(state.spec),
          params: params.minimaInner.params,
          trainIds: params.minimaInner.trainIds,
          artifacts: undefined,
        },
        ctx,
      )
    : undefined;
  return anchoredImpl(params, inner, minimaInner);
}

function anchoredImpl(
  params: AnchoredParams,
  inner: TrainedModel | undefined,
  minimaInner?: TrainedModel,
): AnchoredImpl {
  return {
    async predict(samples) {
      const saddles = samples.filter((s) => s.isSaddle);
      const deltas = inner
        ? new Map((await inner.predict(saddles.map(relativeMep))).map((p) => [p.id, p]))
        : new Map(saddles.map((s) => [s.id, { id: s.id, meanEv: params.deltaMean, sigmaEv: params.deltaStd }]));
      const relativeMinima = samples
        .filter((s) => !s.isSaddle && anchorOf(s, params.anchor).source !== 'group')
        .map((s) => relativeToSurface(s, params.surfaceMinimaMep ?? {}))
        .filter((s): s is Sample => s !== undefined);
      const residuals =
        minimaInner && relativeMinima.length
          ? new Map((await minimaInner.predict(relativeMinima)).map((p) => [p.id, p]))
          : new Map<string, Prediction>();
      return samples.map((s): Prediction => {
        const { anchorEv, source } = anchorOf(s, params.anchor);
        const extra = anchorSpread(source, params.anchor);
        if (s.isSaddle) {
          const d = deltas.get(s.id)!;
          return {
            id: s.id,
            meanEv: anchorEv + d.meanEv,
            sigmaEv: d.sigmaEv === undefined ? undefined : Math.hypot(d.sigmaEv, extra),
          };
        }
        if (source === 'group') return { id: s.id, meanEv: anchorEv, sigmaEv: 0 };
        const r = residuals.get(s.id);
        return {
          id: s.id,
          meanEv: anchorEv + (r?.meanEv ?? 0),
          sigmaEv: Math.hypot(r?.sigmaEv ?? params.minimaStd, extra),
        };
      });
    },
    async params() {
      const minimaState = minimaInner ? await minimaInner.state() : undefined;
      const withMinima: AnchoredParams = {
        ...params,
        minimaInner: minimaState ? { params: minimaState.params, trainIds: minimaState.trainIds } : null,
      };
      if (!inner) return { params: withMinima as unknown as Record<string, unknown> };
      const state = await inner.state();
      return {
        params: { ...withMinima, inner: { params: state.params, trainIds: state.trainIds } } as unknown as Record<
          string,
          unknown
        >,
        artifacts: state.artifacts,
      };
    },
    dispose: () => {
      inner?.dispose();
      minimaInner?.dispose();
    },
  };
}
