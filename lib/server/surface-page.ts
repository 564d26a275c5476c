import type { Vec3 } from '@/lib/math/mat3';
import { formula } from '@/lib/structure/structure';
import { detectLayers } from '@/lib/surface/layers';
import { inPlane } from '@/lib/view/slice';
import type { ViewHop, ViewSite, ViewStructure } from '@/lib/view/surface-model';
import { db } from './db';
import { getDataset, type DatasetSummary } from './datasets';
import { datasetEpdiRange, getSurfaceDetail, type SurfaceDetail } from './sites';
import { surfaceProvenance, type ProvenanceRow } from './surface-provenance';

/** Everything the surface page shows: header facts, the client views' model, the gallery's range. */
export interface SurfacePage {
  dataset: DatasetSummary;
  surface: SurfaceDetail;
  formula: string;
  grid: { dims: [number, number, number]; sourceFile: string; unit: string } | null;
  vacuum: { shiftEv: number; dipoleStepEv: number; reference: string; gapWidthAngstrom: number } | null;
  settingsHash: string | null;
  liHeightA: number;
  windowA: number;
  /** Dataset-wide EPDI colour range (eV), null before extraction. */
  epdiRangeEv: [number, number] | null;
  view: { structure: ViewStructure; sites: ViewSite[]; hops: ViewHop[] } | null;
  /** Why there is no 3D/2D view (no potential grid, layers not found), for the page to say. */
  viewProblem: string | null;
  /** How the surface was computed (meta.json: code, mu_Li, settings); empty when the upload had no meta.json. */
  provenance: ProvenanceRow[];
}

interface ExtractionJson {
  settings?: { heightA?: number; windowA?: number };
  settingsHash?: string;
  vacuum?: { shiftEv: number; dipoleStepEv: number; reference: string; gapWidthAngstrom: number };
  topXHeightA?: number;
}

/** The surface page's data, or null when the surface does not exist in that dataset. */
export async function getSurfacePage(datasetId: string, surfaceId: string): Promise<SurfacePage | null> {
  const [dataset, surface, meta] = await Promise.all([
    getDataset(datasetId),
    getSurfaceDetail(surfaceId),
    db.surface.findUnique({ where: { id: surfaceId }, select: { metaJson: true } }),
  ]);
  if (!dataset || !surface || surface.datasetId !== datasetId) return null;
  const gridRow = await db.grid.findFirst({
    where: { surfaceId, kind: 'potential' },
    orderBy: { createdAt: 'desc' },
    select: { nx: true, ny: true, nz: true, sourceFile: true, unit: true },
  });
  const extraction = (surface.extraction ?? null) as ExtractionJson | null;
  const liHeightA = extraction?.settings?.heightA ?? dataset.settings.heightA;
  const windowA = extraction?.settings?.windowA ?? dataset.settings.windowA;
  const range = await datasetEpdiRange(datasetId);

  let view: SurfacePage['view'] = null;
  let viewProblem: string | null = null;
  try {
    const layers = detectLayers(surface.structure);
    const { normal, e1, e2 } = layers.frame;
    const topXHeightA = extraction?.topXHeightA ?? layers.topX.heightA;
    const lift = topXHeightA + liHeightA;
    const structure: ViewStructure = {
      lattice: surface.structure.lattice,
      species: surface.structure.species,
      positions: layers.unwrapped,
      dopantIndices: layers.dopantIndices,
      normal,
      e1,
      e2,
      topXHeightA,
    };
    const sites: ViewSite[] = surface.sites.map((s) => {
      const p = s.position;
      const h = p[0] * normal[0] + p[1] * normal[1] + p[2] * normal[2];
      const drawn: Vec3 = [p[0] + (lift - h) * normal[0], p[1] + (lift - h) * normal[1], p[2] + (lift - h) * normal[2]];
      return {
        id: s.id,
        name: s.name,
        kind: s.kind,
        position: drawn,
        xy: inPlane(drawn, e1, e2),
        directionRad: s.directionRad,
        mepV: s.mepV,
        eBindingEv: s.eBindingEv,
        predictedEv: s.predictedEv,
        sigmaEv: s.sigmaEv,
        dopantDistanceA: s.dopantDistanceA,
      };
    });
    const hops: ViewHop[] = surface.hops.map((h) => ({
      id: h.id,
      name: h.name,
      from: h.from,
      saddle: h.saddle,
      to: h.to,
    }));
    view = { structure, sites, hops };
  } catch (err) {
    viewProblem = err instanceof Error ? err.message : String(err);
  }
  if (!gridRow) viewProblem ??= 'this surface has no potential grid (upload its LOCPOT or cube file)';

  return {
    dataset,
    surface,
    formula: formula(surface.structure),
    grid: gridRow
      ? { dims: [gridRow.nx, gridRow.ny, gridRow.nz], sourceFile: gridRow.sourceFile, unit: gridRow.unit }
      : null,
    vacuum: extraction?.vacuum ?? null,
    settingsHash: extraction?.settingsHash ?? null,
    liHeightA,
    windowA,
    epdiRangeEv: range ? [range.minEv, range.maxEv] : null,
    view,
    viewProblem,
    provenance: surfaceProvenance(meta?.metaJson),
  };
}
