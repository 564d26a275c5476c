/**
 * The periodic hop graph of a surface's complete hops: the percolating barrier (lib/profile `percolatingBarrier`),
 * the saddles whose DFT would move it most (lib/profile `rankSaddlesByBarrierChange`), and end sites that are not
 * minima. Sites are keyed by their id; names shown are display names (lib/pipeline/knots.ts).
 */
import { percolatingBarrier, rankSaddlesByBarrierChange, type GraphHop, type GraphSite } from '../profile';
import type { HopProfileView, NextSaddleView, PercolationView, PipelineSite } from './views';

/** Cells (a, b) of the image of `to` reached from `from` through `saddle` (fractional, wrapped coordinates). */
export function hopTranslation(
  from: readonly [number, number],
  saddle: readonly [number, number],
  to: readonly [number, number],
): [number, number] {
  // Saddle image next to `from`, then the `to` image next to that saddle image.
  const su = [saddle[0] + Math.round(from[0] - saddle[0]), saddle[1] + Math.round(from[1] - saddle[1])];
  return [Math.round(su[0] - to[0]), Math.round(su[1] - to[1])];
}

export function hopGraph(views: readonly HopProfileView[]): { sites: GraphSite[]; hops: GraphHop[] } {
  const minima = new Map<string, number>();
  for (const v of views) {
    minima.set(v.knots[0].siteId, v.knots[0].energyEv);
    minima.set(v.knots[2].siteId, v.knots[2].energyEv);
  }
  return {
    sites: [...minima].map(([id, energyEv]) => ({ id, energyEv })),
    hops: views.map((v) => ({
      id: v.hop,
      from: v.knots[0].siteId,
      to: v.knots[2].siteId,
      translation: v.translation,
      topEnergyEv: v.maxEnergyEv,
    })),
  };
}

export function percolationView(
  views: readonly HopProfileView[],
  displayOf: (siteId: string) => string,
): PercolationView | null {
  if (views.length === 0) return null;
  const graph = hopGraph(views);
  const result = percolatingBarrier(graph.sites, graph.hops);
  if (!result) return null;
  return {
    barrierEv: result.barrierEv,
    thresholdEv: result.thresholdEv,
    groundSite: displayOf(result.groundSite),
    bottleneckHop: result.bottleneckHop.id ?? '',
    winding: result.winding,
  };
}

/**
 * Predicted saddles (with sigma) grouped by symmetry, ranked by the expected change of the percolating barrier
 * over the complete hops, largest first.
 */
export function rankPredictedSaddles(
  views: readonly HopProfileView[],
  sites: ReadonlyMap<string, PipelineSite>,
): NextSaddleView[] {
  const groupOf = (siteId: string): string => {
    const site = sites.get(siteId)!;
    return site.symmetryGroup === null ? `site:${site.id}` : `${site.symmetryGroup}`;
  };
  const predicted = new Map<string, { site: string; siteName: string; means: number[]; sigma: number }>();
  for (const v of views) {
    const saddle = v.knots[1];
    if (saddle.source !== 'predicted' || saddle.sigmaEv === null || !(saddle.sigmaEv > 0)) continue;
    const key = groupOf(saddle.siteId);
    const entry = predicted.get(key) ?? { site: saddle.site, siteName: saddle.siteName, means: [], sigma: 0 };
    entry.means.push(saddle.energyEv);
    entry.sigma = Math.max(entry.sigma, saddle.sigmaEv);
    predicted.set(key, entry);
  }
  if (predicted.size === 0) return [];
  const graph = hopGraph(views);
  const ranked = rankSaddlesByBarrierChange(
    graph.sites,
    graph.hops.map((h, i) => ({
      ...h,
      saddleGroup: groupOf(views[i].knots[1].siteId),
      saddleIsMaximum: views[i].saddleIsMaximum,
    })),
    [...predicted].map(([group, e]) => ({
      group,
      meanEv: e.means.reduce((a, b) => a + b, 0) / e.means.length,
      sigmaEv: e.sigma,
    })),
  );
  return ranked.map((r) => ({
    site: predicted.get(r.group)!.site,
    siteName: predicted.get(r.group)!.siteName,
    symmetryGroup: r.group,
    meanEv: r.meanEv,
    sigmaEv: r.sigmaEv,
    expectedChangeEv: r.expectedChangeEv,
  }));
}

/** End sites that lie above the saddle of one of their hops (name, by how much in meV), each named once. */
export function sitesAboveTheirSaddle(views: readonly HopProfileView[]): string[] {
  const worst = new Map<string, number>();
  for (const v of views) {
    for (const end of [v.knots[0], v.knots[2]]) {
      const drop = end.energyEv - v.knots[1].energyEv;
      if (drop > 0 && drop > (worst.get(end.site) ?? 0)) worst.set(end.site, drop);
    }
  }
  return [...worst].map(([site, drop]) => `${site} (${(drop * 1000).toFixed(1)} meV above a saddle)`);
}
