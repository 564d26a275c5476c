/** Plain-text (Markdown) tables of the cross-surface active-learning simulation and of the suggest mode. */
import type { ActiveSurfacesReport } from './active-surfaces-sim';
import type { NextCalculation } from './active-surfaces';
import { modelName } from './models';

const meV = (ev: number, digits = 1): string => (Number.isFinite(ev) ? (ev * 1000).toFixed(digits) : '-');

function describe(r: ActiveSurfacesReport): string {
  const p = r.protocol;
  const what =
    p.kind === 'loso'
      ? `leave one surface out, ${r.repeats} seed(s) per surface`
      : p.kind === 'hold-out'
        ? `${p.n} surfaces held out per repeat, ${r.repeats} repeats`
        : `new surfaces ${p.surfaces.join(', ')}, ${r.repeats} seed(s)`;
  return `cross-surface active learning: ${what}; ${r.runs.length} runs; model ${modelName(r.spec)}; ${r.steps} steps; seed ${r.seed}`;
}

export function formatActiveSurfacesTable(r: ActiveSurfacesReport): string {
  const lines = [describe(r), ''];
  const head = ['step', ...r.strategies.map((s) => `${s} barrier MAE`), ...r.strategies.map((s) => `${s} open-barrier MAE`), ...r.strategies.map((s) => `${s} minima MAE`)];
  lines.push(`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`);
  for (let k = 0; k <= r.steps; k++) {
    const at = r.strategies.map((s) => r.curves[s][k]);
    lines.push(
      `| ${k} | ${at.map((c) => meV(c.barrierMaeEv)).join(' | ')} | ${at.map((c) => meV(c.openBarrierMaeEv)).join(' | ')} | ${at.map((c) => meV(c.minimaMaeEv)).join(' | ')} |`,
    );
  }
  if (r.paired.length) {
    const others = [...new Set(r.paired.map((p) => p.against))];
    lines.push('', `| step | ${others.map((o) => `active - ${o}: mean diff (W/T/L), p`).join(' | ')} |`, `|---|${others.map(() => '---').join('|')}|`);
    for (let k = 0; k <= r.steps; k++) {
      const cells = others.map((o) => {
        const p = r.paired.find((x) => x.against === o && x.step === k)!;
        return `${p.meanDiffEv >= 0 ? '+' : ''}${meV(p.meanDiffEv)} (${p.wins}/${p.ties}/${p.losses}), p=${p.pValue < 1e-3 ? p.pValue.toExponential(1) : p.pValue.toFixed(3)}`;
      });
      lines.push(`| ${k} | ${cells.join(' | ')} |`);
    }
  }
  lines.push(
    '',
    'Energies in meV, pooled over runs. Barrier MAE: every directed barrier of the new surfaces complete in DFT, computed sites at their DFT value; ' +
      'open: those with a knot still hidden; minima MAE: pool minima not yet computed. Mean diff: mean over runs of the per-run barrier-MAE difference; ' +
      'W/T/L: runs where active has the lower/equal/higher barrier MAE; p: Wilcoxon signed-rank over runs.',
  );
  return lines.join('\n');
}

export function formatNextCalculations(
  r: { next: NextCalculation[]; expectedBarrierRmseEv: number; barriers: number; targets: string[]; notes: string[] },
  count: number,
): string {
  if (!r.next.length) return 'nothing to suggest: every symmetry-distinct site of every surface has a label';
  const lines = [
    `targets: ${r.targets.join(', ')}; ${r.barriers} directed barriers; expected barrier RMSE now ${meV(r.expectedBarrierRmseEv)} meV`,
    '',
    '| rank | surface | site | app site | kind | predicted E_b (eV) | sigma (meV) | score (meV^2) |',
    '|---|---|---|---|---|---|---|---|',
  ];
  r.next.slice(0, count).forEach((c, i) =>
    lines.push(
      `| ${i + 1} | ${c.surface} | ${c.site} | ${c.siteName} | ${c.kind} | ${c.predictedEv.toFixed(4)} | ${c.sigmaEv === null ? '-' : meV(c.sigmaEv)} | ${(c.scoreEv2 * 1e6).toFixed(1)} |`,
    ),
  );
  lines.push('', 'score: expected reduction of the sum of squared directed-barrier errors of the targets (lib/ml/active-surfaces.ts).');
  for (const n of r.notes) lines.push(`note: ${n}`);
  return lines.join('\n');
}
