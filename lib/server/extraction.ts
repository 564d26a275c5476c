import { extractSurface } from '@/lib/epdi/extract';
import type { Grid3D } from '@/lib/grid/grid3d';
import type { Structure } from '@/lib/structure/structure';
import { LABEL_MATCH_TOLERANCE_A, labelProblemLines, matchSurfaceLabels } from '@/lib/pipeline';
import { db } from './db';
import { datasetSettingsSchema } from './datasets';
import { loadGrid } from './grid-store';
import { startJob, type JobProgress } from './jobs';
import type { RawLabel, SurfaceMeta } from './upload/parse-surface';

export { LABEL_MATCH_TOLERANCE_A };

export interface ExtractionSummary {
  surfaceId: string;
  sites: number;
  hops: number;
  labelsMatched: number;
  /** Labels that matched no site within the tolerance: reported, never dropped silently. */
  unmatchedLabels: { site: string; file: string; line?: number; nearestSiteDistanceA: number }[];
  /** Unmatched labels, kind disagreements, two labels on one site, E_b inconsistent with E_total: for people. */
  labelProblems: string[];
  settingsHash: string;
  vacuumShiftEv: number;
  dipoleStepEv: number;
}

/** The mu_Li that binding energies use: the dataset's when set, else the surface folder's meta.json. */
function muLi(datasetMu: number | null, meta: SurfaceMeta): number | undefined {
  return datasetMu ?? meta.mu_Li_eV;
}

/**
 * Find sites and hops of a stored surface, compute MEPs and EPDIs with its dataset's settings, match the uploaded
 * labels to the sites and store it all, replacing whatever an earlier extraction stored (one transaction). A caller
 * that still holds the grid it just stored passes it as `preloadedGrid`, so a large grid is never in memory twice.
 */
export async function extractStoredSurface(
  surfaceId: string,
  report: JobProgress = () => {},
  preloadedGrid?: Grid3D,
): Promise<ExtractionSummary> {
  const surface = await db.surface.findUniqueOrThrow({
    where: { id: surfaceId },
    include: { dataset: true, grids: { where: { kind: 'potential' }, select: { id: true }, take: 1 } },
  });
  if (surface.grids.length === 0) throw new Error(`surface '${surface.name}' has no potential grid to extract from`);
  report(0.05, 'loading the potential grid');
  const grid: Grid3D = preloadedGrid ?? (await loadGrid(surface.grids[0].id));
  const structure = JSON.parse(surface.structureJson) as Structure;
  const settings = datasetSettingsSchema.parse(JSON.parse(surface.dataset.settingsJson));
  report(0.3, 'finding sites, MEPs and EPDIs');
  const result = extractSurface(structure, grid, settings);

  const labels = JSON.parse(surface.labelsJson) as RawLabel[];
  const meta = JSON.parse(surface.metaJson) as SurfaceMeta;
  const mu = muLi(surface.dataset.muLiEv, meta);
  // The one label matcher (lib/pipeline/labels.ts): the command line's folder mode matches the same way.
  const matching = matchSurfaceLabels(
    labels,
    result.sites.map((s) => ({ name: s.id, kind: s.kind, position: s.position })),
    structure.lattice,
    { eSlabEv: surface.eSlabEv, muLiEv: mu ?? null, toleranceA: LABEL_MATCH_TOLERANCE_A },
  );
  report(0.7, 'storing sites');

  const summary: ExtractionSummary = {
    surfaceId,
    sites: result.sites.length,
    hops: result.hops.length,
    labelsMatched: matching.matched.length,
    unmatchedLabels: matching.unmatched.map(({ label, nearestSiteDistanceA }) => ({
      site: label.site,
      file: label.file,
      line: label.line,
      nearestSiteDistanceA,
    })),
    labelProblems: labelProblemLines(matching, LABEL_MATCH_TOLERANCE_A),
    settingsHash: result.settingsHash,
    vacuumShiftEv: result.appliedShiftEv,
    dipoleStepEv: result.vacuum.dipoleStepEv,
  };

  await db.$transaction(
    async (tx) => {
      await tx.site.deleteMany({ where: { surfaceId } });
      const ids: string[] = [];
      for (let i = 0; i < result.sites.length; i++) {
        const site = result.sites[i];
        const epdi = result.epdis[i];
        const row = await tx.site.create({
          data: {
            surfaceId,
            name: site.id,
            kind: site.kind,
            x: site.position[0],
            y: site.position[1],
            z: site.position[2],
            fracX: site.fractional[0],
            fracY: site.fractional[1],
            symmetryGroup: site.group,
            dopantDistanceA: site.dopantDistances.length
              ? Math.min(...site.dopantDistances.map((d) => d.distanceA))
              : null,
            directionRad: site.hopAngleRad ?? null,
            mepV: result.meps[i],
            epdi: new Uint8Array(epdi.buffer as ArrayBuffer, epdi.byteOffset, epdi.byteLength),
            epdiPixels: result.settings.pixels,
          },
          select: { id: true },
        });
        ids.push(row.id);
      }
      for (const hop of result.hops) {
        await tx.hop.create({
          data: {
            surfaceId,
            name: hop.id,
            fromSiteId: ids[hop.from],
            saddleSiteId: ids[hop.via],
            toSiteId: ids[hop.to],
            sSaddle: hop.saddleS,
          },
        });
      }
      for (const m of matching.matched) {
        const label = m.label;
        await tx.label.create({
          data: {
            siteId: ids[m.site],
            eTotalEv: label.eTotalEv ?? null,
            eBindingEv: m.eBindingEv,
            source: label.source,
            provenance: JSON.stringify({
              file: label.file,
              line: label.line,
              site: label.site,
              kind: label.kind,
              position: label.position,
              method: label.method,
              matchDistanceA: m.distanceA,
              muLiEv: mu,
              eSlabEv: surface.eSlabEv,
            }),
          },
        });
      }
      await tx.surface.update({
        where: { id: surfaceId },
        data: {
          extractionJson: JSON.stringify({
            settings: result.settings,
            settingsHash: result.settingsHash,
            vacuum: result.vacuum,
            appliedShiftEv: result.appliedShiftEv,
            topXHeightA: result.topXHeightA,
            groupCount: result.groupCount,
            unmatchedLabels: summary.unmatchedLabels,
            labelProblems: summary.labelProblems,
          }),
        },
      });
    },
    { timeout: 10 * 60_000 },
  );
  return summary;
}

/**
 * Queue extraction of surfaces as a background job (one job per call); returns the job id. `grids` hands over grids
 * the caller already holds (by surface id); each is released as soon as its surface is done.
 */
export async function startExtraction(
  datasetId: string,
  surfaceIds: string[],
  grids: Map<string, Grid3D> = new Map(),
): Promise<string> {
  return startJob('extract', { datasetId, input: { surfaceIds } }, async (report) => {
    const out: ExtractionSummary[] = [];
    for (let i = 0; i < surfaceIds.length; i++) {
      const share: JobProgress = (f, m) => report((i + f) / surfaceIds.length, m);
      out.push(await extractStoredSurface(surfaceIds[i], share, grids.get(surfaceIds[i])));
      grids.delete(surfaceIds[i]);
    }
    // New sites (or labels) in a dataset with a default model: refit it so they are predicted at once. The extraction
    // is stored either way: a refit that fails is reported in the job's message, not as a failed extraction.
    const { refreshDefaultModel } = await import('./default-model');
    try {
      await refreshDefaultModel(datasetId, (f, m) => report(1, `default model: ${m}`));
    } catch (e) {
      report(1, `extracted; the default model could not be refitted: ${e instanceof Error ? e.message : String(e)}`);
    }
    return out;
  });
}
