/**
 * One surface through the pipeline: knots (lib/pipeline/knots.ts) -> one PCHIP profile per hop (one hop per bridge,
 * from -> saddle -> to as lib/surface stores it) -> NEB comparisons -> percolating barrier -> the saddles worth
 * computing next. Pure: the command line's folder mode and the server's dataset views both call it.
 */
import { compareNeb, hopProfile, type HopProfile, type Knot, type NebComparison } from '../profile';
import { hopTranslation, percolationView, rankPredictedSaddles, sitesAboveTheirSaddle } from './graph';
import { displayNames, knotResolver, type Resolved } from './knots';
import { matchNebRun } from './neb-match';
import type {
  HopProfileView,
  IncompleteHop,
  KnotView,
  NebView,
  PipelineHop,
  PipelineSite,
  PipelineSurface,
  SiteProfileView,
  SurfaceProfiles,
} from './views';

export const DEFAULT_SAMPLES = 21;

export interface SurfaceAssembly {
  surface: SurfaceProfiles;
  comparisons: NebComparison[];
  /** Knots filled in from a symmetry-equivalent site. */
  symmetryKnots: number;
  notes: string[];
}

function hopNumber(name: string): number {
  const m = /(\d+)$/.exec(name);
  return m ? Number(m[1]) : Number.POSITIVE_INFINITY;
}

/** One hop per saddle (databases written before hops were undirected hold both directions: keep the first). */
function oneHopPerSaddle(hops: readonly PipelineHop[]): PipelineHop[] {
  const canonical = new Map<string, PipelineHop>();
  for (const h of hops) {
    const prev = canonical.get(h.saddle);
    if (!prev || hopNumber(h.name) < hopNumber(prev.name)) canonical.set(h.saddle, h);
  }
  return [...canonical.values()].sort((a, b) => hopNumber(a.name) - hopNumber(b.name));
}

export function assembleSurfaceProfiles(input: PipelineSurface, samples = DEFAULT_SAMPLES): SurfaceAssembly {
  const byId = new Map<string, PipelineSite>(input.sites.map((s) => [s.id, s]));
  const names = displayNames(input.sites);
  const display = (id: string): string => names.get(id) ?? id;
  const knots = knotResolver(input.sites);
  let symmetryKnots = 0;

  const knotView = (site: PipelineSite, r: Resolved): KnotView => ({
    siteId: site.id,
    site: display(site.id),
    siteName: site.name,
    kind: site.kind,
    energyEv: r.energyEv,
    source: r.source,
    sigmaEv: r.sigmaEv,
    origin: r.origin,
    valueFromSite: r.valueFrom ? display(r.valueFrom.id) : null,
    note: r.valueFrom ? `by symmetry from ${display(r.valueFrom.id)}` : null,
  });

  const hops = oneHopPerSaddle(input.hops);
  const views: HopProfileView[] = [];
  const incomplete: IncompleteHop[] = [];
  const profiles = new Map<string, { view: HopProfileView; profile: HopProfile }>();
  for (const h of hops) {
    const ends = [byId.get(h.from)!, byId.get(h.saddle)!, byId.get(h.to)!] as const;
    const r = ends.map((s) => knots.resolve(s));
    if (r.some((x) => x === null)) {
      incomplete.push({
        hopId: h.id,
        hop: h.name,
        from: display(ends[0].id),
        saddle: display(ends[1].id),
        to: display(ends[2].id),
        missing: ends.filter((_, i) => r[i] === null).map((s) => display(s.id)),
      });
      continue;
    }
    const [ra, rs, rb] = r as [Resolved, Resolved, Resolved];
    for (const x of [ra, rs, rb]) if (x.origin.startsWith('symmetry')) symmetryKnots++;
    const knot = (site: PipelineSite, x: Resolved): Knot => ({
      energyEv: x.energyEv,
      source: x.source,
      ...(x.sigmaEv !== null ? { sigmaEv: x.sigmaEv } : {}),
      site: display(site.id),
    });
    const [a, s, b] = ends;
    const profile = hopProfile(
      { id: h.name, from: knot(a, ra), saddle: knot(s, rs), to: knot(b, rb), sSaddle: h.sSaddle },
      { samples },
    );
    const view: HopProfileView = {
      hopId: h.id,
      hop: h.name,
      surfaceId: input.id,
      surface: input.name,
      host: input.host,
      dopant: input.dopant,
      knots: [knotView(a, ra), knotView(s, rs), knotView(b, rb)],
      sSaddle: h.sSaddle,
      translation: hopTranslation(a.frac, s.frac, b.frac),
      s: profile.s,
      energyEv: profile.energyEv,
      sigmaEv: profile.sigmaEv,
      sigmaMethod: profile.sigmaMethod,
      source: profile.source,
      barrierForwardEv: profile.barrierForwardEv,
      barrierBackwardEv: profile.barrierBackwardEv,
      barrierForwardSigmaEv: profile.barrierForwardSigmaEv,
      barrierBackwardSigmaEv: profile.barrierBackwardSigmaEv,
      maxEnergyEv: profile.maxEnergyEv,
      saddleIsMaximum: profile.saddleIsMaximum,
      neb: null,
    };
    views.push(view);
    profiles.set(h.id, { view, profile });
  }

  // NEB runs.
  const nebUnmatched: { name: string; reason: string }[] = [];
  const comparisons: NebComparison[] = [];
  const taken = new Set<string>();
  for (const run of input.nebRuns) {
    const m = matchNebRun(run.images, hops, byId, input.lattice, input, taken);
    if (!m.ok) {
      nebUnmatched.push({ name: run.name, reason: m.reason });
      continue;
    }
    taken.add(m.hop.id);
    const nebView: NebView = {
      name: run.name,
      reversed: m.reversed,
      matchDistanceA: m.endsDistanceA,
      s: [...m.neb.s],
      energyEv: [...m.neb.energyEv],
      comparison: null,
    };
    const target = profiles.get(m.hop.id);
    if (!target) {
      nebUnmatched.push({
        name: run.name,
        reason: `matched hop ${m.hop.name}, which is incomplete (no energy for some of its sites)`,
      });
      continue;
    }
    const cmp = compareNeb(m.neb, target.profile);
    comparisons.push(cmp);
    const { hop: _hop, ...rest } = cmp;
    nebView.comparison = rest;
    target.view.neb = nebView;
  }

  const sites: SiteProfileView[] = knots.sorted.map((s) => {
    const d = knots.dft(s);
    return {
      id: s.id,
      name: s.name,
      site: display(s.id),
      label: s.label?.name ?? null,
      kind: s.kind,
      position: [s.position[0], s.position[1], s.position[2]],
      liZA: s.label?.liPosition ? s.label.liPosition[2] : null,
      matchDistanceA: s.label?.matchDistanceA ?? null,
      symmetryGroup: s.symmetryGroup,
      mepV: s.mepV,
      dopantDistanceA: s.dopantDistanceA,
      eBindingEv: d?.energyEv ?? null,
      dftBySymmetry: d !== null && d.from !== null,
      predictedEv: s.prediction?.valueEv ?? null,
      sigmaEv: s.prediction?.sigmaEv ?? null,
    };
  });

  const notes: string[] = [...input.labelProblems.map((p) => `${input.name}: ${p}`)];
  for (const n of nebUnmatched) notes.push(`${input.name}: NEB run ${n.name} not compared: ${n.reason}`);
  if (incomplete.length) {
    notes.push(
      `${input.name}: ${incomplete.length} of ${hops.length} hops incomplete (a site has no DFT label, ` +
        `symmetry-equivalent label or prediction): ${incomplete.map((h) => h.hop).join(' ')}`,
    );
  }
  if (!input.extracted) notes.push(`${input.name}: not extracted yet (no sites or hops)`);
  const notMinima = sitesAboveTheirSaddle(views);
  if (notMinima.length) {
    notes.push(
      `${input.name}: not local minima (a hop from them runs down through its saddle, forward barrier 0): ` +
        notMinima.join(', '),
    );
  }

  return {
    surface: {
      id: input.id,
      name: input.name,
      host: input.host,
      phase: input.phase,
      dopant: input.dopant,
      eSlabEv: input.eSlabEv,
      muLiEv: input.muLiEv,
      hops: views,
      incomplete,
      percolation: percolationView(views, display),
      nextSaddles: rankPredictedSaddles(views, byId),
      sites,
      nebUnmatched,
      files: input.files,
      extracted: input.extracted,
    },
    comparisons,
    symmetryKnots,
    notes,
  };
}
