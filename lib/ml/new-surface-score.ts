/**
 * Scoring one test surface of a new-surface protocol through the one pipeline (lib/pipeline): the DFT assembly
 * (labels only, symmetry fill-in as lib/pipeline/knots.ts does) against the predicted assembly (every site predicted,
 * the few-shot labels kept as DFT). Hops are the app's (one per bridge, lib/surface); a hop is scored when its three
 * sites have DFT energies (own or by symmetry), in both directions (E_S - E_A and E_S - E_B), once per
 * symmetry-distinct directed hop. The percolating barrier is compared where every hop of the surface is complete
 * in DFT.
 */
import { assembleSurfaceProfiles, type HopProfileView, type PipelineSite, type PipelineSurface } from '../pipeline';
import type { Prediction } from './types';

export interface EvalSurface {
  /** Equals the samples' surfaceId; sample ids are `${id}/${site.id}`. */
  id: string;
  host: string;
  dopant: string | null;
  pipeline: PipelineSurface;
}

export interface DirectedBarrier {
  surface: string;
  hop: string;
  /** Display names (the user's label names where labelled): start, saddle, end of this direction. */
  from: string;
  saddle: string;
  to: string;
  direction: 'forward' | 'backward';
  predictedEv: number;
  dftEv: number;
  /** Symmetry-distinct key within the surface. */
  key: string;
}

export interface SurfaceBarrierScore {
  surface: string;
  barriers: DirectedBarrier[];
  percolation: { predictedEv: number; dftEv: number } | null;
  /** Why the percolating barrier was not compared, when it was not. */
  percolationNote: string | null;
}

const groupKey = (s: PipelineSite): string => (s.symmetryGroup === null ? `site:${s.id}` : `${s.kind}#${s.symmetryGroup}`);

/**
 * `predictions` by site id (the surface's PipelineSite.id); `shotSiteIds`: sites whose DFT label the model was given.
 * `constantBarrierEv`: instead of predictions, every directed barrier (and the percolating barrier) is this value.
 */
export function scoreSurfaceBarriers(
  surface: EvalSurface,
  predictions: ReadonlyMap<string, Prediction> | null,
  shotSiteIds: ReadonlySet<string>,
  constantBarrierEv?: number,
): SurfaceBarrierScore {
  const dft = assembleSurfaceProfiles(surface.pipeline).surface;
  const byId = new Map(surface.pipeline.sites.map((s) => [s.id, s]));
  let predViews = new Map<string, HopProfileView>();
  let predPercolation: number | null = constantBarrierEv ?? null;
  if (predictions) {
    const predSurface: PipelineSurface = {
      ...surface.pipeline,
      sites: surface.pipeline.sites.map((s) => {
        const p = predictions.get(s.id);
        return {
          ...s,
          label: shotSiteIds.has(s.id) ? s.label : null,
          prediction: p ? { valueEv: p.meanEv, sigmaEv: p.sigmaEv ?? null } : null,
        };
      }),
      nebRuns: [],
    };
    const assembled = assembleSurfaceProfiles(predSurface).surface;
    predViews = new Map(assembled.hops.map((h) => [h.hopId, h]));
    predPercolation = assembled.percolation?.barrierEv ?? null;
  }
  const seen = new Set<string>();
  const barriers: DirectedBarrier[] = [];
  for (const v of dft.hops) {
    const [a, s, b] = v.knots.map((k) => byId.get(k.siteId)!);
    const p = predViews.get(v.hopId);
    if (predictions && !p) continue;
    const dirs = [
      { direction: 'forward' as const, key: `${groupKey(a)}>${groupKey(s)}>${groupKey(b)}`, dftEv: v.barrierForwardEv, pred: p?.barrierForwardEv, names: [0, 1, 2] },
      { direction: 'backward' as const, key: `${groupKey(b)}>${groupKey(s)}>${groupKey(a)}`, dftEv: v.barrierBackwardEv, pred: p?.barrierBackwardEv, names: [2, 1, 0] },
    ];
    for (const d of dirs) {
      if (seen.has(d.key)) continue;
      seen.add(d.key);
      barriers.push({
        surface: surface.id,
        hop: v.hop,
        from: v.knots[d.names[0]].site,
        saddle: v.knots[1].site,
        to: v.knots[d.names[2]].site,
        direction: d.direction,
        predictedEv: predictions ? d.pred! : constantBarrierEv!,
        dftEv: d.dftEv,
        key: d.key,
      });
    }
  }
  let percolation: SurfaceBarrierScore['percolation'] = null;
  let percolationNote: string | null = null;
  if (dft.incomplete.length) percolationNote = `${dft.incomplete.length} hops lack DFT energies`;
  else if (!dft.percolation) percolationNote = 'no percolating path in DFT';
  else if (predPercolation === null) percolationNote = 'no percolating path predicted';
  else percolation = { predictedEv: predPercolation, dftEv: dft.percolation.barrierEv };
  return { surface: surface.id, barriers, percolation, percolationNote };
}

/** Mean of the symmetry-distinct directed barriers of complete DFT hops over the given surfaces (eV); NaN if none. */
export function meanDftBarrier(surfaces: readonly EvalSurface[]): number {
  const values = surfaces.flatMap((s) => scoreSurfaceBarriers(s, null, new Set(), 0).barriers.map((b) => b.dftEv));
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN;
}
