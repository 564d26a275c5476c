import { describe, expect, it } from 'vitest';
import { barrierMoves, isUnchanged, type HopBarrier } from '@/lib/campaign/moves';

/** A hop's barriers from its three knot energies (E_A, E_S, E_B, eV), as written out by hand below. */
function hop(
  surface: string,
  id: string,
  forwardEv: number,
  backwardEv: number,
  sigma: [number | null, number | null] = [null, null],
  saddle = 'bridge-0',
): HopBarrier {
  return {
    surface,
    hop: id,
    from: 'T_M-02',
    saddle,
    to: 'H-01',
    forwardEv,
    backwardEv,
    forwardSigmaEv: sigma[0],
    backwardSigmaEv: sigma[1],
    saddleSource: sigma[0] === null ? 'dft' : 'predicted',
  };
}

describe('barrierMoves', () => {
  // Hand-made snapshots (eV). MoS2 hop-1: E_A = -1.50, E_B = -1.40; the saddle predicted at -1.20 +- 0.05 before
  // (forward 0.30, backward 0.20), computed by DFT at -1.35 after (forward 0.15, backward 0.05): moves -0.15, -0.15.
  // MoS2 hop-2: forward 0.40 -> 0.42 (+0.02), backward 0.10 -> 0.07 (-0.03), sigma 0.08 -> 0.05 (-0.03): size 0.03.
  // WS2 hop-0: unchanged barriers, sigma 0.020 -> 0.010: size 0, sigma change 0.01.
  // WS2 hop-5: incomplete before, barriers after ('new'); WS2 hop-9: barriers before only ('lost').
  const before = [
    hop('MoS2', 'hop-1', 0.3, 0.2, [0.05, 0.05]),
    hop('MoS2', 'hop-2', 0.4, 0.1, [0.08, 0.08]),
    hop('WS2', 'hop-0', 0.25, 0.15, [0.02, 0.02]),
    hop('WS2', 'hop-9', 0.5, 0.5, [0.1, 0.1]),
  ];
  const after = [
    hop('WS2', 'hop-0', 0.25, 0.15, [0.01, 0.01]),
    hop('MoS2', 'hop-2', 0.42, 0.07, [0.05, 0.05]),
    hop('MoS2', 'hop-1', 0.15, 0.05, [null, null], 'bridge-0@c1'),
    hop('WS2', 'hop-5', 0.2, 0.1, [0.03, 0.03]),
  ];
  const moves = barrierMoves(before, after);

  it('should list moved hops by the size of the move, then new, then lost ones', () => {
    expect(moves.map((m) => [m.surface, m.hop, m.status])).toEqual([
      ['MoS2', 'hop-1', 'moved'],
      ['MoS2', 'hop-2', 'moved'],
      ['WS2', 'hop-0', 'moved'],
      ['WS2', 'hop-5', 'new'],
      ['WS2', 'hop-9', 'lost'],
    ]);
  });

  it('should give after - before of each barrier and sigma', () => {
    const [h1, h2, h0, h5, h9] = moves;
    expect(h1.deltaForwardEv).toBeCloseTo(-0.15, 12);
    expect(h1.deltaBackwardEv).toBeCloseTo(-0.15, 12);
    expect(h1.sizeEv).toBeCloseTo(0.15, 12);
    // DFT saddle after: no sigma, so no sigma change to report.
    expect([h1.deltaForwardSigmaEv, h1.after!.forwardSigmaEv, h1.before!.forwardSigmaEv]).toEqual([null, null, 0.05]);
    expect(h2.deltaForwardEv).toBeCloseTo(0.02, 12);
    expect(h2.deltaBackwardEv).toBeCloseTo(-0.03, 12);
    expect(h2.sizeEv).toBeCloseTo(0.03, 12);
    expect(h2.deltaForwardSigmaEv).toBeCloseTo(-0.03, 12);
    expect(h0.sizeEv).toBe(0);
    expect(h0.deltaBackwardSigmaEv).toBeCloseTo(-0.01, 12);
    expect([h5.before, h5.deltaForwardEv, h5.sizeEv, h5.after!.forwardEv]).toEqual([null, null, null, 0.2]);
    expect([h9.after, h9.deltaBackwardEv, h9.before!.backwardEv]).toEqual([null, null, 0.5]);
  });

  it("should name a hop's sites as they are after the import (the new label's name)", () => {
    expect([moves[0].from, moves[0].saddle, moves[0].to]).toEqual(['T_M-02', 'bridge-0@c1', 'H-01']);
    expect(moves[4].saddle).toBe('bridge-0');
  });

  it('should list nothing for two empty snapshots', () => {
    expect(barrierMoves([], [])).toEqual([]);
  });
});

describe('isUnchanged', () => {
  const same = hop('MoS2', 'hop-0', 0.2, 0.1, [0.01, 0.01]);
  it.each([
    ['identical barriers and sigmas', [same], [same], true],
    ['same barriers, both without sigma', [hop('MoS2', 'hop-0', 0.2, 0.1)], [hop('MoS2', 'hop-0', 0.2, 0.1)], true],
    ['a sigma that went away (predicted -> DFT)', [same], [hop('MoS2', 'hop-0', 0.2, 0.1)], false],
    ['a sigma that shrank', [same], [hop('MoS2', 'hop-0', 0.2, 0.1, [0.005, 0.01])], false],
    ['a barrier 1 meV higher', [same], [hop('MoS2', 'hop-0', 0.201, 0.1, [0.01, 0.01])], false],
    ['a hop that gained its barrier', [], [same], false],
  ])('%s', (_, before, after, expected) => {
    expect(isUnchanged(barrierMoves(before, after)[0])).toBe(expected);
  });
});
