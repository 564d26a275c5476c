import type { Structure } from '@/lib/structure/structure';
import { datasetValueRange, type ValueRange } from '@/lib/epdi/range';
import { db } from './db';
import { labelProvenanceSchema, safeJson } from './profiles-load';

export interface SiteView {
  id: string;
  name: string;
  kind: string;
  position: [number, number, number];
  fractional: [number, number];
  symmetryGroup: number | null;
  dopantDistanceA: number | null;
  directionRad: number | null;
  mepV: number | null;
  /** DFT binding energy (eV) of the latest label, when the site was computed. */
  eBindingEv: number | null;
  labelSource: string | null;
  /** The user's own name of the label on this site (labels.csv `site` or sites/<name>/), and its distance, Angstrom. */
  labelName: string | null;
  labelFile: string | null;
  labelLine: number | null;
  labelKind: string | null;
  matchDistanceA: number | null;
  /** Latest model prediction, when any. */
  predictedEv: number | null;
  sigmaEv: number | null;
}

export interface HopView {
  id: string;
  name: string;
  from: string;
  saddle: string;
  to: string;
  sSaddle: number;
}

export interface SurfaceDetail {
  id: string;
  datasetId: string;
  name: string;
  host: string | null;
  phase: string | null;
  dopant: string | null;
  eSlabEv: number | null;
  structure: Structure;
  extraction: unknown;
  sites: SiteView[];
  hops: HopView[];
  unmatchedLabels: unknown[];
}

/** What extraction recorded about the user's label on a site (lib/server/extraction.ts). */
function labelProvenance(
  text: string | undefined,
): Pick<SiteView, 'labelName' | 'labelFile' | 'labelLine' | 'labelKind' | 'matchDistanceA'> {
  const p = labelProvenanceSchema.safeParse(text ? safeJson(text) : null);
  const d = p.success ? p.data : {};
  return {
    labelName: d.site ?? null,
    labelFile: d.file ?? null,
    labelLine: d.line ?? null,
    labelKind: d.kind ?? null,
    matchDistanceA: d.matchDistanceA ?? null,
  };
}

/** A surface with its sites (MEP, DFT and predicted E_b) and hops, for the API and the surface page. */
export async function getSurfaceDetail(id: string): Promise<SurfaceDetail | null> {
  const s = await db.surface.findUnique({
    where: { id },
    select: {
      id: true,
      datasetId: true,
      name: true,
      host: true,
      phase: true,
      dopant: true,
      eSlabEv: true,
      structureJson: true,
      extractionJson: true,
      sites: {
        orderBy: { name: 'asc' },
        select: {
          id: true,
          name: true,
          kind: true,
          x: true,
          y: true,
          z: true,
          fracX: true,
          fracY: true,
          symmetryGroup: true,
          dopantDistanceA: true,
          directionRad: true,
          mepV: true,
          labels: {
            orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
            take: 1,
            select: { eBindingEv: true, source: true, provenance: true },
          },
          predictions: { orderBy: { createdAt: 'desc' }, take: 1, select: { valueEv: true, sigmaEv: true } },
        },
      },
      hops: {
        orderBy: { name: 'asc' },
        select: { id: true, name: true, fromSiteId: true, saddleSiteId: true, toSiteId: true, sSaddle: true },
      },
    },
  });
  if (!s) return null;
  const extraction = s.extractionJson ? (JSON.parse(s.extractionJson) as { unmatchedLabels?: unknown[] }) : null;
  return {
    id: s.id,
    datasetId: s.datasetId,
    name: s.name,
    host: s.host,
    phase: s.phase,
    dopant: s.dopant,
    eSlabEv: s.eSlabEv,
    structure: JSON.parse(s.structureJson) as Structure,
    extraction,
    unmatchedLabels: extraction?.unmatchedLabels ?? [],
    sites: s.sites.map((site) => ({
      id: site.id,
      name: site.name,
      kind: site.kind,
      position: [site.x, site.y, site.z],
      fractional: [site.fracX, site.fracY],
      symmetryGroup: site.symmetryGroup,
      dopantDistanceA: site.dopantDistanceA,
      directionRad: site.directionRad,
      mepV: site.mepV,
      eBindingEv: site.labels[0]?.eBindingEv ?? null,
      labelSource: site.labels[0]?.source ?? null,
      ...labelProvenance(site.labels[0]?.provenance),
      predictedEv: site.predictions[0]?.valueEv ?? null,
      sigmaEv: site.predictions[0]?.sigmaEv ?? null,
    })),
    hops: s.hops.map((h) => ({
      id: h.id,
      name: h.name,
      from: h.fromSiteId,
      saddle: h.saddleSiteId,
      to: h.toSiteId,
      sSaddle: h.sSaddle,
    })),
  };
}

/** An EPDI as stored: Float32 potentials (eV, vacuum-aligned), Shape [N, N] row-major. */
export function epdiValues(bytes: Uint8Array): Float32Array {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Float32Array(copy.buffer);
}

const rangeCache = new Map<string, { key: string; range: ValueRange }>();

/**
 * The dataset's value range for mapping EPDIs to colours on its pages: the one EPDI range function
 * (lib/epdi/range.ts, min/max + 2%) over all its EPDIs, cached until the dataset's sites change. Models do not use
 * it: each takes the range of its own training inputs and stores it (lib/ml/image.ts `trainingRangeEv`).
 */
export async function datasetEpdiRange(datasetId: string): Promise<ValueRange | null> {
  const agg = await db.site.aggregate({
    where: { surface: { datasetId }, epdi: { not: null } },
    _count: { _all: true },
    _max: { id: true },
  });
  const key = `${agg._count._all}:${agg._max.id}`;
  const hit = rangeCache.get(datasetId);
  if (hit && hit.key === key) return hit.range;
  if (agg._count._all === 0) return null;
  const rows = await db.site.findMany({
    where: { surface: { datasetId }, epdi: { not: null } },
    select: { epdi: true },
  });
  const range = datasetValueRange(rows.map((r) => epdiValues(r.epdi!)));
  rangeCache.set(datasetId, { key, range });
  return range;
}
