import { linearFit, type LinearFit } from '@/lib/epdi/correlation';
import { db } from './db';
import { storedSurfaceLevels } from './host-levels';

export interface LevelCorrelation {
  surfaces: { surfaceId: string; surface: string; acceptorLevelEv: number; meanMinimumEv: number; minima: number }[];
  fit: LinearFit | null;
}

/**
 * Each surface's mean DFT binding energy over its labelled minima against the host's acceptor level (lowest
 * unoccupied level, eV against the vacuum), with the least-squares line: the surface-to-surface trend that the
 * potential image does not carry. Surfaces without levels or labelled minima are left out.
 */
export async function levelCorrelation(datasetId: string): Promise<LevelCorrelation> {
  const rows = await db.surface.findMany({
    where: { datasetId },
    orderBy: { name: 'asc' },
    select: {
      id: true,
      name: true,
      metaJson: true,
      extractionJson: true,
      sites: {
        where: { kind: { not: 'bridge' }, labels: { some: { eBindingEv: { not: null } } } },
        select: { labels: { orderBy: { createdAt: 'desc' }, take: 1, select: { eBindingEv: true } } },
      },
    },
  });
  const surfaces = rows.flatMap((r) => {
    const level = storedSurfaceLevels(r).acceptor_level_eV;
    const energies = r.sites.map((s) => s.labels[0].eBindingEv!);
    if (level === undefined || energies.length === 0) return [];
    const meanMinimumEv = energies.reduce((a, b) => a + b, 0) / energies.length;
    return [{ surfaceId: r.id, surface: r.name, acceptorLevelEv: level, meanMinimumEv, minima: energies.length }];
  });
  return {
    surfaces,
    fit: linearFit(
      surfaces.map((s) => s.acceptorLevelEv),
      surfaces.map((s) => s.meanMinimumEv),
    ),
  };
}
