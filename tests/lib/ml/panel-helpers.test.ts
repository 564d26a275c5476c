import { describe, expect, it } from 'vitest';
import {
  checkSampleSize,
  compareModels,
  tiedPredictions,
  trainingRangeEv,
  versionedModelName,
  type Sample,
} from '@/lib/ml';

/** A site with a 2x2 EPDI of constant value `level` (eV). */
const site = (id: string, kind: Sample['kind'], eBindingEv: number | undefined, level = 0, mepEv = 0): Sample => ({
  id,
  surfaceId: id.split('/')[0],
  kind,
  isSaddle: kind === 'bridge',
  epdi: new Float32Array([level, level, level, level + 0.1]),
  pixels: 2,
  mepEv,
  eBindingEv,
});

describe('saving a model under a taken name', () => {
  it.each([
    ['descriptor-gp', [], 'descriptor-gp'],
    ['descriptor-gp', ['descriptor-gp'], 'descriptor-gp v2'],
    ['descriptor-gp', ['descriptor-gp', 'descriptor-gp v2', 'descriptor-gp v7'], 'descriptor-gp v8'],
    ['descriptor-gp v2', ['descriptor-gp', 'descriptor-gp v2'], 'descriptor-gp v3'],
    ['mean (server)', ['mean (server)', 'mean (server) v2', 'other v9'], 'mean (server) v3'],
  ])('versions %s among %j as %s', (name, taken, expected) => {
    expect(versionedModelName(name, taken)).toBe(expected);
  });

  it('keeps a versioned name within 100 characters', () => {
    const long = 'x'.repeat(100);
    expect(versionedModelName(long, [long])).toBe(`${'x'.repeat(97)} v2`);
    expect(versionedModelName(long, [long, `${'x'.repeat(97)} v2`])).toBe(`${'x'.repeat(97)} v3`);
  });
});

describe('too few test samples', () => {
  it('warns for a paper split with 2 labelled saddles and says how many are needed', () => {
    const samples = [
      site('A/m1', 'T_M', -1),
      site('A/m2', 'H', -0.9),
      site('A/m3', 'T_M', -1.1),
      site('A/b1', 'bridge', -0.7),
      site('A/b2', 'bridge', -0.6),
    ];
    const check = checkSampleSize(samples, { kind: 'paper', fraction: 0.33, repeats: 10 }, 1);
    // 2 saddles, round(0.33 * 2) = 1 in training: each split tests 1; both are tested over 10 repeats.
    expect(check.minTestPerSplit).toBe(1);
    expect(check.distinctTest).toBe(2);
    // 5 test saddles per split with 67% tested need ceil(5 / 0.67) = 8 labelled saddles.
    expect(check.warnings[0]).toMatch(/tests only 1 saddles.*below 5 .*at least 8 saddles/);
    expect(check.warnings[1]).toMatch(/only 2 distinct saddles .*at least 10/);
  });

  it('is silent for 5-fold CV on 40 labelled sites (8 per fold, 40 distinct)', () => {
    const samples = Array.from({ length: 40 }, (_, i) => site(`A/s${i}`, i % 2 ? 'bridge' : 'H', -i / 10));
    expect(checkSampleSize(samples, { kind: 'kfold', k: 5 }, 1).warnings).toEqual([]);
  });
});

describe('compute-next ties', () => {
  it('groups equal predictions and says why (same MEP vs. differing MEPs)', () => {
    const ranked = [
      { id: 'a', meanEv: -1, sigmaEv: 0.1 },
      { id: 'b', meanEv: -1.0002, sigmaEv: 0.1001 },
      { id: 'c', meanEv: -0.5, sigmaEv: 0.05 },
      { id: 'd', meanEv: -0.5, sigmaEv: 0.05 },
      { id: 'e', meanEv: -0.2, sigmaEv: 0.01 },
    ];
    const mep = new Map([
      ['a', 1],
      ['b', 1.0004],
      ['c', 1],
      ['d', 2],
      ['e', 3],
    ]);
    const ties = tiedPredictions(ranked, mep);
    expect(ties.map((t) => t.positions)).toEqual([
      [0, 1],
      [2, 3],
    ]);
    expect(ties[0].reason).toMatch(/inputs agree/);
    expect(ties[1].reason).toMatch(/MEPs differ/);
  });
});

describe('the EPDI range of a model', () => {
  it('comes from its training inputs only: min/max + 2%', () => {
    const train = [site('A/m1', 'H', -1, 1), site('A/m2', 'H', -1, 2)];
    // Pixels 1, 1.1, 2, 2.1: span 1.1, pad 0.022 -> [0.978, 2.122] (by hand).
    const [lo, hi] = trainingRangeEv(train);
    expect(lo).toBeCloseTo(0.978, 6);
    expect(hi).toBeCloseTo(2.122, 6);
  });

  it('a test sample with an extreme potential does not change the other predictions of a split', async () => {
    const base = Array.from({ length: 12 }, (_, i) =>
      site(`A/s${i}`, i % 3 ? 'H' : 'bridge', -1 + 0.05 * i, 0.1 * i, 0.1 * i),
    );
    const run = async (samples: Sample[]) => {
      const preds = new Map<string, number>();
      await compareModels(
        [{ type: 'pixel-ridge', size: 2 }],
        samples,
        { kind: 'kfold', k: 3 },
        { imageSettings: { rangeEv: [-100, 100] }, seed: 3 },
        {
          onTestPredictions: (_m, _k, rows) => rows.forEach((r) => preds.set(r.id, r.meanEv)),
        },
      );
      return preds;
    };
    const without = await run(base);
    // The same 12 samples, one of them with a potential 50 eV off the rest: only splits where it trains can move.
    const outlier = base.map((s) => (s.id === 'A/s0' ? { ...s, epdi: new Float32Array([50, 50, 50, 50]) } : s));
    const withOutlier = await run(outlier);
    const foldOfOutlier = [...without.keys()];
    expect(foldOfOutlier.length).toBe(12);
    // Splits in which A/s0 is a test sample: its fold mates' predictions are unchanged (their model never saw it).
    const mates = await (async () => {
      const folds: string[][] = [];
      await compareModels(
        [{ type: 'mean' }],
        base,
        { kind: 'kfold', k: 3 },
        { imageSettings: { rangeEv: [0, 1] }, seed: 3 },
        {
          onTestPredictions: (_m, _k, rows) => folds.push(rows.map((r) => r.id)),
        },
      );
      return folds.find((f) => f.includes('A/s0'))!.filter((id) => id !== 'A/s0');
    })();
    expect(mates.length).toBeGreaterThan(0);
    for (const id of mates) expect(withOutlier.get(id)).toBeCloseTo(without.get(id)!, 10);
  });
});
