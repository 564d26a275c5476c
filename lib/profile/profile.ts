/**
 * Minimum-energy profile of one Li hop A -> S -> B and the barriers read from it.
 *
 * Frame: s is the normalised path length along the hop, s = 0 at A, s = 1 at B, s = s_S at the saddle (from the
 * geometry, `saddleFraction`, or 0.5 when unknown). Energies are binding energies in eV on one mu_Li reference (see
 * binding.ts); barriers are differences and do not depend on that reference.
 *
 * The curve is the PCHIP through (0, E_A), (s_S, E_S), (1, E_B) (pchip.ts). It is monotone between knots, so its
 * maximum over [0, 1] is the largest knot energy: E_S whenever the saddle lies above both minima. The sampled
 * profile holds `samples` evenly spaced points plus the interior knot when it is not on that grid, so the drawn
 * polyline passes through E_S exactly, and the barriers are read from that very polyline:
 *   forward  = max(E(s)) - E(0),   backward = max(E(s)) - E(1).
 * With E_S above both ends this is E_S - E_A and E_S - E_B (asserted at run time); with a (predicted) saddle below an
 * end point, `saddleIsMaximum` is false and the barriers are those of the curve actually drawn, never a number that
 * disagrees with the plot (pymatgen #4465).
 *
 * Uncertainty band (sigma, eV), documented choice:
 * - knots carrying ensemble member predictions (`membersEv`, all of one length M): the PCHIP is evaluated for each
 *   member j through that member's knots (knots without members keep their `energyEv`), and sigma(s) is the standard
 *   deviation over the M member curves (population, ddof = 0, the deep-ensemble convention). Barrier sigmas are the
 *   standard deviations of the members' own barriers read from their own curves;
 * - knots with only a `sigmaEv`: sigma(s) is the linear interpolation of the knot sigmas between neighbouring knots
 *   (a DFT knot without sigma counts as 0). Barrier sigmas add the two knot sigmas involved in quadrature
 *   (independent errors);
 * - both present: the two parts add in quadrature, sigma(s) = sqrt(sigma_ens(s)^2 + sigma_lin(s)^2), where the
 *   linear part only interpolates the sigmas of knots that have no members;
 * - neither: no band (`sigmaEv` null).
 * The centre curve always goes through the knots' `energyEv` (for predictions: the ensemble mean the model reports).
 */
import { ProfileError } from './errors';
import { DEFAULT_PROFILE_SAMPLES, Pchip, linspace } from './pchip';

/** Where an energy came from: a DFT relaxation label, a model prediction, or an NEB image. */
export type EnergySource = 'dft' | 'predicted' | 'neb';

export const ENERGY_SOURCES: readonly EnergySource[] = ['dft', 'predicted', 'neb'];

export function isEnergySource(value: unknown): value is EnergySource {
  return typeof value === 'string' && (ENERGY_SOURCES as readonly string[]).includes(value);
}

/** One knot of a hop profile: a binding energy (eV) with its source and optional uncertainty. */
export interface Knot {
  energyEv: number;
  source: EnergySource;
  /** One standard deviation, eV. */
  sigmaEv?: number;
  /** Predictions of the individual ensemble members, eV. */
  membersEv?: readonly number[];
  /** Site id (free text), carried into exports and used to chain hops into paths. */
  site?: string;
}

/** A hop A -> S -> B. `sSaddle` in (0, 1); 0.5 when omitted. */
export interface HopInput {
  id?: string;
  from: Knot;
  saddle: Knot;
  to: Knot;
  sSaddle?: number;
}

export interface ProfileOptions {
  /** Evenly spaced samples over [0, 1], ends included (default 21). The interior knot is added when off the grid. */
  samples?: number;
}

export type SigmaMethod = 'ensemble' | 'linear' | 'ensemble+linear' | 'none';

/** Barriers read from a sampled curve. */
export interface CurveBarriers {
  /** max(E) - E(first point), eV. */
  forwardEv: number;
  /** max(E) - E(last point), eV. */
  backwardEv: number;
  maxEnergyEv: number;
  /** Index of the (first) maximum in the sampled arrays. */
  argMax: number;
}

export interface HopProfile {
  id?: string;
  /** Knots in s: [0, s_S, 1]. */
  knotS: [number, number, number];
  knotEnergyEv: [number, number, number];
  knots: [Knot, Knot, Knot];
  /** The PCHIP through the knots (evaluate it anywhere in [0, 1], never outside). */
  curve: Pchip;
  /** Sampled abscissae, increasing, 0 first and 1 last. Shape: [samples] or [samples + 1]. */
  s: number[];
  /** The curve at `s`, eV. */
  energyEv: number[];
  /** The band at `s`, eV; null when no knot carries an uncertainty. */
  sigmaEv: number[] | null;
  sigmaMethod: SigmaMethod;
  /** 'predicted' if any knot is predicted, else 'neb' if any is from NEB, else 'dft'. */
  source: EnergySource;
  barrierForwardEv: number;
  barrierBackwardEv: number;
  barrierForwardSigmaEv: number | null;
  barrierBackwardSigmaEv: number | null;
  maxEnergyEv: number;
  sAtMax: number;
  /** True when E_S >= E_A and E_S >= E_B, i.e. the barriers are E_S - E_A and E_S - E_B. */
  saddleIsMaximum: boolean;
}

/** Barriers of a sampled curve: the same numbers a plot of (s, energy) shows. */
export function barriersFromCurve(energyEv: ArrayLike<number>): CurveBarriers {
  if (energyEv.length < 1) throw new ProfileError('bad_argument', 'a curve needs at least one point');
  let argMax = 0;
  for (let i = 1; i < energyEv.length; i++) if (energyEv[i] > energyEv[argMax]) argMax = i;
  const maxEnergyEv = energyEv[argMax];
  return {
    forwardEv: maxEnergyEv - energyEv[0],
    backwardEv: maxEnergyEv - energyEv[energyEv.length - 1],
    maxEnergyEv,
    argMax,
  };
}

type Vec3 = readonly [number, number, number] | readonly number[];

/**
 * s_S from geometry: |S - A| / (|S - A| + |B - S|), Cartesian Angstrom, positions already unwrapped (B the image
 * reached by the hop, not its wrapped copy). Falls back to 0.5 when the path has zero length.
 */
export function saddleFraction(from: Vec3, saddle: Vec3, to: Vec3): number {
  const d1 = Math.hypot(saddle[0] - from[0], saddle[1] - from[1], saddle[2] - from[2]);
  const d2 = Math.hypot(to[0] - saddle[0], to[1] - saddle[1], to[2] - saddle[2]);
  const total = d1 + d2;
  if (!(total > 0) || !Number.isFinite(total)) return 0.5;
  return d1 / total;
}

/** The sample grid: `n` evenly spaced points on [0, 1] plus the interior knots not already on it (within 1e-12,
 * where the grid point is replaced by the knot), sorted. */
export function profileAbscissae(n: number, interiorKnots: readonly number[]): number[] {
  if (!Number.isInteger(n) || n < 2) throw new ProfileError('bad_argument', `a profile needs >= 2 samples, got ${n}`);
  const s = linspace(0, 1, n);
  const tol = 1e-12;
  for (const k of interiorKnots) {
    const near = s.findIndex((v) => Math.abs(v - k) <= tol);
    if (near >= 0)
      s[near] = k; // the knot itself, so the sampled curve holds the knot value exactly
    else s.push(k);
  }
  s.sort((a, b) => a - b);
  return s;
}

function checkKnot(name: string, knot: Knot): void {
  if (!Number.isFinite(knot.energyEv)) throw new ProfileError('bad_knots', `${name} energy is not finite`);
  if (knot.sigmaEv !== undefined && !(knot.sigmaEv >= 0)) {
    throw new ProfileError('bad_knots', `${name} sigma must be a non-negative number, got ${knot.sigmaEv}`);
  }
  if (knot.membersEv && !knot.membersEv.every(Number.isFinite)) {
    throw new ProfileError('bad_ensemble', `${name} has non-finite ensemble members`);
  }
}

function summarySource(knots: readonly Knot[]): EnergySource {
  if (knots.some((k) => k.source === 'predicted')) return 'predicted';
  if (knots.some((k) => k.source === 'neb')) return 'neb';
  return 'dft';
}

function std(values: ArrayLike<number>): number {
  const n = values.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i] - mean) ** 2;
  return Math.sqrt(ss / n);
}

/** Piecewise-linear interpolation of knot values at `t` (knots increasing, t inside). */
function linearAt(xs: readonly number[], ys: readonly number[], t: number): number {
  for (let k = 0; k < xs.length - 1; k++) {
    if (t <= xs[k + 1] || k === xs.length - 2) {
      const w = (t - xs[k]) / (xs[k + 1] - xs[k]);
      return ys[k] + w * (ys[k + 1] - ys[k]);
    }
  }
  return ys[ys.length - 1];
}

/** Build the profile of one hop; see the module doc for the curve, the barriers and the band. */
export function hopProfile(hop: HopInput, options: ProfileOptions = {}): HopProfile {
  const samples = options.samples ?? DEFAULT_PROFILE_SAMPLES;
  const sS = hop.sSaddle ?? 0.5;
  if (!(sS > 0 && sS < 1))
    throw new ProfileError('bad_knots', `the saddle must lie strictly inside (0, 1), got s_S=${sS}`);
  const knots: [Knot, Knot, Knot] = [hop.from, hop.saddle, hop.to];
  checkKnot('from', hop.from);
  checkKnot('saddle', hop.saddle);
  checkKnot('to', hop.to);
  const knotS: [number, number, number] = [0, sS, 1];
  const knotEnergyEv: [number, number, number] = [hop.from.energyEv, hop.saddle.energyEv, hop.to.energyEv];
  const curve = new Pchip(knotS, knotEnergyEv);
  const s = profileAbscissae(samples, [sS]);
  const energyEv = curve.evaluateMany(s);
  // Knots are sampled exactly: write the knot values themselves (the cubic reproduces them up to rounding).
  for (let k = 0; k < 3; k++) energyEv[s.indexOf(knotS[k])] = knotEnergyEv[k];

  const centre = barriersFromCurve(energyEv);
  const saddleIsMaximum = hop.saddle.energyEv >= hop.from.energyEv && hop.saddle.energyEv >= hop.to.energyEv;
  if (saddleIsMaximum) {
    const scale = Math.max(1, Math.abs(hop.saddle.energyEv));
    // Invariant of PCHIP (monotone between knots): the drawn curve peaks at the saddle knot, nowhere higher.
    if (Math.abs(centre.maxEnergyEv - hop.saddle.energyEv) > 1e-12 * scale) {
      throw new Error(`internal: profile maximum ${centre.maxEnergyEv} differs from the saddle ${hop.saddle.energyEv}`);
    }
  }

  // Ensemble part.
  const memberLengths = knots.filter((k) => k.membersEv && k.membersEv.length > 0).map((k) => k.membersEv!.length);
  const hasEnsemble = memberLengths.length > 0;
  if (hasEnsemble && memberLengths.some((m) => m !== memberLengths[0])) {
    throw new ProfileError(
      'bad_ensemble',
      `ensemble members differ in count between knots (${memberLengths.join(', ')})`,
    );
  }
  const hasLinear = knots.some(
    (k) => !(k.membersEv && k.membersEv.length > 0) && k.sigmaEv !== undefined && k.sigmaEv > 0,
  );
  const anySigma = hasEnsemble || knots.some((k) => k.sigmaEv !== undefined);

  let sigmaEv: number[] | null = null;
  let barrierForwardSigmaEv: number | null = null;
  let barrierBackwardSigmaEv: number | null = null;
  let sigmaMethod: SigmaMethod = 'none';

  if (anySigma) {
    const linKnotSigma = knots.map((k) => (k.membersEv && k.membersEv.length > 0 ? 0 : (k.sigmaEv ?? 0)));
    const varianceAt = s.map((t) => linearAt(knotS, linKnotSigma, t) ** 2);
    // Linear-part barrier variance: the two knots involved (the curve's maximum and the start / end).
    const top = centre.argMax;
    const topKnot = knotS.indexOf(s[top]);
    const kv = (k: number): number => (k < 0 ? 0 : linKnotSigma[k] ** 2);
    let fwdVar = topKnot === 0 ? 0 : kv(topKnot) + kv(0);
    let bwdVar = topKnot === 2 ? 0 : kv(topKnot) + kv(2);

    if (hasEnsemble) {
      const m = memberLengths[0];
      const memberCurves: number[][] = [];
      const fwd = new Float64Array(m);
      const bwd = new Float64Array(m);
      for (let j = 0; j < m; j++) {
        const e = knots.map((k) => (k.membersEv && k.membersEv.length > 0 ? k.membersEv[j] : k.energyEv));
        const memberCurve = new Pchip(knotS, e).evaluateMany(s);
        memberCurves.push(memberCurve);
        const b = barriersFromCurve(memberCurve);
        fwd[j] = b.forwardEv;
        bwd[j] = b.backwardEv;
      }
      const column = new Float64Array(m);
      for (let i = 0; i < s.length; i++) {
        for (let j = 0; j < m; j++) column[j] = memberCurves[j][i];
        varianceAt[i] += std(column) ** 2;
      }
      fwdVar += std(fwd) ** 2;
      bwdVar += std(bwd) ** 2;
    }
    sigmaEv = varianceAt.map(Math.sqrt);
    barrierForwardSigmaEv = Math.sqrt(fwdVar);
    barrierBackwardSigmaEv = Math.sqrt(bwdVar);
    sigmaMethod = hasEnsemble ? (hasLinear ? 'ensemble+linear' : 'ensemble') : 'linear';
  }

  return {
    id: hop.id,
    knotS,
    knotEnergyEv,
    knots,
    curve,
    s,
    energyEv,
    sigmaEv,
    sigmaMethod,
    source: summarySource(knots),
    barrierForwardEv: centre.forwardEv,
    barrierBackwardEv: centre.backwardEv,
    barrierForwardSigmaEv,
    barrierBackwardSigmaEv,
    maxEnergyEv: centre.maxEnergyEv,
    sAtMax: s[centre.argMax],
    saddleIsMaximum,
  };
}

/** One step of a path: a hop profile, traversed A -> B, or B -> A when `reversed`. */
export interface PathStep {
  profile: HopProfile;
  reversed?: boolean;
}

export interface PathBarrier {
  /**
   * Rate-limiting barrier of the path, eV: the energetic span, the largest rise max_{i <= j} (E_j - E_i) along the
   * concatenated drawn curves (a deep intermediate minimum followed by a high saddle counts in full). For a path
   * whose minima are all at one level this is the largest single-hop barrier.
   */
  barrierEv: number;
  /** Index of the step holding the top of that rise. */
  limitingStep: number;
  /** Index of the step whose start (or interior) holds the bottom of that rise. */
  fromStep: number;
  /** The largest single-hop barrier in the direction traversed, eV (the naive reading, for comparison). */
  maxHopBarrierEv: number;
}

/**
 * The rate-limiting barrier of an open path of hops traversed in order (see `PathBarrier`). Consecutive steps must
 * share a site: when both knots carry a `site` id they must match, else `ProfileError('bad_path')`.
 */
export function rateLimitingBarrier(path: readonly PathStep[]): PathBarrier {
  if (path.length === 0) throw new ProfileError('bad_path', 'a path needs at least one hop');
  let runningMin = Infinity;
  let runningMinStep = 0;
  let best = -Infinity;
  let limitingStep = 0;
  let fromStep = 0;
  let maxHopBarrierEv = -Infinity;
  for (let i = 0; i < path.length; i++) {
    const { profile, reversed } = path[i];
    const start = reversed ? profile.knots[2] : profile.knots[0];
    if (i > 0) {
      const prev = path[i - 1];
      const prevEnd = prev.reversed ? prev.profile.knots[0] : prev.profile.knots[2];
      if (prevEnd.site !== undefined && start.site !== undefined && prevEnd.site !== start.site) {
        throw new ProfileError(
          'bad_path',
          `step ${i} starts at '${start.site}' but step ${i - 1} ends at '${prevEnd.site}'`,
        );
      }
    }
    const e = reversed ? [...profile.energyEv].reverse() : profile.energyEv;
    maxHopBarrierEv = Math.max(maxHopBarrierEv, reversed ? profile.barrierBackwardEv : profile.barrierForwardEv);
    for (const v of e) {
      if (v < runningMin) {
        runningMin = v;
        runningMinStep = i;
      }
      if (v - runningMin > best) {
        best = v - runningMin;
        limitingStep = i;
        fromStep = runningMinStep;
      }
    }
  }
  return { barrierEv: best, limitingStep, fromStep, maxHopBarrierEv };
}
