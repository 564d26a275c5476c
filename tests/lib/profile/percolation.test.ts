import { describe, expect, test } from 'vitest';
import { percolatingBarrier, type GraphHop, type GraphSite } from '@/lib/profile/percolation';
import { ProfileError } from '@/lib/profile/errors';

/*
 * Hand-made periodic graphs. Sites of one cell; a hop goes from `from` in cell 0 to `to` in cell `translation`.
 */
describe('percolatingBarrier', () => {
  const sites: GraphSite[] = [
    { id: 'T', energyEv: 0 },
    { id: 'H', energyEv: 0.1 },
  ];

  test('a closed loop inside the cell does not percolate; the first winding cycle does', () => {
    const hops: GraphHop[] = [
      { id: 'a', from: 'T', to: 'H', translation: [0, 0], topEnergyEv: 0.2 },
      { id: 'b', from: 'H', to: 'T', translation: [0, 0], topEnergyEv: 0.25 }, // T -> H -> T, same cell: winding 0
      { id: 'c', from: 'H', to: 'T', translation: [1, 0], topEnergyEv: 0.5 }, // T -> H -> T(+a): winding (1, 0)
      { id: 'd', from: 'T', to: 'T', translation: [0, 1], topEnergyEv: 0.7 },
    ];
    const r = percolatingBarrier(sites, hops)!;
    expect(r.thresholdEv).toBe(0.5);
    expect(r.barrierEv).toBe(0.5);
    expect(r.groundSite).toBe('T');
    expect(r.bottleneckHop.id).toBe('c');
    expect(Math.abs(r.winding[0])).toBe(1);
    expect(r.winding[1]).toBe(0);
  });

  test('a self-image hop percolates on its own', () => {
    const hops: GraphHop[] = [
      { id: 'c', from: 'H', to: 'T', translation: [1, 0], topEnergyEv: 0.5 },
      { id: 'd', from: 'T', to: 'T', translation: [0, 1], topEnergyEv: 0.4 },
    ];
    const r = percolatingBarrier(sites, hops)!;
    expect(r.barrierEv).toBe(0.4);
    expect(r.winding).toEqual([0, 1]);
  });

  test('a three-site cycle whose translations cancel does not percolate; one that sums to a lattice vector does', () => {
    const three: GraphSite[] = [
      { id: 'A', energyEv: -0.2 },
      { id: 'B', energyEv: 0 },
      { id: 'C', energyEv: 0 },
    ];
    const base: GraphHop[] = [
      { from: 'A', to: 'B', translation: [0, 0], topEnergyEv: 0.1 },
      { from: 'B', to: 'C', translation: [1, 0], topEnergyEv: 0.15 },
    ];
    expect(
      percolatingBarrier(three, [...base, { from: 'C', to: 'A', translation: [-1, 0], topEnergyEv: 0.2 }]),
    ).toBeNull();
    const r = percolatingBarrier(three, [...base, { from: 'C', to: 'A', translation: [0, 0], topEnergyEv: 0.2 }])!;
    // E* = 0.2, ground A at -0.2: barrier 0.4.
    expect(r.thresholdEv).toBe(0.2);
    expect(r.barrierEv).toBeCloseTo(0.4, 14);
    expect(Math.abs(r.winding[0])).toBe(1);
  });

  test('a low percolating pocket elsewhere does not count until the ground site joins it', () => {
    const four: GraphSite[] = [
      { id: 'G', energyEv: -1 },
      { id: 'X', energyEv: 0.5 },
    ];
    const hops: GraphHop[] = [
      { from: 'X', to: 'X', translation: [1, 0], topEnergyEv: 0.7 }, // X percolates at 0.7 ...
      { from: 'G', to: 'X', translation: [0, 0], topEnergyEv: 0.9 }, // ... G reaches it only at 0.9
    ];
    const r = percolatingBarrier(four, hops)!;
    expect(r.thresholdEv).toBe(0.9);
    expect(r.barrierEv).toBeCloseTo(1.9, 14);
  });

  test('edge ordering does not matter (hops given in any order)', () => {
    const hops: GraphHop[] = [
      { id: 'd', from: 'T', to: 'T', translation: [0, 1], topEnergyEv: 0.7 },
      { id: 'c', from: 'H', to: 'T', translation: [1, 0], topEnergyEv: 0.5 },
      { id: 'a', from: 'T', to: 'H', translation: [0, 0], topEnergyEv: 0.2 },
    ];
    expect(percolatingBarrier(sites, hops)!.thresholdEv).toBe(0.5);
  });

  test('rejects unknown sites and mixed dimensions', () => {
    expect(() => percolatingBarrier(sites, [{ from: 'T', to: 'Q', translation: [0, 0], topEnergyEv: 1 }])).toThrow(
      ProfileError,
    );
    expect(() =>
      percolatingBarrier(sites, [
        { from: 'T', to: 'H', translation: [0, 0], topEnergyEv: 1 },
        { from: 'T', to: 'H', translation: [0, 0, 1], topEnergyEv: 1 },
      ]),
    ).toThrow(/dimension/);
    expect(() => percolatingBarrier([], [])).toThrow(ProfileError);
  });
});
