/**
 * The site-relative model (`{ type: 'site-relative', groups }`): built for surfaces nobody has computed.
 *
 *   E_b(minimum i on surface s) = a_s + w . x_i                    (x_i: the site's features of the chosen groups)
 *   E_b(saddle S of hop A -> S -> B) = (E_b(A) + E_b(B)) / 2 + Delta(x_S)
 *
 * w is a ridge regression (lambda chosen by leaving one surface out, bootstrap heads for sigma,
 * ./ridge-ensemble.ts `fitRidgeEnsemble`) on the training minima with features and targets centred within each surface (a fixed-effects fit: a surface with some
 * minima unlabelled teaches the same differences). a_s, the surface offset, is the mean of E_b - w . x over the
 * surface's labelled minima when it has any (training surfaces, or a new surface's few DFT labels); on a surface
 * without labels, a line of a_s against the host's acceptor level over the training surfaces (group 'host', at least
 * 3 surfaces with levels; from 5 on, holding two dopant electron counts on >= 2 surfaces each, plus the electrons the
 * dopants add to the cell: ./level-line.ts), else the mean offset of the training surfaces. Delta is a second ridge on the training
 * saddles whose two end minima are labelled (target: the saddle's excess over the mean of its ends), on the features
 * that vary between saddles of one surface, plus the kind columns. An end minimum is its training label when it has
 * one, else the model's own prediction for a sample of that symmetry group among those predicted together (predict a
 * whole surface at once), else the surface offset.
 *
 * With no groups this is the constant-excess baseline: every unlabelled minimum of a surface at one level, every
 * saddle at the mean training excess above its ends. Features a surface lacks (e.g. host levels missing from
 * meta.json) take the training mean, and `notes` say so.
 */
import { MlError } from './errors';
import { matrix, type Matrix } from './linalg';
import { fitLevelLine, MIN_LEVEL_SURFACES, predictLevelLine, type LevelLine, type LevelPoint } from './level-line';
import { predictiveSigma } from './metrics';
import { fitRidgeEnsemble, predictRidgeEnsemble, type RidgeEnsemble } from './ridge-ensemble';
import { DOPANT_ELECTRONS_FEATURE, epdiShapeFeatures, featureGroupOf, type FeatureGroup } from './site-features';
import type { LabelledSample, Prediction, Sample } from './types';

export const LEVEL_FEATURE = 'host:acceptor_level_eV';
const MIN_RIDGE_ROWS = 3;

export interface SiteRelativeParams {
  groups: FeatureGroup[];
  minimaCols: string[];
  minimaFill: number[];
  saddleCols: string[];
  saddleFill: number[];
  minima: RidgeEnsemble | null;
  delta: RidgeEnsemble | null;
  deltaMean: number;
  deltaSigma: number;
  /** Per training surface: its offset a_s (eV) and how many labelled minima gave it. */
  offsets: Record<string, { offsetEv: number; n: number }>;
  /** Within-surface residual std of minima about a_s + w . x (eV). */
  minimaResidualStd: number;
  level: LevelLine | null;
  overall: { meanEv: number; sigmaEv: number };
  /** Training labels by symmetry group. */
  labels: Record<string, number>;
  notes: string[];
}

/** The features of a sample restricted to `groups` (the epdi group computed from its image). */
export function groupFeatures(s: Sample, groups: readonly FeatureGroup[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(s.siteFeatures ?? {}))
    if ((groups as readonly string[]).includes(featureGroupOf(k))) out[k] = v;
  if (groups.includes('epdi')) Object.assign(out, epdiShapeFeatures(s));
  return out;
}

function columns(rows: readonly Record<string, number>[]): { cols: string[]; fill: number[] } {
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))].sort();
  const fill = cols.map((c) => {
    const v = rows.map((r) => r[c]).filter((x): x is number => Number.isFinite(x));
    return v.length ? v.reduce((a, b) => a + b, 0) / v.length : 0;
  });
  return { cols, fill };
}

function toMatrix(rows: readonly Record<string, number>[], cols: readonly string[], fill: readonly number[]): Matrix {
  const m = matrix(rows.length, cols.length);
  rows.forEach((r, i) =>
    cols.forEach((c, j) => {
      m.data[i * cols.length + j] = Number.isFinite(r[c]) ? r[c] : fill[j];
    }),
  );
  return m;
}

const mean = (v: readonly number[]): number => v.reduce((a, b) => a + b, 0) / Math.max(v.length, 1);
const sampleStd = (v: readonly number[], m = mean(v)): number =>
  v.length > 1 ? Math.sqrt(v.reduce((a, x) => a + (x - m) ** 2, 0) / (v.length - 1)) : 0;

function bySurface<T extends Sample>(samples: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const s of samples) out.set(s.surfaceId, [...(out.get(s.surfaceId) ?? []), s]);
  return out;
}

const canonicalOrder = (a: Sample, b: Sample): number =>
  a.surfaceId.localeCompare(b.surfaceId) ||
  (a.siteGroup ?? '').localeCompare(b.siteGroup ?? '') ||
  a.kind.localeCompare(b.kind) ||
  a.mepEv - b.mepEv ||
  a.id.localeCompare(b.id);

export function fitSiteRelative(
  groups: readonly FeatureGroup[],
  train: readonly LabelledSample[],
  seed: number,
  ensemble = 8,
): SiteRelativeParams {
  const notes: string[] = [];
  // A canonical row order (the bootstrap heads draw rows by position): a dataset read from folders and the same one
  // read from the database list sites in different orders and must give the same sigmas.
  train = [...train].sort(canonicalOrder);
  const minima = train.filter((s) => !s.isSaddle);
  if (minima.length === 0) throw new MlError('not_enough_data', 'site-relative model needs labelled minima');
  const labels: Record<string, number> = {};
  for (const s of train) if (s.siteGroup !== undefined) labels[s.siteGroup] = s.eBindingEv;

  // Minima: fixed-effects ridge on within-surface centred features.
  const feats = new Map(minima.map((s) => [s.id, groupFeatures(s, groups)]));
  let { cols, fill } = columns([...feats.values()]);
  const centredRows: Record<string, number>[] = [];
  const centredY: number[] = [];
  const centredSurface: string[] = [];
  for (const list of bySurface(minima).values()) {
    if (list.length < 2) continue;
    const m = toMatrix(list.map((s) => feats.get(s.id)!), cols, fill);
    const yMean = mean(list.map((s) => s.eBindingEv));
    const colMean = cols.map((_, j) => mean(list.map((_, i) => m.data[i * cols.length + j])));
    list.forEach((s, i) => {
      centredY.push(s.eBindingEv - yMean);
      centredSurface.push(s.surfaceId);
      centredRows.push(Object.fromEntries(cols.map((c, j) => [c, m.data[i * cols.length + j] - colMean[j]])));
    });
  }
  // Drop columns that never vary within a surface (surface-level features: they cannot teach site differences).
  const keep = cols.map((c) => centredRows.some((r) => Math.abs(r[c]) > 1e-9));
  fill = fill.filter((_, j) => keep[j]);
  cols = cols.filter((_, j) => keep[j]);
  const minimaModel =
    cols.length && centredRows.length >= MIN_RIDGE_ROWS
      ? fitRidgeEnsemble(toMatrix(centredRows, cols, fill), Float64Array.from(centredY), ensemble, seed, centredSurface)
      : null;
  const wx = (rows: readonly Record<string, number>[]): { mean: Float64Array; sigma: Float64Array } =>
    minimaModel
      ? predictRidgeEnsemble(minimaModel, toMatrix(rows, cols, fill))
      : { mean: new Float64Array(rows.length), sigma: new Float64Array(rows.length).fill(NaN) };

  const offsets: SiteRelativeParams['offsets'] = {};
  const residuals: number[] = [];
  for (const [surface, list] of bySurface(minima)) {
    const r = wx(list.map((s) => feats.get(s.id)!)).mean;
    const offs = list.map((s, i) => s.eBindingEv - r[i]);
    const a = mean(offs);
    offsets[surface] = { offsetEv: a, n: list.length };
    if (list.length > 1) residuals.push(...offs.map((o) => o - a));
  }
  const minimaResidualStd = residuals.length > 1 ? Math.sqrt(residuals.reduce((a, v) => a + v * v, 0) / residuals.length) : 0;
  const offsetValues = Object.values(offsets).map((o) => o.offsetEv);
  const overall = {
    meanEv: mean(offsetValues),
    sigmaEv: predictiveSigma(sampleStd(offsetValues), offsetValues.length) || sampleStd(offsetValues),
  };

  // Level line of the offsets against the acceptor level (and the dopants' electron count), ./level-line.ts.
  let level: SiteRelativeParams['level'] = null;
  if (groups.includes('host')) {
    const points = new Map<string, LevelPoint>();
    const missing = new Set<string>();
    for (const s of minima) {
      const v = s.siteFeatures?.[LEVEL_FEATURE];
      if (v !== undefined && Number.isFinite(v))
        points.set(s.surfaceId, { level: v, electrons: s.siteFeatures?.[DOPANT_ELECTRONS_FEATURE], offset: offsets[s.surfaceId].offsetEv });
      else missing.add(s.surfaceId);
    }
    for (const m of missing) if (!points.has(m)) notes.push(`${m}: no host levels (meta.json); not in the level line`);
    level = fitLevelLine([...points.values()]);
    if (points.size < MIN_LEVEL_SURFACES) notes.push(`host levels on ${points.size} training surfaces (< ${MIN_LEVEL_SURFACES}): no level line`);
  }

  // Saddle excess over the mean of the two labelled end minima.
  const saddles = train.filter(
    (s) => s.isSaddle && s.hopEnds && labels[s.hopEnds[0]] !== undefined && labels[s.hopEnds[1]] !== undefined,
  );
  const deltas = saddles.map((s) => s.eBindingEv - (labels[s.hopEnds![0]] + labels[s.hopEnds![1]]) / 2);
  const saddleRows = saddles.map((s) => groupFeatures(s, groups));
  const sc = columns(saddleRows);
  const varying = sc.cols.map((c) => {
    const v = saddleRows.map((r) => r[c] ?? NaN).filter(Number.isFinite);
    return v.length > 1 && sampleStd(v) > 1e-9;
  });
  // A column that never varies within a training surface (host levels, the dopant's valence, the mean X-X distance)
  // describes surfaces, not saddles: with ~10 training surfaces it only tells them apart, and on a new surface it
  // extrapolates (ZrS2-V, the one donor, got excesses 60-120 meV too high when WS2-Nb's first saddles joined). The
  // kind columns stay: the phase (which hollows a bridge joins) sets the typical excess.
  const saddlesBySurface = new Map<string, number[]>();
  saddles.forEach((s, i) => saddlesBySurface.set(s.surfaceId, [...(saddlesBySurface.get(s.surfaceId) ?? []), i]));
  sc.cols.forEach((c, j) => {
    if (featureGroupOf(c) === 'kind') return;
    const withinSurface = [...saddlesBySurface.values()].some((idx) => {
      const v = idx.map((i) => saddleRows[i][c] ?? NaN).filter(Number.isFinite);
      return v.length > 1 && sampleStd(v) > 1e-9;
    });
    if (!withinSurface) varying[j] = false;
  });
  const saddleCols = sc.cols.filter((_, j) => varying[j]);
  const saddleFill = sc.fill.filter((_, j) => varying[j]);
  const delta =
    saddleCols.length && saddles.length >= MIN_RIDGE_ROWS
      ? fitRidgeEnsemble(
          toMatrix(saddleRows, saddleCols, saddleFill),
          Float64Array.from(deltas),
          ensemble,
          seed + 1,
          saddles.map((s) => s.surfaceId),
        )
      : null;
  const deltaMean = deltas.length ? mean(deltas) : 0;
  if (!deltas.length) notes.push('no training saddle with both end minima labelled: saddle excess 0');
  return {
    groups: [...groups],
    minimaCols: cols,
    minimaFill: fill,
    saddleCols,
    saddleFill,
    minima: minimaModel,
    delta,
    deltaMean,
    deltaSigma: predictiveSigma(sampleStd(deltas, deltaMean), deltas.length) || sampleStd(deltas, deltaMean),
    offsets,
    minimaResidualStd,
    level,
    overall,
    labels,
    notes,
  };
}

/** The offset a_s of a sample's surface and its sigma (eV), with where it came from. */
function offsetOf(p: SiteRelativeParams, s: Sample): { offsetEv: number; sigmaEv: number } {
  const own = p.offsets[s.surfaceId];
  if (own) return { offsetEv: own.offsetEv, sigmaEv: p.minimaResidualStd / Math.sqrt(own.n) };
  const x = s.siteFeatures?.[LEVEL_FEATURE];
  if (p.level && x !== undefined && Number.isFinite(x)) return predictLevelLine(p.level, x, s.siteFeatures?.[DOPANT_ELECTRONS_FEATURE]);
  return { offsetEv: p.overall.meanEv, sigmaEv: p.overall.sigmaEv };
}

/**
 * The site terms w . x of minima and their sigma (eV): the part of a minimum's prediction that is not its surface's
 * offset. Without site features: 0, with the within-surface residual std as sigma.
 */
export function minimaSiteTerms(p: SiteRelativeParams, minima: readonly Sample[]): { mean: Float64Array; sigma: Float64Array } {
  const rows = minima.map((s) => groupFeatures(s, p.groups));
  return p.minima
    ? predictRidgeEnsemble(p.minima, toMatrix(rows, p.minimaCols, p.minimaFill))
    : { mean: new Float64Array(minima.length), sigma: new Float64Array(minima.length).fill(p.minimaResidualStd) };
}

export function predictSiteRelative(p: SiteRelativeParams, samples: readonly Sample[]): Prediction[] {
  const out = new Map<string, Prediction>();
  const minima = samples.filter((s) => !s.isSaddle);
  const r = minimaSiteTerms(p, minima);
  const byGroup = new Map<string, Prediction>();
  minima.forEach((s, i) => {
    const known = s.siteGroup !== undefined ? p.labels[s.siteGroup] : undefined;
    let pred: Prediction;
    if (known !== undefined) pred = { id: s.id, meanEv: known, sigmaEv: 0 };
    else {
      const o = offsetOf(p, s);
      pred = { id: s.id, meanEv: o.offsetEv + r.mean[i], sigmaEv: Math.hypot(o.sigmaEv, r.sigma[i]) };
    }
    out.set(s.id, pred);
    if (s.siteGroup !== undefined && !byGroup.has(s.siteGroup)) byGroup.set(s.siteGroup, pred);
  });
  const saddles = samples.filter((s) => s.isSaddle);
  const d = p.delta
    ? predictRidgeEnsemble(p.delta, toMatrix(saddles.map((s) => groupFeatures(s, p.groups)), p.saddleCols, p.saddleFill))
    : { mean: new Float64Array(saddles.length).fill(p.deltaMean), sigma: new Float64Array(saddles.length).fill(p.deltaSigma) };
  saddles.forEach((s, i) => {
    const known = s.siteGroup !== undefined ? p.labels[s.siteGroup] : undefined;
    if (known !== undefined) {
      out.set(s.id, { id: s.id, meanEv: known, sigmaEv: 0 });
      return;
    }
    const o = offsetOf(p, s);
    const ends = (s.hopEnds ?? []).map((g): { meanEv: number; sigmaEv: number } => {
      if (p.labels[g] !== undefined) return { meanEv: p.labels[g], sigmaEv: 0 };
      const q = byGroup.get(g);
      return q ? { meanEv: q.meanEv, sigmaEv: q.sigmaEv ?? 0 } : { meanEv: o.offsetEv, sigmaEv: o.sigmaEv };
    });
    const endMean = ends.length === 2 ? (ends[0].meanEv + ends[1].meanEv) / 2 : o.offsetEv;
    const endSigma = ends.length === 2 ? (ends[0].sigmaEv + ends[1].sigmaEv) / 2 : o.sigmaEv;
    out.set(s.id, { id: s.id, meanEv: endMean + d.mean[i], sigmaEv: Math.hypot(endSigma, d.sigma[i]) });
  });
  return samples.map((s) => out.get(s.id)!);
}
