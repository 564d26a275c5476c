/**
 * Ridge lambda chosen by leaving one group (surface) out. Synthetic surfaces: a site feature sets E_b within a
 * surface (slope 0.3 eV per unit), each surface has a random offset (std 0.2 eV) and four surface-level descriptors
 * that are pure noise. Leaving single rows out lets those descriptors recognise the surface and fit its offset; leaving
 * whole surfaces out shows that they do not carry over to a new one.
 */
import { describe, expect, test } from 'vitest';
import { fitRidge, gaussian, matrix, mulberry32, predictRidge } from '../../../lib/ml';

function surfaces(nSurfaces: number, perSurface: number, seed: number) {
  const rand = mulberry32(seed);
  const p = 5;
  const x = matrix(nSurfaces * perSurface, p);
  const y = new Float64Array(nSurfaces * perSurface);
  const groups: string[] = [];
  for (let g = 0; g < nSurfaces; g++) {
    const offset = 0.2 * gaussian(rand);
    const descriptors = Array.from({ length: p - 1 }, () => gaussian(rand));
    for (let k = 0; k < perSurface; k++) {
      const i = g * perSurface + k;
      const site = gaussian(rand);
      x.data[i * p] = site;
      descriptors.forEach((d, j) => (x.data[i * p + 1 + j] = d));
      y[i] = 0.3 * site + offset + 0.01 * gaussian(rand);
      groups.push(`s${seed}-${g}`);
    }
  }
  return { x, y, groups };
}

const mse = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return s / a.length;
};

describe('ridge with lambda by leave one group out', () => {
  test('predicts new surfaces better than row-LOO, and its looMse estimates the new-surface error', () => {
    let rowLoo = 0;
    let groupLoo = 0;
    const ratios: number[] = [];
    for (let seed = 1; seed <= 20; seed++) {
      const train = surfaces(7, 6, seed);
      const test = surfaces(50, 6, 1000 + seed);
      const byRow = fitRidge(train.x, train.y);
      const byGroup = fitRidge(train.x, train.y, { groups: train.groups });
      const eRow = mse(predictRidge(byRow, test.x), test.y);
      const eGroup = mse(predictRidge(byGroup, test.x), test.y);
      rowLoo += eRow;
      groupLoo += eGroup;
      ratios.push(byGroup.looMse / eGroup);
      // Row-LOO believes it knows the surfaces' offsets; leaving a surface out does not.
      expect(byGroup.looMse).toBeGreaterThan(byRow.looMse);
    }
    expect(groupLoo).toBeLessThan(0.8 * rowLoo);
    // The offsets' variance (0.04 eV^2) dominates the new-surface error: the grouped estimate is of that size.
    const median = [...ratios].sort((a, b) => a - b)[ratios.length / 2];
    expect(median).toBeGreaterThan(0.6);
    expect(median).toBeLessThan(1.6);
  });

  test('fewer than 3 groups fall back to leaving rows out', () => {
    const { x, y } = surfaces(2, 6, 3);
    const twoGroups = Array.from({ length: 12 }, (_, i) => (i < 6 ? 'a' : 'b'));
    const a = fitRidge(x, y, { groups: twoGroups });
    const b = fitRidge(x, y);
    expect(a.lambda).toBe(b.lambda);
    expect(a.looMse).toBe(b.looMse);
  });
});
