/**
 * A surface bundle (a parsed folder or upload) with the app's sites and hops (lib/surface `findSites`, or
 * lib/epdi `extractSurface` when the potential is at hand) -> the pipeline's input. The server's extraction stores
 * the same sites, hops and matched labels (lib/server/extraction.ts), so a folder and its imported copy give the
 * same answer.
 */
import type { Mat3, Vec3 } from '../math/mat3';
import type { Hop, Site } from '../surface/sites';
import { matchSurfaceLabels, type LabelInput, type LabelMatching } from './labels';
import type { PipelineNebImage, PipelineSite, PipelineSurface, SourceFile } from './views';

export interface SurfaceBundleData<L extends LabelInput = LabelInput> {
  name: string;
  host: string;
  phase: string | null;
  dopant: string | null;
  lattice: Mat3;
  eSlabEv: number | null;
  labels: readonly L[];
  nebRuns: { name: string; images: PipelineNebImage[] }[];
  files: SourceFile[];
}

/** Minimum 3D distance from a site's Li to a dopant atom, Angstrom (null on a pristine surface). */
export function nearestDopantA(site: Site): number | null {
  return site.dopantDistances.length ? Math.min(...site.dopantDistances.map((d) => d.distanceA)) : null;
}

/** Problems of a label matching as lines for people (unmatched labels first). */
export function labelProblemLines(matching: LabelMatching, toleranceA: number): string[] {
  return [
    ...matching.unmatched.map(
      ({ label, nearestSiteDistanceA }) =>
        `${label.file}${label.line !== undefined ? `:${label.line}` : ''}: label '${label.site}' matches no site ` +
        `within ${toleranceA} A (nearest ${nearestSiteDistanceA.toFixed(2)} A)`,
    ),
    ...matching.problems.map((p) => p.message),
  ];
}

export function pipelineSurfaceFromSites<L extends LabelInput>(
  data: SurfaceBundleData<L>,
  found: { sites: readonly Site[]; hops: readonly Hop[] },
  opts: { muLiEv: number | null; meps?: ArrayLike<number>; toleranceA?: number },
): { surface: PipelineSurface; matching: LabelMatching<L> } {
  const matching = matchSurfaceLabels(
    data.labels,
    found.sites.map((s) => ({ name: s.id, kind: s.kind, position: s.position })),
    data.lattice,
    { eSlabEv: data.eSlabEv, muLiEv: opts.muLiEv, toleranceA: opts.toleranceA },
  );
  const labelOf = new Map(matching.matched.map((m) => [m.site, m]));
  const sites: PipelineSite[] = found.sites.map((s, i) => {
    const m = labelOf.get(i);
    return {
      id: s.id,
      name: s.id,
      kind: s.kind,
      position: [...s.position] as Vec3,
      frac: [s.fractional[0], s.fractional[1]],
      symmetryGroup: s.group,
      mepV: opts.meps ? opts.meps[i] : null,
      dopantDistanceA: nearestDopantA(s),
      label: m
        ? {
            name: m.label.site,
            eBindingEv: m.eBindingEv,
            liPosition: [...m.label.position] as Vec3,
            matchDistanceA: m.distanceA,
          }
        : null,
      prediction: null,
    };
  });
  return {
    matching,
    surface: {
      id: data.name,
      name: data.name,
      host: data.host,
      phase: data.phase,
      dopant: data.dopant,
      eSlabEv: data.eSlabEv,
      muLiEv: opts.muLiEv,
      lattice: data.lattice.map((r) => [...r] as Vec3),
      sites,
      hops: found.hops.map((h) => ({
        id: h.id,
        name: h.id,
        from: found.sites[h.from].id,
        saddle: found.sites[h.via].id,
        to: found.sites[h.to].id,
        sSaddle: h.saddleS,
      })),
      nebRuns: data.nebRuns,
      files: data.files,
      extracted: true,
      labelProblems: labelProblemLines(matching, opts.toleranceA ?? 0.3),
    },
  };
}
