/**
 * The new-surface table: one structure (`newSurfaceTable`) rendered as Markdown by the CLI (`formatNewSurfaceTable`,
 * as the README shows it) and as HTML by the browser's training panel, so both print the same cells. Energies in meV.
 */
import type { NewSurfaceReport } from './new-surface';

const meV = (v: number): string => (Number.isFinite(v) ? (v * 1000).toFixed(1) : '-');

export const NEW_SURFACE_COLUMNS = [
  'model',
  'k',
  'minima E_b MAE (meV)',
  'minima rel. MAE (meV)',
  'saddle E_b MAE (meV)',
  'saddle rel. MAE (meV)',
  'directed barrier MAE (meV) (n)',
  'percolating barrier MAE (meV) (n)',
  'rank rho',
  '90% coverage [95% CI]',
  'vs best constant: mean diff (meV), p',
  'fit time (all splits)',
] as const;

export interface NewSurfaceTableRow {
  model: string;
  shots: number;
  /** One cell per NEW_SURFACE_COLUMNS entry; a failed model has its message in `error` and empty cells. */
  cells: string[];
  error: string | null;
  /** A constant baseline (constant barrier, constant excess). */
  baseline: boolean;
  /** The better constant of its k (the reference of the paired tests). */
  bestConstant: boolean;
  /** p < 0.05 and a lower barrier error than the best constant. */
  beatsConstant: boolean;
}

export interface NewSurfaceTable {
  caption: string;
  columns: readonly string[];
  rows: NewSurfaceTableRow[];
  /** Too few test samples to mean anything, per k (with how many are needed). */
  warnings: string[];
  notes: string[];
}

/**
 * Fewest paired samples for the Wilcoxon test to reach p < 0.05 at all (n = 6 when every sign agrees) is 6; about
 * 20 make a real effect detectable. The table warns below this.
 */
export const MIN_PAIRED_SAMPLES = 20;

const BASELINES = new Set(['constant-barrier', 'constant-excess']);

function fixedS(v: number): string {
  // Fit times: 0.1 s resolution where that is not zero, else milliseconds ("0.0 s" for a real fit reads as broken).
  if (!Number.isFinite(v)) return '-';
  return v >= 0.05 ? `${v.toFixed(1)} s` : `${Math.max(1, Math.round(v * 1000))} ms`;
}

export function newSurfaceTable(r: NewSurfaceReport): NewSurfaceTable {
  const rows: NewSurfaceTableRow[] = [];
  for (const run of r.runs) {
    for (const m of run.results) {
      const baseline = BASELINES.has(m.model);
      const row = { model: m.model, shots: run.shots, baseline, bestConstant: run.bestConstant === m.model };
      if (m.error) {
        rows.push({
          ...row,
          cells: [m.model, String(run.shots), ...NEW_SURFACE_COLUMNS.slice(2).map(() => '')],
          error: m.error,
          beatsConstant: false,
        });
        continue;
      }
      const cov = m.coverage90
        ? `${(m.coverage90.fraction * 100).toFixed(0)}% of ${m.coverage90.n} [${(m.coverage90.interval95[0] * 100).toFixed(0)}-${(m.coverage90.interval95[1] * 100).toFixed(0)}%]`
        : '-';
      const paired = m.paired
        ? `${m.paired.meanDiffEv > 0 ? '+' : ''}${meV(m.paired.meanDiffEv)}, p=${m.paired.pValue < 0.001 ? m.paired.pValue.toExponential(1) : m.paired.pValue.toFixed(3)}`
        : run.bestConstant === m.model
          ? '(best constant)'
          : '-';
      rows.push({
        ...row,
        error: null,
        beatsConstant: !!m.paired && m.paired.pValue < 0.05 && m.paired.meanDiffEv < 0,
        cells: [
          m.model,
          String(run.shots),
          meV(m.minimaMaeEv),
          meV(m.minimaRelMaeEv),
          meV(m.saddleMaeEv),
          meV(m.saddleRelMaeEv),
          `${meV(m.barrierMaeEv)} (${m.nBarriers})`,
          `${meV(m.percolationMaeEv)} (${m.nPercolation})`,
          Number.isFinite(m.percolationRankRho) ? m.percolationRankRho.toFixed(2) : '-',
          cov,
          paired,
          fixedS(m.fitSeconds),
        ],
      });
    }
  }
  const warnings: string[] = [];
  for (const run of r.runs) {
    const n = run.results.find((m) => !m.error)?.nBarriers ?? 0;
    if (n < MIN_PAIRED_SAMPLES)
      warnings.push(
        `k=${run.shots}: only ${n} directed barriers scored; a paired test needs about ${MIN_PAIRED_SAMPLES} to detect a 2x error reduction (at least 6 for p < 0.05 at all)`,
      );
  }
  return {
    caption: `${r.description}; ${r.surfaces.length} labelled surfaces (${r.surfaces.join(', ')}); ${r.nLabelled} labels; seed ${r.seed}`,
    columns: NEW_SURFACE_COLUMNS,
    rows,
    warnings,
    notes: [...r.notes],
  };
}

export function formatNewSurfaceTable(r: NewSurfaceReport): string {
  const t = newSurfaceTable(r);
  const header = t.columns.map((c) => c.replace(/ \(meV\)/g, ''));
  const lines = [t.caption, '', `| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const row of t.rows)
    lines.push(
      row.error
        ? `| ${row.model} | ${row.shots} | failed: ${row.error.replace(/\|/g, '/')} |${' |'.repeat(header.length - 3)}`
        : `| ${row.cells.join(' | ')} |`,
    );
  lines.push('', 'Energies in meV. k: DFT labels of each test surface given to training (its lowest minima).');
  for (const w of t.warnings) lines.push(`warning: ${w}`);
  for (const n of t.notes) lines.push(`note: ${n}`);
  return lines.join('\n');
}
