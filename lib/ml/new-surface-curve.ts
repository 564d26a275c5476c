/**
 * How the new-surface numbers change as surfaces are added: a learning curve over the number of training surfaces.
 *
 * For each size n and each draw d, every labelled surface is the test surface once (k = 0), trained on n of the
 * others drawn at random (seeded by n, d and the test surface, so every model sees the same training sets). Each
 * (test surface, draw) is a `train-test` run of ./new-surface.ts, so the scoring, the baselines and the leak checks
 * are those of the main table. Per size and model the errors of all runs are pooled: directed-barrier MAE, minima
 * E_b MAE, 90% coverage; `drawSpread` is the standard deviation over draws of each draw's barrier MAE (how much the
 * choice of training surfaces matters at that size).
 */
import { MlError } from './errors';
import type { MlContext, ModelSpec } from './models';
import { evaluateNewSurface } from './new-surface';
import type { EvalSurface } from './new-surface-score';
import { deriveSeed, mulberry32, shuffled } from './rng';
import { isLabelled, type Sample } from './types';

export interface CurvePoint {
  trainSurfaces: number;
  model: string;
  draws: number;
  barrierMaeEv: number;
  nBarriers: number;
  /** Standard deviation over draws of the per-draw directed-barrier MAE (0 with one draw). */
  drawSpreadEv: number;
  minimaMaeEv: number;
  nMinima: number;
  /** Pooled 90% coverage over the test samples with a sigma (NaN for models without one). */
  coverage90: number;
}

export interface SurfaceCurve {
  surfaces: string[];
  sizes: number[];
  seed: number;
  points: CurvePoint[];
}

const mean = (v: readonly number[]): number => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN);

function std(v: readonly number[]): number {
  if (v.length < 2) return 0;
  const m = mean(v);
  return Math.sqrt(v.reduce((a, x) => a + (x - m) ** 2, 0) / (v.length - 1));
}

/** The training surfaces of draw `draw` at size `n` for test surface `test` (same for every model). */
export function curveTrainingSet(labelled: readonly string[], test: string, n: number, draw: number, seed: number): string[] {
  const others = labelled.filter((s) => s !== test);
  if (n < 1 || n > others.length) throw new MlError('not_enough_data', `cannot train on ${n} of the ${others.length} other surfaces`);
  const k = labelled.indexOf(test);
  return shuffled(others, mulberry32(deriveSeed(seed, 1_000_000 * n + 1000 * draw + k)))
    .slice(0, n)
    .sort();
}

export async function surfaceLearningCurve(
  specs: readonly ModelSpec[],
  samples: readonly Sample[],
  surfaces: readonly EvalSurface[],
  ctx: MlContext,
  opts: { sizes: readonly number[]; draws: number; onStep?: (n: number, draw: number) => void },
): Promise<SurfaceCurve> {
  const labelled = [...new Set(samples.filter(isLabelled).map((s) => s.surfaceId))].sort();
  const sizes = [...new Set(opts.sizes)].sort((a, b) => a - b);
  for (const n of sizes)
    if (!Number.isInteger(n) || n < 1 || n > labelled.length - 1)
      throw new MlError('not_enough_data', `training-set size ${n} must be 1..${labelled.length - 1} (${labelled.length} labelled surfaces)`);
  const points: CurvePoint[] = [];
  for (const n of sizes) {
    // With every other surface in training there is only one training set per test surface.
    const draws = n === labelled.length - 1 ? 1 : opts.draws;
    type Acc = { barriers: number[][]; minima: number[]; inside: number; withSigma: number };
    const acc = new Map<string, Acc>();
    for (let d = 0; d < draws; d++) {
      const perDraw = new Map<string, number[]>();
      for (const test of labelled) {
        const train = curveTrainingSet(labelled, test, n, d, ctx.seed);
        const report = await evaluateNewSurface(specs, samples, surfaces, { kind: 'train-test', train, test: [test] }, ctx, {
          shots: [0],
        });
        for (const r of report.runs[0].results) {
          if (r.error) continue;
          const a = acc.get(r.model) ?? { barriers: [], minima: [], inside: 0, withSigma: 0 };
          acc.set(r.model, a);
          const errs = Object.values(r.barrierAbsErrors);
          perDraw.set(r.model, [...(perDraw.get(r.model) ?? []), ...errs]);
        }
        for (const p of report.predictions) {
          const a = acc.get(p.model);
          if (!a) continue;
          if (!p.isSaddle) a.minima.push(Math.abs(p.predictedEv - p.dftEv));
          if (p.sigmaEv !== null && Number.isFinite(p.sigmaEv)) {
            a.withSigma++;
            if (Math.abs(p.predictedEv - p.dftEv) <= 1.645 * p.sigmaEv) a.inside++;
          }
        }
      }
      for (const [model, errs] of perDraw) acc.get(model)!.barriers.push(errs);
      opts.onStep?.(n, d);
    }
    for (const [model, a] of acc) {
      const pooled = a.barriers.flat();
      points.push({
        trainSurfaces: n,
        model,
        draws,
        barrierMaeEv: mean(pooled),
        nBarriers: pooled.length,
        drawSpreadEv: std(a.barriers.map(mean)),
        minimaMaeEv: mean(a.minima),
        nMinima: a.minima.length,
        coverage90: a.withSigma ? a.inside / a.withSigma : NaN,
      });
    }
  }
  return { surfaces: labelled, sizes, seed: ctx.seed, points };
}

/** A markdown table, one row per (size, model), energies in meV. */
export function formatSurfaceCurve(c: SurfaceCurve): string {
  const meV = (v: number): string => (Number.isFinite(v) ? (v * 1000).toFixed(1) : '-');
  const lines = [
    `learning curve over training surfaces; ${c.surfaces.length} labelled surfaces (${c.surfaces.join(', ')}); seed ${c.seed}; k = 0`,
    '',
    '| training surfaces | model | draws | directed barrier MAE (n) | spread over draws | minima E_b MAE (n) | 90% coverage |',
    '|---|---|---|---|---|---|---|',
    ...c.points.map(
      (p) =>
        `| ${p.trainSurfaces} | ${p.model} | ${p.draws} | ${meV(p.barrierMaeEv)} (${p.nBarriers}) | ${meV(p.drawSpreadEv)} | ${meV(p.minimaMaeEv)} (${p.nMinima}) | ${Number.isFinite(p.coverage90) ? `${Math.round(p.coverage90 * 100)}%` : '-'} |`,
    ),
    '',
    'Energies in meV. Each test surface is predicted from n training surfaces drawn at random from the others.',
  ];
  return lines.join('\n');
}
