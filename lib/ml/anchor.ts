/**
 * Endpoint anchoring: a saddle's binding energy is predicted as the mean of its two end minima (known from training)
 * plus a learnt excess, E_b(saddle) = (E_b(A) + E_b(B)) / 2 + Delta. Across surfaces E_b spans eV (a p-type dopant
 * binds Li 2 eV more strongly than the pristine host) while Delta, the local barrier part, spans tenths of an eV:
 * the potential image has to explain only Delta. Minima are predicted by their own symmetry group's label when it
 * is in training, else by their surface's mean minimum; on a surface without labelled minima, by a line of the
 * surfaces' mean minimum against the host's acceptor level when the training surfaces give one (Li's electron goes
 * to that level: doping moves it, and E_b with it, by eV; plus the dopants' electrons, ./level-line.ts), else by the
 * mean of all training minima.
 *
 * Labels are looked up by symmetry group (`Sample.siteGroup`), so a bridge whose end hollow is not the labelled
 * representative of its group still finds its label. Only training labels are used, never a test sample's.
 */
import { fitLevelLine, predictLevelLine, type LevelLine, type LevelPoint } from './level-line';
import { DOPANT_ELECTRONS_FEATURE } from './site-features';
import type { LabelledSample, Sample } from './types';

export interface AnchorTable {
  /** Mean E_b (eV) of the training minima of each symmetry group key. */
  groups: Record<string, number>;
  /** Mean E_b (eV) of the training minima of each surface. */
  surfaces: Record<string, number>;
  /** Mean E_b (eV) of all training minima (of all training samples when there is no minimum). */
  overall: number;
  /**
   * Surface mean minimum against the host's acceptor level (eV against the vacuum, ./host-levels.ts) and the dopants'
   * electrons, through the training surfaces (./level-line.ts); present when at least 3 of them have levels.
   */
  levelLine?: LevelLine;
  /** Spread (std) of the surfaces' mean minima: the uncertainty of the 'overall' anchor (eV). */
  surfaceSpread: number;
}

export type AnchorSource = 'endpoints' | 'group' | 'surface' | 'acceptor-level' | 'overall';

export const LEVEL_DESCRIPTOR = 'acceptor_level_eV';

function meansByKey(
  samples: readonly LabelledSample[],
  key: (s: LabelledSample) => string | undefined,
): Record<string, number> {
  const sum = new Map<string, [number, number]>();
  for (const s of samples) {
    const k = key(s);
    if (k === undefined) continue;
    const [total, n] = sum.get(k) ?? [0, 0];
    sum.set(k, [total + s.eBindingEv, n + 1]);
  }
  return Object.fromEntries([...sum].map(([k, [total, n]]) => [k, total / n]));
}

export function buildAnchorTable(train: readonly LabelledSample[]): AnchorTable {
  const minima = train.filter((s) => !s.isSaddle);
  const pool = minima.length ? minima : train;
  const surfaces = meansByKey(minima, (s) => s.surfaceId);
  return {
    groups: meansByKey(minima, (s) => s.siteGroup),
    surfaces,
    overall: pool.reduce((a, s) => a + s.eBindingEv, 0) / Math.max(pool.length, 1),
    levelLine: surfaceLevelLine(minima, surfaces),
    surfaceSpread: spread(Object.values(surfaces)),
  };
}

function spread(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1));
}

/** The surfaces' mean minimum against their acceptor level (and dopant electrons): the site-relative model's line. */
function surfaceLevelLine(minima: readonly LabelledSample[], surfaceMeans: Record<string, number>): LevelLine | undefined {
  const points = new Map<string, LevelPoint>();
  for (const s of minima) {
    const v = s.descriptors?.[LEVEL_DESCRIPTOR];
    if (v !== undefined && Number.isFinite(v))
      points.set(s.surfaceId, { level: v, electrons: s.siteFeatures?.[DOPANT_ELECTRONS_FEATURE], offset: surfaceMeans[s.surfaceId] });
  }
  return fitLevelLine([...points.values()]) ?? undefined;
}

/** Uncertainty (eV) of an anchor beyond the spread of sites within a surface. */
export function anchorSpread(source: AnchorSource, table: AnchorTable): number {
  if (source === 'acceptor-level') return table.levelLine?.residualStd ?? table.surfaceSpread;
  if (source === 'overall') return table.surfaceSpread;
  return 0;
}

/** The anchor energy (eV) of a sample and where it came from. */
export function anchorOf(sample: Sample, table: AnchorTable): { anchorEv: number; source: AnchorSource } {
  if (sample.isSaddle && sample.hopEnds) {
    const [a, b] = sample.hopEnds.map((g) => table.groups[g]);
    if (a !== undefined && b !== undefined) return { anchorEv: (a + b) / 2, source: 'endpoints' };
  }
  if (!sample.isSaddle && sample.siteGroup !== undefined && table.groups[sample.siteGroup] !== undefined)
    return { anchorEv: table.groups[sample.siteGroup], source: 'group' };
  const surface = table.surfaces[sample.surfaceId];
  if (surface !== undefined) return { anchorEv: surface, source: 'surface' };
  const level = sample.descriptors?.[LEVEL_DESCRIPTOR];
  if (table.levelLine && level !== undefined && Number.isFinite(level))
    return {
      anchorEv: predictLevelLine(table.levelLine, level, sample.siteFeatures?.[DOPANT_ELECTRONS_FEATURE]).offsetEv,
      source: 'acceptor-level',
    };
  return { anchorEv: table.overall, source: 'overall' };
}

/** Training saddles whose two end minima are both labelled in training: the ones that teach Delta. */
export function anchoredSaddles(train: readonly LabelledSample[], table: AnchorTable): LabelledSample[] {
  return train.filter((s) => s.isSaddle && anchorOf(s, table).source === 'endpoints');
}
