import { linearFit, type LinearFit } from '@/lib/epdi/correlation';
import { db } from './db';
import { latestBindingEnergies } from './latest-labels';
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
  // Flat reads joined here: nested sites/labels would bind every site id (SQLite refuses past 32,766).
  const rows = await db.surface.findMany({
    where: { datasetId },
    orderBy: { name: 'asc' },
    select: { id: true, name: true, metaJson: true, extractionJson: true },
  });
  const minima = await db.site.findMany({
    where: { surface: { datasetId }, kind: { not: 'bridge' }, labels: { some: { eBindingEv: { not: null } } } },
    select: { id: true, surfaceId: true },
  });
  const labels = await latestBindingEnergies(datasetId);
  const energiesOf = new Map<string, number[]>();
  for (const m of minima) {
    const eb = labels.get(m.id);
    if (eb === null || eb === undefined) continue;
    const list = energiesOf.get(m.surfaceId) ?? [];
    list.push(eb);
    energiesOf.set(m.surfaceId, list);
  }
  const surfaces = rows.flatMap((r) => {
    const level = storedSurfaceLevels(r).acceptor_level_eV;
    const energies = energiesOf.get(r.id) ?? [];
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
