import { linearFit, type LinearFit } from '@/lib/epdi/correlation';
import { db } from './db';

export interface MepCorrelation {
  host: string;
  points: { siteId: string; surface: string; kind: string; mepV: number; eBindingEv: number }[];
  fit: LinearFit | null;
}

/** MEP vs DFT binding energy per host family, with Pearson r and the least-squares line (the paper's finding). */
export async function mepCorrelation(datasetId: string): Promise<MepCorrelation[]> {
  const rows = await db.site.findMany({
    where: { surface: { datasetId }, mepV: { not: null }, labels: { some: { eBindingEv: { not: null } } } },
    select: {
      id: true,
      kind: true,
      mepV: true,
      surface: { select: { name: true, host: true } },
      labels: { orderBy: { createdAt: 'desc' }, take: 1, select: { eBindingEv: true } },
    },
  });
  const byHost = new Map<string, MepCorrelation>();
  for (const r of rows) {
    const host = r.surface.host ?? 'unknown';
    const group = byHost.get(host) ?? { host, points: [], fit: null };
    group.points.push({
      siteId: r.id,
      surface: r.surface.name,
      kind: r.kind,
      mepV: r.mepV!,
      eBindingEv: r.labels[0].eBindingEv!,
    });
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
