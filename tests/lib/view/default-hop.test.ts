import { describe, expect, it } from 'vitest';
import { defaultHop, hopFlag, type HopForChoice } from '@/lib/view/default-hop';

const hop = (surfaceId: string, name: string, fwd: number, bwd: number, saddleIsMaximum = true): HopForChoice => ({
  hopId: `${surfaceId}/${name}`,
  hop: name,
  surfaceId,
  surface: surfaceId.toUpperCase(),
  barrierForwardEv: fwd,
  barrierBackwardEv: bwd,
  saddleIsMaximum,
});

describe('hopFlag', () => {
  it('flags a saddle below an end point and zero barriers, not ordinary hops', () => {
    expect(hopFlag(hop('a', 'hop-1', 0, 0.2, false))).toMatch(/saddle lies below an end point/);
    expect(hopFlag(hop('a', 'hop-1', 0.0004, 0.2, true))).toMatch(/under 1 meV/);
    expect(hopFlag(hop('a', 'hop-1', 0.3, 0.2))).toBeNull();
  });
});

describe('defaultHop', () => {
  // The case: sorted by forward barrier, a degenerate hop (forward 0) came first.
  const hops = [
    hop('zrti', 'hop-18', 0, 0.11, false),
    hop('zrti', 'hop-3', 0.25, 0.3),
    hop('zrti', 'hop-5', 0.4, 0.35),
    hop('mos2', 'hop-1', 0.05, 0.05),
    hop('mos2v', 'hop-2', 0.5, 0.45),
    hop('mos2v', 'hop-7', 0.2, 0.2),
  ];
  const surfaces = [
    { id: 'mos2', name: 'MOS2', percolation: { bottleneckHop: 'hop-1' } },
    { id: 'mos2v', name: 'MOS2V', percolation: { bottleneckHop: 'hop-2' } },
    { id: 'zrti', name: 'ZRTI', percolation: { bottleneckHop: 'hop-18' } },
  ];
  it('opens on the bottleneck hop of the surface with the largest doping effect', () => {
    const d = defaultHop(hops, surfaces, [
      { dopedSurface: 'ZRTI', deltaEv: 0.05 },
      { dopedSurface: 'MOS2V', deltaEv: -0.45 },
    ]);
    expect(d?.hopId).toBe('mos2v/hop-2');
    expect(d?.reason).toMatch(/largest doping effect/);
  });
  it('never opens on a flagged bottleneck: falls back to that surface’s lowest unflagged hop', () => {
    const d = defaultHop(hops, surfaces, [{ dopedSurface: 'ZRTI', deltaEv: 0.3 }]);
    expect(d?.hopId).toBe('zrti/hop-3');
  });
  it('without doping effects uses the first surface with a percolating path', () => {
    expect(defaultHop(hops, surfaces, [])?.hopId).toBe('mos2/hop-1');
  });
  it('is null without hops and the first hop when every hop is flagged', () => {
    expect(defaultHop([], surfaces)).toBeNull();
    expect(defaultHop([hop('a', 'hop-1', 0, 0.1, false)], [])?.hopId).toBe('a/hop-1');
  });
});
