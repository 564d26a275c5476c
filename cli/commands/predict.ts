/** `epdi predict <model.zip> <samples.json|folder> [--json]`: E_b (eV) and sigma for every sample. */
import { readFileSync } from 'node:fs';
import type { CliArgs } from '../args';
import { initNodeBackend, nodeWeightsSource } from '../ml-node';
import { backboneProvider, FeatureCache, modelFromZip, restoreModel } from '../../lib/ml';
import { readSamples } from '../surface-samples';

export const summary = 'predict binding energies (and sigma) with a saved model zip';

export async function run(args: CliArgs): Promise<number> {
  const [zip, target] = args.positionals;
  if (!zip || !target) {
    console.error('usage: epdi predict <model.zip> <samples.json|folder> [--json]');
    return 2;
  }
  await initNodeBackend();
  const provider = await backboneProvider(nodeWeightsSource());
  const model = await restoreModel(modelFromZip(new Uint8Array(readFileSync(zip))), { backbones: provider, featureCache: new FeatureCache() });
  const samples = await readSamples([target]);
  const preds = await model.predict(samples);
  if (args.json) console.log(JSON.stringify({ model: model.name, predictions: preds }));
  else for (const p of preds) console.log(`${p.id.padEnd(30)} ${p.meanEv.toFixed(4)} eV${p.sigmaEv !== undefined ? ` +- ${p.sigmaEv.toFixed(4)}` : ''}`);
  model.dispose();
  provider.dispose();
  return 0;
}
