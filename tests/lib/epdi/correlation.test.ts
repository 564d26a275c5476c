import { describe, expect, it } from 'vitest';
import { linearFit } from '@/lib/epdi/correlation';

describe('linearFit (MEP vs E_b)', () => {
  it('recovers an exact line with r = 1 and a falling one with r = -1', () => {
    expect(linearFit([0, 1, 2, 3], [1, 3, 5, 7])).toEqual({ n: 4, pearsonR: 1, slope: 2, intercept: 1 });
    const down = linearFit([0, 1, 2], [2, 1, 0])!;
    expect(down.pearsonR).toBeCloseTo(-1, 12);
    expect(down.slope).toBeCloseTo(-1, 12);
  });

  it('matches a hand computation on scattered points', () => {
    // x = 1,2,3,4; y = 2,1,4,3: means 2.5, 2.5; Sxy = 3, Sxx = Syy = 5 -> r = 0.6, slope 0.6, intercept 1.
    const fit = linearFit([1, 2, 3, 4], [2, 1, 4, 3])!;
    expect(fit.pearsonR).toBeCloseTo(0.6, 12);
    expect(fit.slope).toBeCloseTo(0.6, 12);
    expect(fit.intercept).toBeCloseTo(1, 12);
  });

  it('returns null with fewer than 3 points or no spread', () => {
    expect(linearFit([1, 2], [1, 2])).toBeNull();
    expect(linearFit([1, 1, 1], [1, 2, 3])).toBeNull();
    expect(linearFit([1, 2, 3], [5, 5, 5])).toBeNull();
  });
});
