import { linearFit, type LinearFit } from '@/lib/epdi/correlation';
import { db } from './db';
import { latestBindingEnergies } from './latest-labels';

export interface MepCorrelation {
  host: string;
  points: { siteId: string; surface: string; kind: string; mepV: number; eBindingEv: number }[];
  fit: LinearFit | null;
}

/** MEP vs DFT binding energy per host family, with Pearson r and the least-squares line (the paper's finding). */
export async function mepCorrelation(datasetId: string): Promise<MepCorrelation[]> {
  // Flat reads joined here: nested labels/surface would bind every site id (SQLite refuses past 32,766).
  const rows = await db.site.findMany({
    where: { surface: { datasetId }, mepV: { not: null }, labels: { some: { eBindingEv: { not: null } } } },
    select: { id: true, kind: true, mepV: true, surfaceId: true },
  });
  const surfaces = new Map(
    (await db.surface.findMany({ where: { datasetId }, select: { id: true, name: true, host: true } })).map((s) => [
      s.id,
      s,
    ]),
  );
  const labels = await latestBindingEnergies(datasetId);
  const byHost = new Map<string, MepCorrelation>();
  for (const r of rows) {
    const surface = surfaces.get(r.surfaceId)!;
    const eBindingEv = labels.get(r.id);
    if (eBindingEv === null || eBindingEv === undefined) continue;
    const host = surface.host ?? 'unknown';
    const group = byHost.get(host) ?? { host, points: [], fit: null };
    group.points.push({ siteId: r.id, surface: surface.name, kind: r.kind, mepV: r.mepV!, eBindingEv });
    byHost.set(host, group);
  }
  return [...byHost.values()]
    .map((g) => ({
      ...g,
      fit: linearFit(
        g.points.map((p) => p.mepV),
        g.points.map((p) => p.eBindingEv),
      ),
    }))
    .sort((a, b) => a.host.localeCompare(b.host));
}
