import { describe, expect, it } from 'vitest';
import type { Mat3, Vec3 } from '@/lib/math/mat3';
import {
  bondEnds,
  cellEdges,
  findBonds,
  hopPath,
  minimumImageInPlane,
  repeatOffsets,
} from '@/lib/view/structure-geometry';
import { elementVisual } from '@/lib/view/elements-visual';

const cubic = (s: number): Mat3 => [
  [s, 0, 0],
  [0, s, 0],
  [0, 0, s],
];

describe('findBonds', () => {
  it('finds a Mo-S bond only through the periodic boundary', () => {
    // Direct Mo-S distance 3.6 A > 1.2 (1.54 + 1.05) = 3.108 A; through the -a image 2.4 A.
    const positions: Vec3[] = [
      [0.5, 3, 3],
      [4.1, 3, 3],
    ];
    const bonds = findBonds(cubic(6), ['Mo', 'S'], positions);
    expect(bonds).toHaveLength(1);
    expect(bonds[0]).toMatchObject({ i: 0, j: 1, image: [-1, 0, 0] });
    expect(bonds[0].lengthA).toBeCloseTo(2.4, 12);
    const [p, q] = bondEnds(cubic(6), positions, bonds[0]);
    expect(p).toEqual([0.5, 3, 3]);
    expect(q[0]).toBeCloseTo(-1.9, 12);
  });

  it('lists an atom bonded to its own image once', () => {
    // A chain of S along a with 2.0 A spacing: 2.0 < 1.2 * 2.1 = 2.52.
    const lattice: Mat3 = [
      [2, 0, 0],
      [0, 10, 0],
      [0, 0, 10],
    ];
    const bonds = findBonds(lattice, ['S'], [[0, 0, 0]]);
    expect(bonds).toEqual([{ i: 0, j: 0, image: [1, 0, 0], lengthA: 2 }]);
  });

  it('leaves out metal-metal contacts unless asked', () => {
    const positions: Vec3[] = [
      [1, 1, 1],
      [4.16, 1, 1],
    ]; // Mo-Mo 3.16 A as in MoS2, inside 1.2 * 3.08 = 3.696 A
    expect(findBonds(cubic(20), ['Mo', 'Mo'], positions)).toHaveLength(0);
    expect(findBonds(cubic(20), ['Mo', 'Mo'], positions, { metalMetal: true })).toHaveLength(1);
  });

  it('uses Cordero covalent radii', () => {
    expect(elementVisual('Mo').covalentRadiusA).toBe(1.54);
    expect(elementVisual('S').covalentRadiusA).toBe(1.05);
    expect(elementVisual('Xx').covalentRadiusA).toBe(1.5);
  });
});

describe('repeats and cell', () => {
  it.each([1, 2, 3])('repeats the cell %i x %i times, the original first', (n) => {
    const lattice: Mat3 = [
      [3, 0, 0],
      [-1.5, 2.6, 0],
      [0, 0, 20],
    ];
    const offsets = repeatOffsets(lattice, n);
    expect(offsets).toHaveLength(n * n);
    expect(offsets[0]).toEqual([0, 0, 0]);
    const last = offsets[n * n - 1];
    expect(last[0]).toBeCloseTo((n - 1) * 1.5, 12);
    expect(last[1]).toBeCloseTo((n - 1) * 2.6, 12);
  });

  it('draws 12 cell edges, four of each lattice vector length', () => {
    const lattice: Mat3 = [
      [3, 0, 0],
      [-1.5, 2.598, 0],
      [0, 0, 20],
    ];
    const lengths = cellEdges(lattice)
      .map(([p, q]) => Math.hypot(q[0] - p[0], q[1] - p[1], q[2] - p[2]))
      .map((x) => x.toFixed(3))
      .sort();
    expect(lengths).toEqual([...Array(4).fill('20.000'), ...Array(8).fill('3.000')]);
  });
});

describe('hops across the boundary', () => {
  it('moves the end points to the images nearest the saddle', () => {
    const lattice = cubic(6);
    const [a, s, b] = hopPath(lattice, [0.2, 3, 5], [5.9, 3, 5], [5.0, 3, 5]);
    expect(a[0]).toBeCloseTo(6.2, 12);
    expect(s).toEqual([5.9, 3, 5]);
    expect(b[0]).toBeCloseTo(5.0, 12);
  });

  it('finds the minimum image in a 120 degree hexagonal cell', () => {
    const lattice: Mat3 = [
      [3, 0, 0],
      [-1.5, 1.5 * Math.sqrt(3), 0],
      [0, 0, 20],
    ];
    // a + b = (1.5, 2.598) has length 3; its minimum image is itself (not reduced to a shorter one).
    const d = minimumImageInPlane(lattice, [1.5 + 0.1, 1.5 * Math.sqrt(3), 0]);
    expect(Math.hypot(d[0], d[1])).toBeLessThan(3.1);
    const e = minimumImageInPlane(lattice, [2.9, 0, 1]);
    expect(e[0]).toBeCloseTo(-0.1, 12);
    expect(e[2]).toBe(1);
  });
});
