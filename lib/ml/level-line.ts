/**
 * The level line of the site-relative model (./site-relative-model.ts): a surface's offset (the level of its average
 * minimum) against the host's acceptor level, over the training surfaces; with enough surfaces, plus the electrons the
 * dopants add to the cell (./site-features.ts `DOPANT_ELECTRONS_FEATURE`).
 *
 * Why the second term: the acceptor level says where Li's electron goes, not what is already there. Filling the hole
 * of an acceptor (V or Nb in MoS2, WS2, MoSe2: -1 electron) binds Li more strongly than the level alone says, and
 * pairing with the electron a donor already put in a localised d state (V in ZrS2: +1) binds it less. Ordinary least
 * squares; the predictive sigma is the textbook one (residual std, leverage of the new point, Student-t widening).
 * The term needs at least 5 surfaces and two electron counts held by at least 2 surfaces each.
 */
import { cholesky, choleskySolve, matrix } from './linalg';
import { studentTWidening } from './metrics';

/** Fewest training surfaces with levels for a line; for the electron term as well. */
export const MIN_LEVEL_SURFACES = 3;
export const MIN_ELECTRON_SURFACES = 5;

export interface LevelLine {
  intercept: number;
  slope: number;
  residualStd: number;
  n: number;
  xMean: number;
  sxx: number;
  /** With the electron term: its coefficient (eV per electron), (X'X)^-1 of the columns [1, level, electrons]
   * (row-major) and the training mean of the electrons (filled in for a surface without the count). */
  electronSlope?: number;
  xtxInverse?: number[];
  electronMean?: number;
}

export interface LevelPoint {
  level: number;
  /** Electrons the dopants add to the cell; undefined when unknown. */
  electrons?: number;
  offset: number;
}

const mean = (v: readonly number[]): number => v.reduce((a, b) => a + b, 0) / Math.max(v.length, 1);

/** The line through `points` (null with fewer than MIN_LEVEL_SURFACES or all at one level). */
export function fitLevelLine(points: readonly LevelPoint[]): LevelLine | null {
  const n = points.length;
  if (n < MIN_LEVEL_SURFACES) return null;
  const xMean = mean(points.map((p) => p.level));
  const yMean = mean(points.map((p) => p.offset));
  const sxx = points.reduce((a, p) => a + (p.level - xMean) ** 2, 0);
  if (!(sxx > 1e-12)) return null;
  const withElectrons = electronFit(points);
  if (withElectrons) return { ...withElectrons, xMean, sxx };
  const slope = points.reduce((a, p) => a + (p.level - xMean) * (p.offset - yMean), 0) / sxx;
  const intercept = yMean - slope * xMean;
  const rss = points.reduce((a, p) => a + (p.offset - intercept - slope * p.level) ** 2, 0);
  return { intercept, slope, residualStd: Math.sqrt(rss / Math.max(n - 2, 1)), n, xMean, sxx };
}

function electronFit(points: readonly LevelPoint[]): Omit<LevelLine, 'xMean' | 'sxx'> | null {
  const n = points.length;
  if (n < MIN_ELECTRON_SURFACES || points.some((p) => p.electrons === undefined || !Number.isFinite(p.electrons)))
    return null;
  // Two counts, each on at least 2 surfaces: one surface alone at a count would set the term by itself (its residual
  // from the plain line, whatever caused it), e.g. training on pristine hosts and a single donor.
  const surfacesAt = new Map<number, number>();
  for (const p of points) surfacesAt.set(p.electrons!, (surfacesAt.get(p.electrons!) ?? 0) + 1);
  if ([...surfacesAt.values()].filter((k) => k >= 2).length < 2) return null;
  const rows = points.map((p) => [1, p.level, p.electrons!]);
  const xtx = matrix(3, 3);
  const xty = new Float64Array(3);
  rows.forEach((r, i) => {
    for (let a = 0; a < 3; a++) {
      xty[a] += r[a] * points[i].offset;
      for (let b = 0; b < 3; b++) xtx.data[a * 3 + b] += r[a] * r[b];
    }
  });
  let l: Float64Array;
  try {
    l = cholesky(xtx);
  } catch {
    return null; // electrons collinear with the level: the plain line
  }
  const [intercept, slope, electronSlope] = choleskySolve(l, 3, xty);
  const inverse = [0, 1, 2].flatMap((j) => [...choleskySolve(l, 3, [0, 1, 2].map((i) => (i === j ? 1 : 0)))]);
  const rss = rows.reduce((a, r, i) => a + (points[i].offset - intercept - slope * r[1] - electronSlope * r[2]) ** 2, 0);
  return {
    intercept,
    slope,
    electronSlope,
    xtxInverse: inverse,
    electronMean: mean(points.map((p) => p.electrons!)),
    residualStd: Math.sqrt(rss / (n - 3)),
    n,
  };
}

/** The offset the line gives a surface at `level` (with `electrons`, when the line has that term) and its sigma. */
export function predictLevelLine(q: LevelLine, level: number, electrons?: number): { offsetEv: number; sigmaEv: number } {
  if (q.electronSlope === undefined || !q.xtxInverse) {
    const sigma = q.residualStd * Math.sqrt(1 + 1 / q.n + (level - q.xMean) ** 2 / q.sxx) * (q.n > 2 ? studentTWidening(q.n - 2) : 1);
    return { offsetEv: q.intercept + q.slope * level, sigmaEv: sigma };
  }
  const e = electrons !== undefined && Number.isFinite(electrons) ? electrons : q.electronMean!;
  const x0 = [1, level, e];
  let leverage = 0;
  for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) leverage += x0[a] * q.xtxInverse[a * 3 + b] * x0[b];
  return {
    offsetEv: q.intercept + q.slope * level + q.electronSlope * e,
    sigmaEv: q.residualStd * Math.sqrt(1 + leverage) * studentTWidening(q.n - 3),
  };
}
