import { extractSurface } from '@/lib/epdi/extract';
import type { Grid3D } from '@/lib/grid/grid3d';
import type { Structure } from '@/lib/structure/structure';
import { matchLabelsToSites } from '@/lib/surface/match-labels';
import { db } from './db';
import { datasetSettingsSchema } from './datasets';
import { loadGrid } from './grid-store';
import { startJob, type JobProgress } from './jobs';
import type { RawLabel, SurfaceMeta } from './upload/parse-surface';

/** Label matching tolerance in the surface plane (Angstrom), ../shared/DESIGN.md section 3. */
export const LABEL_MATCH_TOLERANCE_A = 0.3;

export interface ExtractionSummary {
  surfaceId: string;
  sites: number;
  hops: number;
  labelsMatched: number;
  /** Labels that matched no site within the tolerance: reported, never dropped silently. */
  unmatchedLabels: { site: string; file: string; line?: number; nearestSiteDistanceA: number }[];
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
  const matches = matchLabelsToSites(
    labels,
    result.sites.map((s) => s.position),
    structure.lattice,
    LABEL_MATCH_TOLERANCE_A,
  );
  const meta = JSON.parse(surface.metaJson) as SurfaceMeta;
  const mu = muLi(surface.dataset.muLiEv, meta);
  report(0.7, 'storing sites');

  const summary: ExtractionSummary = {
    surfaceId,
    sites: result.sites.length,
    hops: result.hops.length,
    labelsMatched: matches.filter((m) => m.site >= 0).length,
    unmatchedLabels: matches
      .filter((m) => m.site < 0)
      .map((m) => ({
        site: labels[m.label].site,
        file: labels[m.label].file,
        line: labels[m.label].line,
        nearestSiteDistanceA: m.distanceA,
      })),
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
      for (const m of matches) {
        if (m.site < 0) continue;
        const label = labels[m.label];
        const eBindingEv =
          label.eBindingEv ??
          (label.eTotalEv !== undefined && surface.eSlabEv !== null && mu !== undefined
            ? label.eTotalEv - surface.eSlabEv - mu
            : null);
        await tx.label.create({
          data: {
            siteId: ids[m.site],
            eTotalEv: label.eTotalEv ?? null,
            eBindingEv,
            source: label.source,
            provenance: JSON.stringify({
              file: label.file,
              line: label.line,
              site: label.site,
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
    return out;
  });
}
