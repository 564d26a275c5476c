import { encodeEpdiBatch, parseEpdiBatch, type EpdiBatchHeader } from '@/lib/ml/batch';
import { db } from './db';
import { storedSurfaceLevels } from './host-levels';
import { datasetSettingsSchema } from './datasets';
import { datasetEpdiRange, epdiValues } from './sites';

export type { EpdiBatchHeader, EpdiBatchSite } from '@/lib/ml/batch';
export { parseEpdiBatch };

function hopEndGroups(
  hop: { fromSite: { symmetryGroup: number | null }; toSite: { symmetryGroup: number | null } } | undefined,
): [number, number] | null {
  const [a, b] = [hop?.fromSite.symmetryGroup, hop?.toSite.symmetryGroup];
  return a === null || a === undefined || b === null || b === undefined ? null : [a, b];
}

/**
 * All EPDIs of a dataset as one binary body for training in the browser:
 * [uint32 LE header byte length][header JSON, UTF-8, space-padded to a multiple of 4][Float32 LE potentials].
 * Potentials: Shape [count, pixels, pixels], eV, vacuum-aligned, sites in header order.
 */
export async function epdiBatch(datasetId: string): Promise<Uint8Array> {
  const rows = await db.site.findMany({
    where: { surface: { datasetId }, epdi: { not: null } },
    orderBy: [{ surface: { name: 'asc' } }, { name: 'asc' }],
    select: {
      id: true,
      name: true,
      kind: true,
      symmetryGroup: true,
      dopantDistanceA: true,
      mepV: true,
      epdi: true,
      epdiPixels: true,
      surface: { select: { id: true, name: true, host: true, dopant: true, metaJson: true, extractionJson: true } },
      labels: { orderBy: { createdAt: 'desc' }, take: 1, select: { eBindingEv: true } },
      hopsSaddle: {
        take: 1,
        select: { fromSite: { select: { symmetryGroup: true } }, toSite: { select: { symmetryGroup: true } } },
      },
    },
  });
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
    sites: rows.map((r) => ({
      id: r.id,
      surfaceId: r.surface.id,
      surface: r.surface.name,
      host: r.surface.host,
      dopant: r.surface.dopant,
      name: r.name,
      kind: r.kind,
      symmetryGroup: r.symmetryGroup,
      hopEndGroups: hopEndGroups(r.hopsSaddle[0]),
      dopantDistanceA: r.dopantDistanceA,
      mepV: r.mepV,
      eBindingEv: r.labels[0]?.eBindingEv ?? null,
      descriptors: storedSurfaceLevels(r.surface),
    })),
  };
  return encodeEpdiBatch(header, (data) => rows.forEach((r, i) => data.set(epdiValues(r.epdi!), i * pixels * pixels)));
}
