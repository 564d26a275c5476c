/**
 * `epdi active <samples.json|folder> [--model descriptor-gp] [--simulate] [--count 10] [--json]`
 * Without --simulate: rank the unlabelled saddles by sigma (compute these next). With --simulate (fully labelled
 * data): MAE on held-out saddles versus fraction of saddles computed, random vs active.
 */
import { numberOption, stringOption, type CliArgs } from '../args';
import { initNodeBackend, nodeWeightsSource } from '../ml-node';
import { backboneProvider, trainingRangeEv, FeatureCache, formatActiveCurve, simulateActiveLearning, suggestNext, type MlContext } from '../../lib/ml';
import { parseModels, readSamples } from './evaluate';

export const summary = 'active learning: which saddle points to compute next, or a retrospective random-vs-active simulation';

export async function run(args: CliArgs): Promise<number> {
  const target = args.positionals[0];
  if (!target) {
    console.error('usage: epdi active <samples.json|folder> [--model descriptor-gp] [--simulate] [--repeats 3] [--count 10] [--json]');
    return 2;
  }
  const samples = readSamples(target);
  await initNodeBackend();
  const provider = await backboneProvider(nodeWeightsSource());
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
  provider.dispose();
  return 0;
}
