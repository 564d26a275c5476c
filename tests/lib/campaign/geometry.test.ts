import { describe, expect, it } from 'vitest';
import { inPlaneDistance, linearImages, minimumImageVector, slabWithLi, topLayer } from '@/lib/campaign/geometry';
import type { Mat3 } from '@/lib/math/mat3';

/* A hexagonal 3x3 cell, a = 9 A (b at 120 degrees): a = (9, 0, 0), b = (-4.5, 7.794229, 0), c = (0, 0, 20). */
const hex: Mat3 = [
  [9, 0, 0],
  [-4.5, 4.5 * Math.sqrt(3), 0],
  [0, 0, 20],
];

describe('minimum-image hop vector', () => {
  it('should reach across the cell edge instead of through the cell', () => {
    // (0.5, 0, z) to (8.5, 0, z): 8 A inside the cell, -1 A through the boundary along a.
    const v = minimumImageVector([0.5, 0, 12], [8.5, 0, 12], hex);
    [-1, 0, 0].forEach((x, k) => expect(v[k]).toBeCloseTo(x, 12));
  });

  it('should use the short diagonal of the oblique cell', () => {
    // From the origin to a + b = (4.5, 7.794): its image at a + b - (a + b) is 0 away; a point 0.1 A short of it
    // along x is 0.1 A away, which plain rounding of fractions also finds; a - b direction needs the neighbour check.
    const v = minimumImageVector([0, 0, 0], [4.4, 4.5 * Math.sqrt(3), 0], hex);
    expect(Math.hypot(v[0], v[1])).toBeCloseTo(0.1, 9);
  });

  it('should place NEB images evenly on the straight line between the ends', () => {
    const images = linearImages([0.5, 0, 12], [8.5, 0, 13], hex, 3);
    expect(images.map((p) => p.map((v) => +v.toFixed(9) + 0))).toEqual([
      [0.5, 0, 12],
      [0.25, 0, 12.25],
      [0, 0, 12.5],
      [-0.25, 0, 12.75],
      [-0.5, 0, 13],
    ]);
    expect(() => linearImages([0, 0, 0], [1, 0, 0], hex, 0)).toThrow(/at least one inner image/);
  });

  it('should measure in-plane distances under the minimum image', () => {
    expect(inPlaneDistance([0.5, 0, 0], [8.5, 0, 5], hex)).toBeCloseTo(1, 12);
  });
});

describe('slab with Li', () => {
  it('should group the host by element in first-appearance order and append one Li', () => {
    const host = {
      comment: 'x',
      lattice: hex,
      species: ['V', 'Mo', 'S', 'Mo', 'S'],
      positions: [
        [0, 0, 10],
        [1, 0, 10],
        [0, 1, 11.5],
        [2, 0, 10],
        [1, 1, 8.5],
      ] as [number, number, number][],
    };
    const s = slabWithLi(host, [3, 3, 13], 'c');
    expect(s.species).toEqual(['V', 'Mo', 'Mo', 'S', 'S', 'Li']);
    expect(s.positions.map((p) => p[0])).toEqual([0, 1, 2, 0, 1, 3]);
    expect(topLayer(host)).toEqual({ element: 'S', zTopA: 11.5 });
    expect(() => slabWithLi({ ...host, species: [...host.species.slice(0, 4), 'Li'] }, [0, 0, 0], 'c')).toThrow(
      /already holds Li/,
    );
  });
});
