/**
 * Retrain after a campaign's import (issue 16, "then retrain (optional) and show how the predicted barriers and their
 * sigmas moved"): a snapshot of every hop's barriers before the import, the dataset's default model retrained on the
 * labels as they are after it (lib/server/default-model.ts, the model `npm run demo` makes), a snapshot after, and
 * lib/campaign barrierMoves between the two. The snapshots are the profiles page's own hop views (assembleProfiles
 * with the dataset's latest model), so the numbers are the ones people see there.
 */
import { barrierMoves, type BarrierMove, type HopBarrier } from '@/lib/campaign';
import { trainDefaultModel } from '../default-model';
import { assembleProfiles } from '../profiles';

export interface BarrierSnapshot {
  /** The model whose predictions fill the knots without DFT (the dataset's latest), if any. */
  model: { id: string; name: string } | null;
  hops: HopBarrier[];
}

export interface RetrainReport {
  retrained: boolean;
  /** For people: what was trained, or why nothing was. */
  message: string;
  modelBefore: { id: string; name: string } | null;
  modelAfter: { id: string; name: string } | null;
  /** Every hop with a barrier before or after, largest move first (lib/campaign barrierMoves). */
  moves: BarrierMove[];
}

/** Every complete hop's barriers and sigmas, with the display names the profiles page shows. */
export async function barrierSnapshot(datasetId: string): Promise<BarrierSnapshot> {
  const p = await assembleProfiles(datasetId);
  return {
    model: p.model ? { id: p.model.id, name: p.model.name } : null,
    hops: p.surfaces.flatMap((s) =>
      s.hops.map((h): HopBarrier => ({
        surface: s.name,
        hop: h.hop,
        from: h.knots[0].site,
        saddle: h.knots[1].site,
        to: h.knots[2].site,
        forwardEv: h.barrierForwardEv,
        forwardSigmaEv: h.barrierForwardSigmaEv,
        backwardEv: h.barrierBackwardEv,
        backwardSigmaEv: h.barrierBackwardSigmaEv,
        saddleSource: h.knots[1].source,
      })),
    ),
  };
}

/**
 * Retrain the dataset's default model when `newlyStored` > 0 and compare the barriers with `before` (taken before the
 * import). Without new labels nothing is trained (a duplicate import changes nothing); with fewer than 3 saddle
 * labels the default model cannot be chosen and the comparison shows what the new DFT knots alone changed.
 */
export async function retrainAndCompare(
  datasetId: string,
  before: BarrierSnapshot,
  newlyStored: number,
): Promise<RetrainReport> {
  let retrained = false;
  let message: string;
  if (newlyStored === 0) message = 'nothing new was stored: not retrained';
  else {
    const t0 = performance.now();
    const trained = await trainDefaultModel(datasetId);
    retrained = trained !== null;
    message = trained
      ? `retrained the default model on ${trained.nTrain} labels: ${trained.model} (${((performance.now() - t0) / 1000).toFixed(1)} s)`
      : 'not retrained: the default model needs at least 3 saddle labels';
  }
  const after = await barrierSnapshot(datasetId);
  return {
    retrained,
    message,
    modelBefore: before.model,
    modelAfter: after.model,
    moves: barrierMoves(before.hops, after.hops),
  };
}
