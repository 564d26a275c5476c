import { describe, expect, it } from 'vitest';
import { averageRanks, spearman, wilcoxonSignedRank, wilsonInterval } from '@/lib/ml/stats';

describe('wilcoxonSignedRank', () => {
  it('matches scipy.stats.wilcoxon(method="exact") without ties', () => {
    // scipy 1.10: statistic = min(W+, W-) = 10, p = 0.083984375
    const w = wilcoxonSignedRank([0.8, -0.3, 1.9, 2.4, -0.1, 1.2, 0.7, -1.5, 3.1, 0.45]);
    expect(w.n).toBe(10);
    expect(Math.min(w.wPlus, 55 - w.wPlus)).toBe(10);
    expect(w.pValue).toBeCloseTo(0.083984375, 12);
    // scipy: statistic 9, p = 0.25
    expect(wilcoxonSignedRank([1, 2, -3, 4, 5, -6, 7, 8]).pValue).toBeCloseTo(0.25, 12);
  });

  it('with ties and zeros equals brute-force enumeration of all sign patterns', () => {
    const d = [0.5, -0.5, 1, 1, -2, 0, 3, 0.5, -1, 2];
    const nz = d.filter((v) => v !== 0);
    // Independent: average ranks by counting, then all 2^n sign flips.
    const abs = nz.map(Math.abs);
    const rank = abs.map((a) => abs.filter((b) => b < a).length + (abs.filter((b) => b === a).length + 1) / 2);
    const observed = nz.reduce((s, v, i) => s + (v > 0 ? rank[i] : 0), 0);
    let le = 0;
    let ge = 0;
    const n = nz.length;
    for (let m = 0; m < 1 << n; m++) {
      let w = 0;
      for (let i = 0; i < n; i++) if (m & (1 << i)) w += rank[i];
      if (w <= observed + 1e-9) le++;
      if (w >= observed - 1e-9) ge++;
    }
    const p = Math.min(1, (2 * Math.min(le, ge)) / 2 ** n);
    const w = wilcoxonSignedRank(d);
    expect(w.n).toBe(9);
    expect(w.wPlus).toBeCloseTo(observed, 12);
    expect(w.pValue).toBeCloseTo(p, 12);
  });

  it('gives p = 1 when every difference is zero', () => {
    expect(wilcoxonSignedRank([0, 0, 0]).pValue).toBe(1);
  });
});

describe('spearman', () => {
  it('matches scipy.stats.spearmanr, with and without ties', () => {
    expect(spearman([1, 2, 3, 4, 5, 6], [2, 1, 4, 3, 6, 5])).toBeCloseTo(0.8285714285714287, 12);
    expect(spearman([3.1, 2.2, 2.2, 5.0, 4.1], [1.0, 0.5, 0.7, 2.0, 2.0])).toBeCloseTo(0.9473684210526317, 12);
  });

  it('averages tied ranks', () => {
    expect(averageRanks([10, 20, 20, 5])).toEqual([2, 3.5, 3.5, 1]);
  });
});

describe('wilsonInterval', () => {
  it('9 of 10 at 95%: [0.596, 0.982] (hand: (p + z^2/2n +- z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n))', () => {
    const [lo, hi] = wilsonInterval(9, 10);
    expect(lo).toBeCloseTo(0.5958, 3);
    expect(hi).toBeCloseTo(0.9821, 3);
  });
});
