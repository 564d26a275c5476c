import { db } from './db';

export interface TrainingCounts {
  sites: number;
  labelledMinima: number;
  labelledSaddles: number;
  unlabelledMinima: number;
  unlabelledSaddles: number;
}

/** Sites with EPDIs by labelled/unlabelled and minimum (hollows, on-top)/saddle (bridges), for the train page. */
export async function trainingCounts(datasetId: string): Promise<TrainingCounts> {
  const base = { surface: { datasetId }, epdi: { not: null } } as const;
  const labelled = { labels: { some: { eBindingEv: { not: null } } } } as const;
  const unlabelled = { labels: { none: { eBindingEv: { not: null } } } } as const;
  const [sites, labelledSaddles, labelledAll, unlabelledSaddles] = await Promise.all([
    db.site.count({ where: base }),
    db.site.count({ where: { ...base, kind: 'bridge', ...labelled } }),
    db.site.count({ where: { ...base, ...labelled } }),
    db.site.count({ where: { ...base, kind: 'bridge', ...unlabelled } }),
  ]);
  const saddles = labelledSaddles + unlabelledSaddles;
  return {
    sites,
    labelledMinima: labelledAll - labelledSaddles,
    labelledSaddles,
    unlabelledSaddles,
    unlabelledMinima: sites - saddles - (labelledAll - labelledSaddles),
  };
}
