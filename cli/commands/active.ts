/**
 * `epdi active <samples.json|folder> [--model descriptor-gp] [--simulate] [--count 10] [--json]`
 *   Without --simulate: rank the unlabelled saddles by sigma (compute these next). With --simulate (fully labelled
 *   data): MAE on held-out saddles versus fraction of saddles computed, random vs active.
 * `epdi active <surface folders> --across-surfaces [--hold-out N | --test A,B] [--steps 6] [--repeats 5]
 *   [--model site-relative] [--seed 1] [--json]`
 *   Retrospective cross-surface simulation (lib/ml/active-surfaces-sim.ts): new surfaces start at k = 0 and gain
 *   one DFT calculation per step, chosen by active, random and lowest-minimum; without --hold-out/--test every
 *   surface is the new one in turn. --json gives every run and step.
 * `epdi active <surface folders> --next-calculation [--model site-relative] [--count 10] [--json]`
 *   Train on every label and rank the unlabelled sites of all surfaces by the expected reduction of the
 *   directed-barrier error (lib/ml/active-surfaces.ts).
 */
import path from 'node:path';
import { numberOption, stringOption, type CliArgs } from '../args';
import { initNodeBackend, nodeWeightsSource } from '../ml-node';
import {
  backboneProvider,
  trainingRangeEv,
  FeatureCache,
  formatActiveCurve,
  formatActiveSurfacesTable,
  formatNextCalculations,
  simulateActiveLearning,
  simulateActiveSurfaces,
  suggestNext,
  suggestNextCalculation,
  type ActiveSurfacesProtocol,
  type MlContext,
  type ModelSpec,
} from '../../lib/ml';
import { readSamples, readSurfaceFolders, surfaceFoldersUnder } from '../surface-samples';
import { parseModels } from './evaluate';

export const summary = 'active learning: which saddle points (or, across surfaces, which site of which surface) to compute next, and retrospective simulations';

const USAGE =
  'usage: epdi active <samples.json|folder> [--model descriptor-gp] [--simulate] [--repeats 3] [--count 10] [--json]\n' +
  '       epdi active <surface folders> --across-surfaces [--hold-out N | --test A,B] [--steps 6] [--repeats 5] [--model site-relative] [--seed 1] [--json]\n' +
  '       epdi active <surface folders> --next-calculation [--model site-relative] [--count 10] [--json]';

/** `--flag <folder>`: the parser took the folder as the flag's value; it is a positional. */
function flag(args: CliArgs, name: string): boolean {
  const v = args.options[name];
  if (typeof v === 'string') {
    args.positionals.push(v);
    args.options[name] = true;
  }
  return v !== undefined;
}

function crossSurfaceProtocol(args: CliArgs): ActiveSurfacesProtocol {
  const test = stringOption(args, 'test');
  const holdOut = args.options['hold-out'];
  if (test !== undefined && holdOut !== undefined) throw new Error('--hold-out and --test exclude each other');
  if (test !== undefined)
    return { kind: 'test', surfaces: test.split(',').map((s) => path.basename(path.resolve(s.trim()))).filter(Boolean) };
  if (holdOut !== undefined) {
    const n = numberOption(args, 'hold-out', 1);
    if (!Number.isInteger(n)) throw new Error(`--hold-out expects a whole number of surfaces, got '${String(holdOut)}'`);
    return { kind: 'hold-out', n };
  }
  return { kind: 'loso' };
}

async function acrossSurfaces(args: CliArgs, spec: ModelSpec, across: boolean, backbones: MlContext['backbones']): Promise<number> {
  const read = await readSurfaceFolders(surfaceFoldersUnder(args.positionals));
  for (const s of read.skipped) console.error(`note: ${s}; left out`);
  // The image range is set per fit from its training labels (lib/ml/active-surfaces.ts fitStep).
  const ctx: MlContext = { imageSettings: { rangeEv: [0, 1] }, seed: numberOption(args, 'seed', 1), backbones, featureCache: new FeatureCache() };
  if (across) {
    const report = await simulateActiveSurfaces(spec, read.samples, read.surfaces, crossSurfaceProtocol(args), ctx, {
      steps: numberOption(args, 'steps', 6),
      repeats: numberOption(args, 'repeats', 5),
      onRun: args.json ? undefined : (i, n) => process.stderr.write(`\rrun ${i}/${n}   `),
    });
    if (!args.json) process.stderr.write('\n');
    console.log(args.json ? JSON.stringify(report, null, 1) : formatActiveSurfacesTable(report));
    return 0;
  }
  const result = await suggestNextCalculation(spec, read.samples, read.surfaces, ctx);
  const count = numberOption(args, 'count', 10);
  console.log(args.json ? JSON.stringify({ ...result, next: result.next.slice(0, count) }, null, 1) : formatNextCalculations(result, count));
  return 0;
}

export async function run(args: CliArgs): Promise<number> {
  const across = flag(args, 'across-surfaces');
  const nextCalculation = flag(args, 'next-calculation');
  const target = args.positionals[0];
  if (!target || (across && nextCalculation)) {
    console.error(USAGE);
    return 2;
  }
  await initNodeBackend();
  const provider = await backboneProvider(nodeWeightsSource());
  try {
    if (across || nextCalculation) {
      const [spec] = parseModels(stringOption(args, 'model') ?? 'site-relative', []);
      return await acrossSurfaces(args, spec, across, provider);
    }
    return await saddles(args, target, provider);
  } finally {
    provider.dispose();
  }
}

async function saddles(args: CliArgs, target: string, provider: MlContext['backbones']): Promise<number> {
  const samples = await readSamples([target]);
  const [spec] = parseModels(stringOption(args, 'model') ?? 'descriptor-gp', []);
  const ctx: MlContext = { imageSettings: { rangeEv: trainingRangeEv(samples.filter((s) => s.eBindingEv !== undefined)) }, seed: numberOption(args, 'seed', 1), backbones: provider, featureCache: new FeatureCache() };
  if (args.options.simulate) {
    const sim = await simulateActiveLearning(spec, samples, ctx, { repeats: numberOption(args, 'repeats', 3) });
    console.log(args.json ? JSON.stringify(sim) : formatActiveCurve(sim));
  } else {
    const next = await suggestNext(spec, samples, ctx, numberOption(args, 'count', 10));
    if (args.json) console.log(JSON.stringify({ next }));
    else for (const p of next) console.log(`${p.id.padEnd(30)} predicted ${p.meanEv.toFixed(4)} eV, sigma ${(p.sigmaEv ?? NaN).toFixed(4)} eV`);
  }
  return 0;
}
