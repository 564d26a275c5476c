/**
 * Which hop the profiles page opens on, and which hops it flags. A scientist expects the hop that matters: the
 * percolating bottleneck of the surface where doping changes the barrier most (else of the first surface with a
 * percolating path), never a degenerate hop whose "barrier" is an artefact of a saddle lying below an end point.
 */

/** The fields of a hop profile view (lib/pipeline HopProfileView) the choice needs. */
export interface HopForChoice {
  hopId: string;
  hop: string;
  surfaceId: string;
  surface: string;
  barrierForwardEv: number;
  barrierBackwardEv: number;
  saddleIsMaximum: boolean;
}

/** The fields of a surface's profiles (name, percolation) the choice needs. */
export interface SurfaceForChoice {
  id: string;
  name: string;
  percolation: { bottleneckHop: string } | null;
}

/** The fields of a doping effect the choice needs. */
export interface DopingForChoice {
  dopedSurface: string;
  deltaEv: number;
}

/** Barriers below this (eV) count as zero: 1 meV, under the precision of the DFT energies they come from. */
const ZERO_BARRIER_EV = 1e-3;

/**
 * Why a hop should not be read as a transition (null when it is fine): its saddle lies below an end point (the drawn
 * curve peaks at a minimum, so one barrier is zero and the other is a minimum-to-minimum difference), or a barrier is
 * zero.
 */
export function hopFlag(
  hop: Pick<HopForChoice, 'barrierForwardEv' | 'barrierBackwardEv' | 'saddleIsMaximum'>,
): string | null {
  if (!hop.saddleIsMaximum)
    return 'the saddle lies below an end point: not a transition state (check the saddle label or prediction); barriers are read from the curve';
  if (hop.barrierForwardEv < ZERO_BARRIER_EV || hop.barrierBackwardEv < ZERO_BARRIER_EV)
    return 'a barrier under 1 meV: the saddle is level with an end point (a symmetry-copied or mislabelled saddle?)';
  return null;
}

/** The choice and why it was made (for a caption). */
export interface DefaultHop {
  hopId: string;
  reason: string;
}

/**
 * The hop to open on: the percolating bottleneck hop of the doped surface with the largest |doping effect|, else of
 * the first surface (in the order given) with a percolating path; when that hop is flagged or missing, the unflagged
 * hop of that same surface with the lowest forward barrier; else the first unflagged hop anywhere; else the first hop.
 * Null when there is no hop.
 */
export function defaultHop(
  hops: readonly HopForChoice[],
  surfaces: readonly SurfaceForChoice[],
  doping: readonly DopingForChoice[] = [],
): DefaultHop | null {
  if (hops.length === 0) return null;
  const ok = (h: HopForChoice) => hopFlag(h) === null;
  const bottleneckOf = (s: SurfaceForChoice): HopForChoice | undefined =>
    s.percolation ? hops.find((h) => h.surfaceId === s.id && h.hop === s.percolation!.bottleneckHop) : undefined;
  const lowestOn = (surfaceId: string): HopForChoice | undefined =>
    hops.filter((h) => h.surfaceId === surfaceId && ok(h)).sort((a, b) => a.barrierForwardEv - b.barrierForwardEv)[0];

  const candidates: { surface: SurfaceForChoice; why: string }[] = [];
  const strongest = [...doping].sort((a, b) => Math.abs(b.deltaEv) - Math.abs(a.deltaEv))[0];
  const doped = strongest && surfaces.find((s) => s.name === strongest.dopedSurface);
  if (doped) candidates.push({ surface: doped, why: `the largest doping effect (${doped.name})` });
  const firstPercolating = surfaces.find((s) => s.percolation && s !== doped);
  if (firstPercolating)
    candidates.push({
      surface: firstPercolating,
      why: `the first surface with a percolating path (${firstPercolating.name})`,
    });
  for (const c of candidates) {
    const b = bottleneckOf(c.surface);
    if (b && ok(b)) return { hopId: b.hopId, reason: `percolating bottleneck hop of ${c.why}` };
    const l = lowestOn(c.surface.id);
    if (l)
      return { hopId: l.hopId, reason: `lowest unflagged forward barrier on ${c.why} (its bottleneck is flagged)` };
  }
  const first = hops.find(ok);
  if (first) return { hopId: first.hopId, reason: 'the first hop that is not flagged' };
  return { hopId: hops[0].hopId, reason: 'every hop is flagged' };
}
