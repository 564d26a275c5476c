/**
 * Whether a protocol's test sets are big enough to mean anything, said before anyone reads a "best" model off a
 * table of 1-sample test sets (a paper split with 2 labelled saddles tests 1 saddle per split: R² is undefined there
 * and every model's sigma of the MAE is 0).
 */
import { makeSplits, type Protocol } from './evaluate';
import { MlError } from './errors';
import type { Sample } from './types';

/** Fewest test samples per split for a per-split MAE and R² to be worth reading. */
export const MIN_TEST_PER_SPLIT = 5;
/** Fewest distinct test samples for a 90% coverage to be checked at all (one miss moves it by 10%). */
export const MIN_COVERAGE_SAMPLES = 10;

export interface SampleSizeCheck {
  /** Smallest test set of any split. */
  minTestPerSplit: number;
  /** Distinct samples tested over all splits. */
  distinctTest: number;
  /** Problems for people, each saying how many are needed; empty when the protocol is adequate. */
  warnings: string[];
}

export function checkSampleSize(samples: readonly Sample[], protocol: Protocol, seed: number): SampleSizeCheck {
  let splits;
  try {
    splits = makeSplits(samples, protocol, seed);
  } catch (e) {
    if (e instanceof MlError) return { minTestPerSplit: 0, distinctTest: 0, warnings: [e.message] };
    throw e;
  }
  const minTestPerSplit = splits.length ? Math.min(...splits.map((s) => s.testIds.length)) : 0;
  const distinctTest = new Set(splits.flatMap((s) => s.testIds)).size;
  const what = protocol.kind === 'paper' ? 'saddles' : 'labelled sites';
  const warnings: string[] = [];
  if (minTestPerSplit < MIN_TEST_PER_SPLIT)
    warnings.push(
      `each split tests only ${minTestPerSplit} ${what}: MAE, R² and the ranking of models mean little below ${MIN_TEST_PER_SPLIT} test ${what} per split` +
        (protocol.kind === 'paper'
          ? ` (label at least ${Math.ceil(MIN_TEST_PER_SPLIT / (1 - protocol.fraction))} saddles)`
          : ''),
    );
  if (distinctTest < MIN_COVERAGE_SAMPLES)
    warnings.push(
      `only ${distinctTest} distinct ${what} are ever tested: a 90% coverage needs at least ${MIN_COVERAGE_SAMPLES}`,
    );
  return { minTestPerSplit, distinctTest, warnings };
}
