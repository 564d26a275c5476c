/**
 * Computed Li positions (labels.csv rows, sites/<name>/ runs) matched to the app's sites, with their binding energy
 * on the dataset's mu_Li record. The server's extraction and the command line's folder mode both call this, so a
 * label lands on the same site with the same E_b through every door.
 *
 * Matching: nearest site in the surface plane, periodic in a and b (lib/surface/match-labels.ts), within
 * `toleranceA` (default 0.3 A, DESIGN.md section 3). The user's name of the label is kept beside the app's site.
 * Kinds: a label of kind 'other' fits any site; 'H' and 'H_X' are both hollows (codes and people name the 1T hollow
 * either way); otherwise a label whose kind differs from its site's is reported by name (and still attached: the
 * position decides, the report says so).
 *
 * E_b = E_total - E_slab - mu_Li whenever the three are known (so the one mu_Li record applies); a label that gives
 * only E_b_eV keeps it. When a file gives both and they disagree by more than 1 meV, the recomputed value is used and
 * the difference reported.
 */
import type { Mat3, Vec3 } from '../math/mat3';
import { matchLabelsToSites } from '../surface/match-labels';

export const LABEL_MATCH_TOLERANCE_A = 0.3;

export interface LabelInput {
  /** The user's own name of the computed site. */
  site: string;
  kind: string;
  /** Cartesian Angstrom of the Li atom as computed (relaxed). */
  position: Vec3;
  eTotalEv?: number;
  eBindingEv?: number;
  file: string;
  line?: number;
}

export interface MatchedLabel<L extends LabelInput = LabelInput> {
  label: L;
  /** Index into the sites. */
  site: number;
  distanceA: number;
  /** Binding energy on the record's mu_Li (eV), null when neither E_b nor E_total - E_slab - mu_Li is known. */
  eBindingEv: number | null;
}

export interface LabelProblem {
  site: string;
  file: string;
  line?: number;
  message: string;
}

export interface LabelMatching<L extends LabelInput = LabelInput> {
  matched: MatchedLabel<L>[];
  /** Labels with no site within the tolerance (with the nearest site's distance). */
  unmatched: { label: L; nearestSiteDistanceA: number }[];
  /** Kind disagreements, two labels on one site, E_b inconsistent with E_total: reported by name. */
  problems: LabelProblem[];
}

/** Whether a label's kind fits its site's (see the module doc): the one rule, for upload checks and matching. */
export function labelFitsSite(label: string, site: string): boolean {
  if (label === 'other' || label === site) return true;
  const hollow = (k: string): boolean => k === 'H' || k === 'H_X';
  return hollow(label) && hollow(site);
}

/** E_b of one label (see the module doc), with the inconsistency in eV when E_b_eV and the recomputed value differ. */
export function labelBindingEnergy(
  label: Pick<LabelInput, 'eTotalEv' | 'eBindingEv'>,
  eSlabEv: number | null | undefined,
  muLiEv: number | null | undefined,
): { eBindingEv: number | null; mismatchEv: number | null } {
  const recomputed =
    label.eTotalEv !== undefined && eSlabEv !== null && eSlabEv !== undefined && muLiEv !== null && muLiEv !== undefined
      ? label.eTotalEv - eSlabEv - muLiEv
      : null;
  if (recomputed === null) return { eBindingEv: label.eBindingEv ?? null, mismatchEv: null };
  const mismatch =
    label.eBindingEv !== undefined && Math.abs(label.eBindingEv - recomputed) > 1e-3
      ? label.eBindingEv - recomputed
      : null;
  return { eBindingEv: recomputed, mismatchEv: mismatch };
}

const where = (l: LabelInput): string => `${l.file}${l.line !== undefined ? `:${l.line}` : ''}`;

export function matchSurfaceLabels<L extends LabelInput>(
  labels: readonly L[],
  sites: readonly { name: string; kind: string; position: Vec3 }[],
  lattice: Mat3,
  opts: { eSlabEv?: number | null; muLiEv?: number | null; toleranceA?: number } = {},
): LabelMatching<L> {
  const tolerance = opts.toleranceA ?? LABEL_MATCH_TOLERANCE_A;
  const matches = matchLabelsToSites(
    labels,
    sites.map((s) => s.position),
    lattice,
    tolerance,
  );
  const out: LabelMatching<L> = { matched: [], unmatched: [], problems: [] };
  const taken = new Map<number, L>();
  for (const m of matches) {
    const label = labels[m.label];
    if (m.site < 0) {
      out.unmatched.push({ label, nearestSiteDistanceA: m.distanceA });
      continue;
    }
    const site = sites[m.site];
    const problem = (message: string): void => {
      out.problems.push({ site: label.site, file: label.file, line: label.line, message });
    };
    if (!labelFitsSite(label.kind, site.kind)) {
      problem(
        `${where(label)}: label '${label.site}' is a ${label.kind} but lies ${m.distanceA.toFixed(2)} A from the ` +
          `app's ${site.kind} site ${site.name}`,
      );
    }
    const earlier = taken.get(m.site);
    if (earlier) {
      problem(
        `${where(label)}: label '${label.site}' falls on site ${site.name}, already labelled by '${earlier.site}' ` +
          `(${where(earlier)}); the later row is used`,
      );
    }
    taken.set(m.site, label);
    const e = labelBindingEnergy(label, opts.eSlabEv, opts.muLiEv);
    if (e.mismatchEv !== null) {
      problem(
        `${where(label)}: label '${label.site}' gives E_b_eV ${label.eBindingEv} but E_total - E_slab - mu_Li = ` +
          `${e.eBindingEv!.toFixed(5)} eV on the dataset's mu_Li; the latter is used`,
      );
    }
    out.matched.push({ label, site: m.site, distanceA: m.distanceA, eBindingEv: e.eBindingEv });
  }
  // Two labels on one site: the later row wins (as a later upload would).
  const last = new Map<number, number>();
  out.matched.forEach((m, i) => last.set(m.site, i));
  out.matched = out.matched.filter((m, i) => last.get(m.site) === i);
  return out;
}
