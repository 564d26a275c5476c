import { describe, expect, test } from 'vitest';
import { hopsFromLabelledBridges, type LabelledSite } from '@/lib/profile/label-hops';

const lattice = [
  [6.4, 0, 0],
  [0, 3.2, 0],
  [0, 0, 20],
];
const site = (id: string, kind: string, x: number, energyEv: number): LabelledSite => ({
  id,
  kind,
  position: [x, 1.6, 11.5],
  energyEv,
  source: 'dft',
});

describe('hopsFromLabelledBridges', () => {
  test('pairs each bridge with the minima on both sides, across the cell boundary too', () => {
    // Minima at x = 1.6 and 4.8; bridge B1 at 3.2 (inside), B2 at 0 (between T2's image at -1.6 and T1 at 1.6).
    const { hops, unmatched } = hopsFromLabelledBridges(
      [
        site('T1', 'T_M', 1.6, 0),
        site('T2', 'H', 4.8, 0),
        site('B1', 'bridge', 3.2, 0.3),
        site('B2', 'bridge', 0, 0.5),
      ],
      lattice,
    );
    expect(unmatched).toEqual([]);
    expect(hops).toHaveLength(2);
    const [b1, b2] = hops;
    expect(new Set([b1.from.id, b1.to.id])).toEqual(new Set(['T1', 'T2']));
    expect(b1.translation).toEqual([0, 0]);
    expect(b1.sSaddle).toBeCloseTo(0.5, 12);
    expect(new Set([b2.from.id, b2.to.id])).toEqual(new Set(['T1', 'T2']));
    // T1 (cell 0) <-> T2 (cell -1) or T2 (cell +1... as from) <-> T1: a translation of one cell along a either way.
    expect(Math.abs(b2.translation[0])).toBe(1);
    expect(b2.translation[1]).toBe(0);
  });

  test('off-centre bridge: s_S from the in-plane distances', () => {
    const { hops } = hopsFromLabelledBridges(
      [site('A', 'H', 1.0, 0), site('B', 'H', 5.0, 0), site('S', 'bridge', 2.0, 0.4)],
      lattice,
    );
    // A at 1.0 (d = 1), B at 5.0 (d = 3): s_S = 1 / 4.
    expect(hops[0].from.id).toBe('A');
    expect(hops[0].to.id).toBe('B');
    expect(hops[0].sSaddle).toBeCloseTo(0.25, 12);
  });

  test('a bridge with no minima is reported', () => {
    expect(hopsFromLabelledBridges([site('S', 'bridge', 2, 0.4)], lattice).unmatched).toEqual(['S']);
  });
});
