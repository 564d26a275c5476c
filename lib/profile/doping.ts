/**
 * Doping effect on barriers: per (host, dopant), the barrier change relative to the pristine surface of the same
 * host (the paper: about 10 % lower on V-doped TiS2), whenever both are present.
 *
 * Input is one barrier per surface, chosen by the caller (the percolating barrier is the natural one; the lowest
 * forward barrier of the surface also works). When several surfaces share a (host, dopant) pair (e.g. two supercell
 * sizes) the lowest barrier of the group is used, since the easiest path governs diffusion; `count` says how many
 * were pooled. Host names compare exactly (case-sensitive: 'MoS2' and 'mos2' are different hosts).
 *
 *   deltaEv = E_doped - E_pristine;   deltaPercent = 100 * deltaEv / E_pristine   (null when E_pristine = 0)
 */
import { ProfileError } from './errors';

export interface SurfaceBarrier {
  surface: string;
  host: string;
  /** Dopant element, or null / '' for the pristine host. */
  dopant: string | null;
  barrierEv: number;
}

export interface DopingEffect {
  host: string;
  dopant: string;
  pristineBarrierEv: number;
  dopedBarrierEv: number;
  deltaEv: number;
  deltaPercent: number | null;
  pristineSurface: string;
  dopedSurface: string;
  pristineCount: number;
  dopedCount: number;
}

interface Group {
  best: SurfaceBarrier;
  count: number;
}

/** Doping effects for every (host, dopant) that has a pristine counterpart; sorted by host, then dopant. */
export function dopingEffects(barriers: readonly SurfaceBarrier[]): DopingEffect[] {
  const pristine = new Map<string, Group>();
  const doped = new Map<string, Map<string, Group>>();
  const keep = (g: Group | undefined, b: SurfaceBarrier): Group =>
    g ? { best: b.barrierEv < g.best.barrierEv ? b : g.best, count: g.count + 1 } : { best: b, count: 1 };
  for (const b of barriers) {
    if (!Number.isFinite(b.barrierEv))
      throw new ProfileError('bad_argument', `surface '${b.surface}' has no finite barrier`);
    if (!b.dopant) {
      pristine.set(b.host, keep(pristine.get(b.host), b));
    } else {
      const byDopant = doped.get(b.host) ?? new Map<string, Group>();
      byDopant.set(b.dopant, keep(byDopant.get(b.dopant), b));
      doped.set(b.host, byDopant);
    }
  }
  const out: DopingEffect[] = [];
  for (const [host, byDopant] of doped) {
    const p = pristine.get(host);
    if (!p) continue;
    for (const [dopant, d] of byDopant) {
      const deltaEv = d.best.barrierEv - p.best.barrierEv;
      out.push({
        host,
        dopant,
        pristineBarrierEv: p.best.barrierEv,
        dopedBarrierEv: d.best.barrierEv,
        deltaEv,
        deltaPercent: p.best.barrierEv === 0 ? null : (100 * deltaEv) / p.best.barrierEv,
        pristineSurface: p.best.surface,
        dopedSurface: d.best.surface,
        pristineCount: p.count,
        dopedCount: d.count,
      });
    }
  }
  out.sort((a, b) => (a.host === b.host ? a.dopant.localeCompare(b.dopant) : a.host.localeCompare(b.host)));
  return out;
}
