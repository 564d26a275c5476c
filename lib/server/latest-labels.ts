import { db } from './db';

/**
 * E_b of the latest label (by createdAt) of every labelled site of a dataset, by site id (null when that label has no
 * E_b). One query through the relation (`site: { surface: { datasetId } }`): Prisma loads a nested
 * `labels: { take: 1 }` with an `IN` list of every parent site id, which SQLite refuses past 32,766 sites ("too many
 * SQL variables"), so dataset-wide reads take their labels from here instead.
 */
export async function latestBindingEnergies(datasetId: string): Promise<Map<string, number | null>> {
  const rows = await db.label.findMany({
    where: { site: { surface: { datasetId } } },
    orderBy: { createdAt: 'desc' },
    select: { siteId: true, eBindingEv: true },
  });
  const out = new Map<string, number | null>();
  for (const r of rows) if (!out.has(r.siteId)) out.set(r.siteId, r.eBindingEv);
  return out;
}
