import { encodeEpdiBatch, parseEpdiBatch, type EpdiBatchHeader } from '@/lib/ml/batch';
import { db } from './db';
import { storedSurfaceLevels } from './host-levels';
import { datasetSettingsSchema } from './datasets';
import { latestBindingEnergies } from './latest-labels';
import { datasetEpdiRange, epdiValues } from './sites';
import { storedSiteFeatures, type StoredFeatureHop, type StoredFeatureSite } from './site-features-store';

export type { EpdiBatchHeader, EpdiBatchSite } from '@/lib/ml/batch';
export { parseEpdiBatch };

/**
 * All EPDIs of a dataset as one binary body for training in the browser:
 * [uint32 LE header byte length][header JSON, UTF-8, space-padded to a multiple of 4][Float32 LE potentials].
 * Potentials: Shape [count, pixels, pixels], eV, vacuum-aligned, sites in header order.
 */
export async function epdiBatch(datasetId: string): Promise<Uint8Array> {
  // Flat reads through relation filters, joined here: nested relations (labels, hops, surface) would make Prisma
  // bind every site id in an IN list, which SQLite refuses past 32,766 sites.
  const all = await db.site.findMany({
    where: { surface: { datasetId } },
    orderBy: [{ surface: { name: 'asc' } }, { name: 'asc' }],
    select: {
      id: true,
      surfaceId: true,
      name: true,
      kind: true,
      symmetryGroup: true,
      dopantDistanceA: true,
      mepV: true,
      x: true,
      y: true,
      z: true,
      epdi: true,
      epdiPixels: true,
    },
  });
  const surfaces = new Map(
    (
      await db.surface.findMany({
        where: { datasetId },
        select: { id: true, name: true, host: true, dopant: true, metaJson: true, extractionJson: true, structureJson: true },
      })
    ).map((s) => [s.id, { ...s, descriptors: storedSurfaceLevels(s) }]),
  );
  const labels = await latestBindingEnergies(datasetId);
  const group = new Map(all.map((s) => [s.id, s.symmetryGroup]));
  const hopEnds = new Map<string, [number, number] | null>();
  const hops = await db.hop.findMany({
    where: { surface: { datasetId } },
    select: { saddleSiteId: true, fromSiteId: true, toSiteId: true },
  });
  for (const h of hops) {
    if (hopEnds.has(h.saddleSiteId)) continue;
    const [a, b] = [group.get(h.fromSiteId), group.get(h.toSiteId)];
    hopEnds.set(h.saddleSiteId, a === null || a === undefined || b === null || b === undefined ? null : [a, b]);
  }
  const features = datasetSiteFeatures(all, hops, surfaces);
  const rows = all.filter((r) => r.epdi !== null);
  const pixels = rows[0]?.epdiPixels ?? 0;
  const mixed = rows.find((r) => r.epdiPixels !== pixels);
  if (mixed)
    throw new Error(`EPDIs of this dataset have different sizes (${pixels} and ${mixed.epdiPixels}): re-extract`);
  const range = await datasetEpdiRange(datasetId);
  const dataset = await db.dataset.findUnique({ where: { id: datasetId }, select: { settingsJson: true } });
  const windowA = dataset ? datasetSettingsSchema.parse(JSON.parse(dataset.settingsJson)).windowA : null;
  const header: EpdiBatchHeader = {
    pixels,
    count: rows.length,
    rangeEv: range ? [range.minEv, range.maxEv] : null,
    windowA,
    sites: rows.map((r) => {
      const surface = surfaces.get(r.surfaceId)!;
      return {
        id: r.id,
        surfaceId: surface.id,
        surface: surface.name,
        host: surface.host,
        dopant: surface.dopant,
        name: r.name,
        kind: r.kind,
        symmetryGroup: r.symmetryGroup,
        hopEndGroups: hopEnds.get(r.id) ?? null,
        dopantDistanceA: r.dopantDistanceA,
        mepV: r.mepV,
        eBindingEv: labels.get(r.id) ?? null,
        descriptors: surface.descriptors,
        siteFeatures: features.get(r.id),
      };
    }),
  };
  return encodeEpdiBatch(header, (data) => rows.forEach((r, i) => data.set(epdiValues(r.epdi!), i * pixels * pixels)));
}

/** Site features of every site, surface by surface (a surface whose structure cannot be read has none). */
function datasetSiteFeatures(
  sites: readonly (StoredFeatureSite & { surfaceId: string })[],
  hops: readonly StoredFeatureHop[],
  surfaces: ReadonlyMap<string, { structureJson: string; dopant: string | null; descriptors: Record<string, number> }>,
): Map<string, Record<string, number>> {
  const bySurface = new Map<string, StoredFeatureSite[]>();
  for (const s of sites) {
    const list = bySurface.get(s.surfaceId);
    if (list) list.push(s);
    else bySurface.set(s.surfaceId, [s]);
  }
  const surfaceOf = new Map(sites.map((s) => [s.id, s.surfaceId]));
  const hopsOf = new Map<string, StoredFeatureHop[]>();
  for (const h of hops) {
    const sid = surfaceOf.get(h.saddleSiteId);
    if (sid === undefined) continue;
    const list = hopsOf.get(sid);
    if (list) list.push(h);
    else hopsOf.set(sid, [h]);
  }
  const out = new Map<string, Record<string, number>>();
  for (const [surfaceId, list] of bySurface) {
    const surface = surfaces.get(surfaceId);
    if (!surface) continue;
    for (const [id, f] of storedSiteFeatures(surface, list, hopsOf.get(surfaceId) ?? [], surface.descriptors)) out.set(id, f);
  }
  return out;
}
