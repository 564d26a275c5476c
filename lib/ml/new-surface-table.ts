/** The new-surface table for people (Markdown, as the README shows it); energies in meV. */
import type { NewSurfaceReport } from './new-surface';

const meV = (v: number): string => (Number.isFinite(v) ? (v * 1000).toFixed(1) : '-');

export function formatNewSurfaceTable(r: NewSurfaceReport): string {
  const lines = [
    `${r.description}; ${r.surfaces.length} labelled surfaces (${r.surfaces.join(', ')}); ${r.nLabelled} labels; seed ${r.seed}`,
    '',
    '| model | k | minima E_b MAE | minima rel. MAE | saddle E_b MAE | saddle rel. MAE | directed barrier MAE (n) | percolating barrier MAE (n) | rank rho | 90% coverage [95% CI] | vs best constant: mean diff, p | fit s |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const run of r.runs) {
    for (const m of run.results) {
      if (m.error) {
        lines.push(`| ${m.model} | ${run.shots} | failed: ${m.error.replace(/\|/g, '/')} | | | | | | | | | |`);
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
      lines.push(
        `| ${m.model} | ${run.shots} | ${meV(m.minimaMaeEv)} | ${meV(m.minimaRelMaeEv)} | ${meV(m.saddleMaeEv)} | ${meV(m.saddleRelMaeEv)} | ${meV(m.barrierMaeEv)} (${m.nBarriers}) | ${meV(m.percolationMaeEv)} (${m.nPercolation}) | ${Number.isFinite(m.percolationRankRho) ? m.percolationRankRho.toFixed(2) : '-'} | ${cov} | ${paired} | ${m.fitSeconds.toFixed(1)} |`,
      );
    }
  }
  lines.push('', 'Energies in meV. k: DFT labels of each test surface given to training (its lowest minima).');
  const few = r.runs.map((run) => ({ k: run.shots, n: run.results.find((m) => !m.error)?.nBarriers ?? 0 }));
  for (const f of few)
    if (f.n < MIN_PAIRED_SAMPLES)
      lines.push(`warning: k=${f.k}: only ${f.n} directed barriers scored; a paired test needs about ${MIN_PAIRED_SAMPLES} to detect a 2x error reduction`);
  for (const n of r.notes) lines.push(`note: ${n}`);
  return lines.join('\n');
}

/**
 * Fewest paired samples for the Wilcoxon test to reach p < 0.05 at all (n = 6 when every sign agrees) is 6; about
 * 20 make a real effect detectable. The table warns below this.
 */
export const MIN_PAIRED_SAMPLES = 20;
