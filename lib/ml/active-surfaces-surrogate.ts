/**
 * The error model behind the cross-surface acquisition (./active-surfaces.ts): the directed barriers of the target
 * surfaces as functions of their three knots, and a Gaussian surrogate of the knots' errors whose variance
 * components come from the fitted model's own sigma.
 *
 * Knots are symmetry groups (a sample's `siteGroup`): equivalent sites share one energy. For a surface s, with every
 * label-free group g having error e_g = E_true(g) - E_predicted(g) (labelled groups: e_g = 0):
 *
 *   minimum i:  e_i = u_s + v_i          u_s: the surface offset's error, shared by all its minima
 *   saddle S:   e_S = (e_A + e_B)/2 + d_S  (A, B: the hop's end groups, as the site-relative model predicts saddles)
 *
 * with u_s, v_i, d_S independent, zero-mean. For the site-relative model (./site-relative-model.ts) the variances are
 * read off its own predictions: Var(v_i) = tau_i^2, the sigma of its within-surface ridge at the site (bootstrap
 * spread + LOO residual; the within-surface residual std when it has no features); Var(u_s) = mean over the
 * surface's label-free minima of sigma_i^2 - tau_i^2 (its minimum sigma is hypot(offset sigma, tau_i)); and
 * Var(d_S) = sigma_S^2 - ((sigma_A + sigma_B)/2)^2 (its saddle sigma is hypot(mean end sigma, excess sigma)). Any other
 * model: independent knots, Var(e_g) = sigma_g^2 (no shared offset), and a note says so.
 *
 * A directed barrier A -> S -> B of a profile (PCHIP through three knots, monotone, no overshoot) is
 * max(E_A, E_S, E_B) - E_A; the acquisition evaluates it on draws of the knots' errors (`drawErrors`), not on a
 * linearisation, since a knot label can change which knot is the highest.
 */
import { assembleSurfaceProfiles, type PipelineSurface } from '../pipeline';
import { gaussian } from './rng';
import type { EvalSurface } from './new-surface-score';
import { minimaSiteTerms, type SiteRelativeParams } from './site-relative-model';
import type { Prediction, Sample } from './types';

/** A linear form over latent variables: latent name -> coefficient. */
export type LinearForm = Map<string, number>;

/** One symmetry-distinct directed barrier of a target surface: its three knots' symmetry groups. */
export interface KnotBarrier {
  surface: string;
  /** `${from group}>${saddle group}>${to group}`. */
  key: string;
  /** Site ids (PipelineSite.id) of from, saddle, to. */
  siteIds: [string, string, string];
  /** Symmetry groups (sample `siteGroup`) of from, saddle, to. */
  groups: [string, string, string];
  /** The pipeline's predicted barrier (eV). */
  predictedEv: number;
}

export interface ErrorSurrogate {
  /** The error of each label-free group as a linear form over independent latents. */
  groupError: Map<string, LinearForm>;
  /** Variance of each latent (eV^2). */
  latentVar: Map<string, number>;
  notes: string[];
}

const add = (out: LinearForm, f: LinearForm, c: number): void => {
  for (const [k, v] of f) out.set(k, (out.get(k) ?? 0) + c * v);
};

/** The directed barrier of a three-knot PCHIP profile (monotone, no overshoot): max(E_from, E_S, E_to) - E_from. */
export function knotBarrier(from: number, saddle: number, to: number): number {
  return Math.max(from, saddle, to) - from;
}

/** Draws of the label-free groups' errors: `draws[d].get(group)` (eV); groups absent from the map have error 0. */
export function drawErrors(s: ErrorSurrogate, count: number, rand: () => number): Map<string, number>[] {
  const latents = [...s.latentVar];
  const out: Map<string, number>[] = [];
  for (let d = 0; d < count; d++) {
    const z = new Map(latents.map(([k, v]) => [k, Math.sqrt(v) * gaussian(rand)]));
    const e = new Map<string, number>();
    for (const [g, form] of s.groupError) {
      let v = 0;
      for (const [k, c] of form) v += c * (z.get(k) ?? 0);
      e.set(g, v);
    }
    out.push(e);
  }
  return out;
}

/**
 * The directed barriers of one target surface from the model's predictions of all its sites (no label of the
 * surface is read: every site is predicted, and the model returns its training labels for labelled groups).
 * `samples`: the surface's samples (ids `${surface.id}/${site.id}`).
 */
export function targetSurfaceBarriers(surface: EvalSurface, samples: readonly Sample[], predictions: ReadonlyMap<string, Prediction>): KnotBarrier[] {
  const prefix = `${surface.id}/`;
  const groupOf = new Map(samples.map((s) => [s.id, s.siteGroup ?? s.id]));
  const predicted: PipelineSurface = {
    ...surface.pipeline,
    sites: surface.pipeline.sites.map((site) => {
      const p = predictions.get(prefix + site.id);
      return { ...site, label: null, prediction: p ? { valueEv: p.meanEv, sigmaEv: p.sigmaEv ?? null } : null };
    }),
    nebRuns: [],
  };
  const out: KnotBarrier[] = [];
  const seen = new Set<string>();
  for (const hop of assembleSurfaceProfiles(predicted).surface.hops) {
    const ids = hop.knots.map((k) => k.siteId) as [string, string, string];
    const groups = ids.map((id) => groupOf.get(prefix + id) ?? prefix + id);
    for (const [from, to, value] of [
      [0, 2, hop.barrierForwardEv],
      [2, 0, hop.barrierBackwardEv],
    ] as const) {
      const key = `${groups[from]}>${groups[1]}>${groups[to]}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ surface: surface.id, key, siteIds: [ids[from], ids[1], ids[to]], groups: [groups[from], groups[1], groups[to]], predictedEv: value });
    }
  }
  return out;
}

/**
 * The surrogate of the label-free groups' errors on the target surfaces. `predictions`: the model's, by sample id;
 * `params`: the site-relative model's fitted parameters (null for any other model).
 */
export function errorSurrogate(
  targetSamples: readonly Sample[],
  predictions: ReadonlyMap<string, Prediction>,
  labelledGroups: ReadonlySet<string>,
  params: SiteRelativeParams | null,
): ErrorSurrogate {
  const groupError = new Map<string, LinearForm>();
  const latentVar = new Map<string, number>();
  const notes: string[] = [];
  const reps = new Map<string, Sample>();
  for (const s of targetSamples) {
    const g = s.siteGroup ?? s.id;
    if (!reps.has(g) && !labelledGroups.has(g)) reps.set(g, s);
  }
  const sigmaOf = (s: Sample): number => predictions.get(s.id)?.sigmaEv ?? 0;
  if (!params) {
    notes.push('the model is not site-relative: knot errors taken as independent (no shared surface offset)');
    for (const [g, s] of reps) {
      groupError.set(g, new Map([[`e:${g}`, 1]]));
      latentVar.set(`e:${g}`, sigmaOf(s) ** 2);
    }
    return { groupError, latentVar, notes };
  }
  const minima = [...reps.values()].filter((s) => !s.isSaddle);
  // tau_i: the within-surface ridge sigma of each minimum (its site term's, not its surface offset's).
  const tau = Array.from(minimaSiteTerms(params, minima).sigma);
  const offsetVar = new Map<string, number[]>();
  minima.forEach((s, i) => {
    const g = s.siteGroup ?? s.id;
    groupError.set(g, new Map([[`u:${s.surfaceId}`, 1], [`v:${g}`, 1]]));
    latentVar.set(`v:${g}`, tau[i] ** 2);
    offsetVar.set(s.surfaceId, [...(offsetVar.get(s.surfaceId) ?? []), Math.max(sigmaOf(s) ** 2 - tau[i] ** 2, 0)]);
  });
  for (const [surface, v] of offsetVar) latentVar.set(`u:${surface}`, v.reduce((a, b) => a + b, 0) / v.length);
  const sigmaOfGroup = (g: string): number => {
    if (labelledGroups.has(g)) return 0;
    const r = reps.get(g);
    return r ? sigmaOf(r) : 0;
  };
  for (const s of reps.values()) {
    if (!s.isSaddle) continue;
    const g = s.siteGroup ?? s.id;
    const form: LinearForm = new Map([[`d:${g}`, 1]]);
    let endSigma = 0;
    if (s.hopEnds) {
      for (const end of s.hopEnds) {
        const f = groupError.get(end);
        if (f) add(form, f, 0.5);
      }
      endSigma = (sigmaOfGroup(s.hopEnds[0]) + sigmaOfGroup(s.hopEnds[1])) / 2;
    } else form.set(`u:${s.surfaceId}`, 1);
    groupError.set(g, form);
    latentVar.set(`d:${g}`, Math.max(sigmaOf(s) ** 2 - endSigma ** 2, 0));
  }
  return { groupError, latentVar, notes };
}
