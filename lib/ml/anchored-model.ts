/**
 * Any model with `anchor: 'endpoints'`: the inner model learns Delta = E_b(saddle) - anchor on the training saddles
 * whose end minima are labelled, with the MEP taken relative to the ends' mean MEP (in training and in prediction);
 * predictions add the anchor back (./anchor.ts). With fewer than 3 such saddles the inner model is the mean Delta.
 * The anchor table (training minima only) is part of the saved state, so a restored model predicts exactly as the
 * trained one.
 */
import type * as tf from '@tensorflow/tfjs';
import { anchoredSaddles, anchorOf, anchorSpread, buildAnchorTable, type AnchorTable } from './anchor';
import type { MlContext, ModelSpec, ModelState, TrainedModel } from './models';
import type { LabelledSample, Prediction, Sample } from './types';

const MIN_INNER_SAMPLES = 3;

interface AnchoredParams {
  anchor: AnchorTable;
  /** Mean and std of Delta over the anchored training saddles (eV). */
  deltaMean: number;
  deltaStd: number;
  /** Spread of training minima about their surface mean (eV): the sigma of a minimum predicted from its surface. */
  minimaStd: number;
  inner: { params: Record<string, unknown>; trainIds: string[] } | null;
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

/** Predictive std of a new draw about `mean`: sample std times sqrt(1 + 1/n). */
function std(values: readonly number[], mean: number): number {
  if (values.length < 2) return 0;
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1);
  return Math.sqrt(variance * (1 + 1 / values.length));
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
  const minimaResiduals = train
    .filter((s) => !s.isSaddle)
    .map((s) => s.eBindingEv - (table.surfaces[s.surfaceId] ?? table.overall));
  const params: AnchoredParams = {
    anchor: table,
    deltaMean,
    deltaStd: std(deltas, deltaMean),
    minimaStd: std(minimaResiduals, 0),
    inner: null,
  };
  const inner = saddles.length >= MIN_INNER_SAMPLES ? await fit(innerSpec(spec), saddles, ctx) : undefined;
  return anchoredImpl(params, inner);
}

export async function restoreAnchored(state: ModelState, ctx: MlContext, restore: Restore): Promise<AnchoredImpl> {
  const params = state.params as unknown as AnchoredParams;
  const inner = params.inner
    ? await restore(
        { ...state, spec: innerSpec(state.spec), params: params.inner.params, trainIds: params.inner.trainIds },
        ctx,
      )
    : undefined;
  return anchoredImpl(params, inner);
}

function anchoredImpl(params: AnchoredParams, inner: TrainedModel | undefined): AnchoredImpl {
  return {
    async predict(samples) {
      const saddles = samples.filter((s) => s.isSaddle);
      const deltas = inner
        ? new Map((await inner.predict(saddles.map(relativeMep))).map((p) => [p.id, p]))
        : new Map(saddles.map((s) => [s.id, { id: s.id, meanEv: params.deltaMean, sigmaEv: params.deltaStd }]));
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
        return { id: s.id, meanEv: anchorEv, sigmaEv: source === 'group' ? 0 : Math.hypot(params.minimaStd, extra) };
      });
    },
    async params() {
      if (!inner) return { params: params as unknown as Record<string, unknown> };
      const state = await inner.state();
      return {
        params: { ...params, inner: { params: state.params, trainIds: state.trainIds } } as unknown as Record<
          string,
          unknown
        >,
        artifacts: state.artifacts,
      };
    },
    dispose: () => inner?.dispose(),
  };
}
