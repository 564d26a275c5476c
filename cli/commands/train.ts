/**
 * `epdi train <samples.json|folder> --model frozen-ridge:mobilenetv2-035 --out model.zip [--json]`
 * with the training flags of `epdi evaluate` (../training-options.ts): `--backbone NAME --input-size PX --epochs N
 * --lr X --ensemble M`, e.g. `--model finetune --backbone darknet-tiny --input-size 64 --epochs 6`.
 */
import { writeFileSync } from 'node:fs';
import { numberOption, stringOption, type CliArgs } from '../args';
import { initNodeBackend, nodeWeightsSource } from '../ml-node';
import { backboneProvider, datasetRangeEv, FeatureCache, fitModel, isLabelled, modelToZip } from '../../lib/ml';
import { applyTrainingOptions, parseTrainingOptions } from '../training-options';
import { addModelZipText } from '../../lib/ml/persist';
import { sortTrainingSites, TRAINING_SITES_FILE, trainingSitesCsv } from '../../lib/ml/training-sites';
import { readSamples, readSurfaceFolders, surfaceFoldersUnder, trainingSiteRows, type SurfaceFolders } from '../surface-samples';
import { parseModels } from './evaluate';

export const summary = 'train one model on all labelled samples and save it as a zip (tfjs + JSON metadata)';

export async function run(args: CliArgs): Promise<number> {
  const target = args.positionals[0];
  const out = stringOption(args, 'out') ?? 'model.zip';
  if (!target) {
    console.error(
      'usage: epdi train <samples.json|folder> [--model descriptor-gp] [--out model.zip] [--seed 1] [--json]\n' +
        '       training flags: [--backbone NAME] [--input-size PX] [--epochs N] [--lr X] [--ensemble M]',
    );
    return 2;
  }
  const training = parseTrainingOptions(args);
  // Surface folders also give the sites' names for the zip's training-sites.csv.
  const folders = surfaceFoldersUnder([target]);
  const read: SurfaceFolders | null = folders.length ? await readSurfaceFolders(folders) : null;
  const samples = read ? read.samples : await readSamples([target]);
  const train = samples.filter(isLabelled);
  const backend = await initNodeBackend();
  const provider = await backboneProvider(nodeWeightsSource());
  const usable = provider.configs.filter((c) => provider.available[c.name]).map((c) => c.name);
  const model0 = stringOption(args, 'model') ?? 'descriptor-gp';
  if (model0.includes(',')) throw new Error(`epdi train fits one model; --model got a list '${model0}'`);
  let spec;
  try {
    [spec] = applyTrainingOptions(parseModels(model0, usable, training.backbone), training, usable);
  } catch (e) {
    provider.dispose();
    throw e;
  }
  const t0 = Date.now();
  const model = await fitModel(spec, train, {
    // The model's range from its own training inputs (stored with it, lib/ml/image.ts).
    imageSettings: { rangeEv: datasetRangeEv(train) },
    seed: numberOption(args, 'seed', 1),
    backbones: provider,
    featureCache: new FeatureCache(),
    onProgress: args.json ? undefined : (p) => p.phase === 'epoch' && console.error(`epoch ${p.epoch}/${p.epochs} train ${p.trainLoss?.toFixed(4)} val ${p.valLoss?.toFixed(4) ?? '-'}`),
  });
  const state = await model.state();
  state.metrics = { trainSeconds: (Date.now() - t0) / 1000, backend, nTrain: train.length };
  const zip = modelToZip(state);
  writeFileSync(out, read ? addModelZipText(zip, TRAINING_SITES_FILE, trainingSitesCsv(sortTrainingSites(trainingSiteRows(read, train)))) : zip);
  model.dispose();
  provider.dispose();
  const result = { model: model.name, out, nTrain: train.length, seconds: (Date.now() - t0) / 1000, backend };
  console.log(args.json ? JSON.stringify(result) : `trained ${result.model} on ${result.nTrain} samples in ${result.seconds.toFixed(1)} s (${backend}) -> ${out}`);
  return 0;
}
