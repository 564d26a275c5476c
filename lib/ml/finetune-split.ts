/**
 * The inner split that chooses a fine-tune's number of epochs: within ONE training set (never touching the outer
 * test rows, which the model never receives), hold out whole surfaces when the training set spans >= 3 surfaces
 * (closest to the new-surface question), otherwise a seeded random subset of rows.
 */
import { deriveSeed, mulberry32, shuffled } from './rng';
import type { Sample } from './types';

/** Share of the training rows held out for epoch selection (reached or just passed, whole surfaces at a time). */
export const INNER_VALIDATION_FRACTION = 0.2;
/** Below this many training rows there is no inner split: the model trains the requested epochs. */
export const MIN_ROWS_FOR_INNER_SPLIT = 5;

export interface InnerSplit {
  /** Row indices into the training set. */
  trainIdx: number[];
  valIdx: number[];
  by: 'surface' | 'random';
  /** Surfaces held out (by: 'surface'). */
  valSurfaces: string[];
}

/** Seeded inner split of `train`; undefined when it has fewer than MIN_ROWS_FOR_INNER_SPLIT rows. */
export function innerSplit(train: readonly Sample[], seed: number, fraction = INNER_VALIDATION_FRACTION): InnerSplit | undefined {
  const n = train.length;
  if (n < MIN_ROWS_FOR_INNER_SPLIT) return undefined;
  const rand = mulberry32(deriveSeed(seed, 'inner-split'));
  const target = Math.max(1, Math.round(n * fraction));
  const surfaces = [...new Set(train.map((s) => s.surfaceId))].sort();
  if (surfaces.length >= 3) {
    const held = new Set<string>();
    let count = 0;
    for (const s of shuffled(surfaces, rand)) {
      if (count >= target || held.size >= surfaces.length - 1) break;
      const rows = train.filter((x) => x.surfaceId === s).length;
      // Keep at least 3 rows to train on.
      if (n - count - rows < 3) continue;
      held.add(s);
      count += rows;
    }
    if (held.size) {
      const idx = train.map((_, i) => i);
      return {
        trainIdx: idx.filter((i) => !held.has(train[i].surfaceId)),
        valIdx: idx.filter((i) => held.has(train[i].surfaceId)),
        by: 'surface',
        valSurfaces: [...held].sort(),
      };
    }
  }
  const order = shuffled(
    train.map((_, i) => i),
    rand,
  );
  const val = new Set(order.slice(0, Math.min(target, n - 3)));
  return {
    trainIdx: train.map((_, i) => i).filter((i) => !val.has(i)),
    valIdx: train.map((_, i) => i).filter((i) => val.has(i)),
    by: 'random',
    valSurfaces: [],
  };
}
