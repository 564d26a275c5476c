/** `epdi evaluate <samples.json|folder> --protocol paper|kfold|loso --fraction 0.33 --repeats 10 [--models a,b] [--json]` */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { numberOption, stringOption, type CliArgs } from '../args';
import { nodeWeightsSource, initNodeBackend } from '../ml-node';
import { isSurfaceFolder, samplesFromSurfaceFolder } from '../surface-samples';
import {
  backboneProvider,
  compareModels,
  datasetRangeEv,
  FeatureCache,
  formatComparisonTable,
  parseSamplesFile,
  type MlContext,
  type ModelSpec,
  type Protocol,
  type Sample,
} from '../../lib/ml';

export const summary =
  'compare every model and baseline on the same splits (paper split, k-fold, leave-one-surface-out)';

/**
 * Samples from each target: a samples file, a folder of samples files, or a surface folder (POSCAR + LOCPOT +
 * labels.csv; extracted with default settings), or a folder of surface folders.
 */
export function readSamples(...targets: string[]): Sample[] {
  return targets.flatMap((target): Sample[] => {
    if (!statSync(target).isDirectory()) return parseSamplesFile(readFileSync(target, 'utf8'), target).samples;
    if (isSurfaceFolder(target)) return samplesFromSurfaceFolder(target);
    const entries = readdirSync(target).sort();
    const surfaces = entries
      .map((e) => path.join(target, e))
      .filter((p) => statSync(p).isDirectory() && isSurfaceFolder(p));
    if (surfaces.length) return surfaces.flatMap((p) => samplesFromSurfaceFolder(p));
    return entries
      .filter((f) => f.endsWith('.json'))
      .flatMap((f) => parseSamplesFile(readFileSync(path.join(target, f), 'utf8'), f).samples);
  });
}

/**
 * Model names accepted by --models (comma-separated). Backbone models take `type:backbone`; a `/anchored` suffix
 * learns saddles relative to the mean of their two end minima (lib/ml/anchor.ts).
 */
export function parseModels(list: string | undefined, backbones: string[]): ModelSpec[] {
  const plain = ['mean', 'mep-linear', 'pixel-ridge', 'descriptor-gp', ...backbones.map((b) => `frozen-ridge:${b}`)];
  const names = list
    ? list.split(',')
    : [
        ...plain,
        ...backbones.map((b) => `descriptor-gp:${b}`),
        ...plain.map((n) => `${n}/anchored`),
        ...backbones.map((b) => `descriptor-gp:${b}/anchored`),
      ];
  return names.map((n): ModelSpec => {
    const [base, suffix] = n.split('/');
    if (suffix !== undefined && suffix !== 'anchored') throw new Error(`unknown model suffix '/${suffix}' in '${n}' (only /anchored)`);
    const spec = baseSpec(base);
    return suffix ? { ...spec, anchor: 'endpoints' } : spec;
  });
}

function baseSpec(name: string): ModelSpec {
  const [type, backbone] = name.split(':');
  switch (type) {
    case 'mean':
    case 'mep-linear':
    case 'pixel-ridge':
    case 'cnn':
      return { type };
    case 'descriptor-gp':
      return backbone ? { type, backbone } : { type };
    case 'frozen-ridge':
    case 'frozen-mlp':
    case 'finetune':
      if (!backbone) throw new Error(`model ${type} needs a backbone: ${type}:<name>`);
      return { type, backbone };
    default:
      throw new Error(
        `unknown model '${name}' (mean, mep-linear, pixel-ridge, descriptor-gp[:bb], frozen-ridge:bb, frozen-mlp:bb, finetune:bb, cnn; add /anchored to anchor saddles on their end minima)`,
      );
  }
}

export function parseProtocol(args: CliArgs): Protocol {
  const kind = stringOption(args, 'protocol') ?? 'paper';
  if (kind === 'paper')
    return { kind, fraction: numberOption(args, 'fraction', 0.33), repeats: numberOption(args, 'repeats', 10) };
  if (kind === 'kfold') return { kind, k: numberOption(args, 'k', 5), repeats: numberOption(args, 'repeats', 1) };
  if (kind === 'loso') return { kind };
  throw new Error(`--protocol must be paper, kfold or loso, got '${kind}'`);
}

export async function run(args: CliArgs): Promise<number> {
  const target = args.positionals[0];
  if (!target) {
    console.error(
      'usage: epdi evaluate <samples.json|samples folder|surface folder>... [--protocol paper|kfold|loso] [--fraction 0.33] [--repeats 10] [--models list] [--seed 1] [--json]',
    );
    return 2;
  }
  const samples = readSamples(...args.positionals);
  const backend = await initNodeBackend();
  const provider = await backboneProvider(nodeWeightsSource());
  const usable = provider.configs.filter((c) => provider.available[c.name]).map((c) => c.name);
  for (const p of provider.problems) console.error(`note: ${p}`);
  const ctx: MlContext = {
    imageSettings: { rangeEv: datasetRangeEv(samples) },
    seed: numberOption(args, 'seed', 1),
    backbones: provider,
    featureCache: new FeatureCache(),
  };
  const protocol = parseProtocol(args);
  const table = await compareModels(parseModels(stringOption(args, 'models'), usable), samples, protocol, ctx, {
    onSplit: args.json
      ? undefined
      : (m, k, n, mae) => process.stderr.write(`\r${m}: split ${k}/${n} MAE ${(mae * 1000).toFixed(1)} meV   `),
  });
  if (!args.json) process.stderr.write('\n');
  console.log(args.json ? JSON.stringify({ backend, ...table }, null, 1) : formatComparisonTable(table));
  provider.dispose();
  return 0;
}
