/**
 * How a campaign moved the barriers: each hop's barriers and their sigmas before the import and after the retrain,
 * matched by surface and hop id, largest move first. Pure: the server hands in two snapshots of the profiles (the
 * same hop views the profiles page shows), this only compares them. Energies in eV.
 */

/** One hop's barriers at one moment (from a HopProfileView: barrierForward/BackwardEv and their sigmas). */
export interface HopBarrier {
  surface: string;
  /** The app's hop id ('hop-3'): the key that matches a hop across snapshots. */
  hop: string;
  /** Display names of the end sites and the saddle (the user's names where labelled). */
  from: string;
  saddle: string;
  to: string;
  /** E_S - E_A. */
  forwardEv: number;
  forwardSigmaEv: number | null;
  /** E_S - E_B. */
  backwardEv: number;
  backwardSigmaEv: number | null;
  /** Where the saddle knot's energy came from. */
  saddleSource: 'dft' | 'predicted';
}

export type MoveStatus =
  /** Barrier known before and after. */
  | 'moved'
  /** The hop was incomplete before (a knot without energy) and has barriers now. */
  | 'new'
  /** The hop had barriers before and is incomplete now. */
  | 'lost';

export interface BarrierMove {
  surface: string;
  hop: string;
  /** Names after the import (a new label may have given the saddle the user's name), else before. */
  from: string;
  saddle: string;
  to: string;
  status: MoveStatus;
  before: HopBarrier | null;
  after: HopBarrier | null;
  /** after - before (null unless 'moved'). */
  deltaForwardEv: number | null;
  deltaBackwardEv: number | null;
  /** after - before of the sigmas; null unless both are known. */
  deltaForwardSigmaEv: number | null;
  deltaBackwardSigmaEv: number | null;
  /** The size of the move, max(|deltaForward|, |deltaBackward|); null unless 'moved'. */
  sizeEv: number | null;
}

const key = (h: Pick<HopBarrier, 'surface' | 'hop'>): string => `${h.surface}\u0000${h.hop}`;

function diff(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : b - a;
}

const STATUS_ORDER: Record<MoveStatus, number> = { moved: 0, new: 1, lost: 2 };

/**
 * Compare two snapshots. Order: hops whose barrier moved, largest |change| of either direction first (then the
 * largest sigma change, then surface and hop id); then hops that gained a barrier; then hops that lost one. A hop
 * missing from both snapshots is not listed.
 */
export function barrierMoves(before: readonly HopBarrier[], after: readonly HopBarrier[]): BarrierMove[] {
  const was = new Map(before.map((h) => [key(h), h]));
  const now = new Map(after.map((h) => [key(h), h]));
  const keys = [...new Set([...was.keys(), ...now.keys()])];
  const moves = keys.map((k): BarrierMove => {
    const b = was.get(k) ?? null;
    const a = now.get(k) ?? null;
    const names = (a ?? b)!;
    const status: MoveStatus = a && b ? 'moved' : a ? 'new' : 'lost';
    const dF = a && b ? a.forwardEv - b.forwardEv : null;
    const dB = a && b ? a.backwardEv - b.backwardEv : null;
    return {
      surface: names.surface,
      hop: names.hop,
      from: names.from,
      saddle: names.saddle,
      to: names.to,
      status,
      before: b,
      after: a,
      deltaForwardEv: dF,
      deltaBackwardEv: dB,
      deltaForwardSigmaEv: a && b ? diff(b.forwardSigmaEv, a.forwardSigmaEv) : null,
      deltaBackwardSigmaEv: a && b ? diff(b.backwardSigmaEv, a.backwardSigmaEv) : null,
      sizeEv: dF === null || dB === null ? null : Math.max(Math.abs(dF), Math.abs(dB)),
    };
  });
  const sigmaSize = (m: BarrierMove): number =>
    Math.max(Math.abs(m.deltaForwardSigmaEv ?? 0), Math.abs(m.deltaBackwardSigmaEv ?? 0));
  return moves.sort(
    (x, y) =>
      STATUS_ORDER[x.status] - STATUS_ORDER[y.status] ||
      (y.sizeEv ?? 0) - (x.sizeEv ?? 0) ||
      sigmaSize(y) - sigmaSize(x) ||
      x.surface.localeCompare(y.surface) ||
      x.hop.localeCompare(y.hop, undefined, { numeric: true }),
  );
}

/** Below this (eV) a barrier or sigma change is rounding, not a move. */
const UNCHANGED_EV = 1e-9;

/** A hop whose barriers and sigmas are the same before and after (what a report may fold into a count). */
export function isUnchanged(m: BarrierMove): boolean {
  const same = (d: number | null, b: number | null | undefined, a: number | null | undefined): boolean =>
    d === null ? (b ?? null) === (a ?? null) : Math.abs(d) < UNCHANGED_EV;
  return (
    m.status === 'moved' &&
    (m.sizeEv ?? 0) < UNCHANGED_EV &&
    same(m.deltaForwardSigmaEv, m.before?.forwardSigmaEv, m.after?.forwardSigmaEv) &&
    same(m.deltaBackwardSigmaEv, m.before?.backwardSigmaEv, m.after?.backwardSigmaEv)
  );
}
