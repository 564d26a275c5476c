/**
 * `epdi evaluate <samples.json|folder> --protocol paper|kfold|loso --fraction 0.33 --repeats 10 [--models a,b] [--json]`
 * `epdi evaluate <surface folders> --protocol loso [--dopant-out] [--shots 0,1,2,3] [--models a,b] [--json]`
 * `epdi evaluate --train <folders,...> --test <folders,...> [--shots 0,1] [--models a,b] [--json]`
 * `epdi evaluate --dataset NAME --test <folders,...>`: train on a stored dataset's surfaces, test on folders; `epdi
 * evaluate --dataset NAME --protocol loso [--dopant-out]`: the protocols on the stored dataset (the server's loader).
 * `epdi evaluate <surface folders> --protocol loso --learning-curve 2,4,6,8 [--draws 5]`: the same scoring with each
 * test surface trained on n random other surfaces (lib/ml/new-surface-curve.ts): how the numbers move as surfaces
 * are added. Surface folders are read as an upload is (cli/surface-samples.ts); `--mu-li X` overrides meta.json.
 * Training flags on any of them: `--backbone NAME --input-size PX --epochs N --lr X --ensemble M` (../training-options.ts);
 * `--model` is an alias of `--models`. E.g. `--models finetune:darknet-tiny --input-size 64 --epochs 6`: a fine-tuned
 * Tiny Darknet whose epoch count (<= 6) is chosen by an inner split of each training set (lib/ml/finetune.ts).
 *
 * On surface folders, `--protocol loso` and `--train/--test` run the new-surface protocols (lib/ml/new-surface.ts):
 * E_b of minima and saddles, directed barriers of the app's hops, percolating barriers and their rank correlation,
 * the constant baselines and a paired test of every model against the better constant. `--json` adds every test
 * prediction and every scored hop.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { numberOption, stringOption, type CliArgs } from '../args';
import { nodeWeightsSource, initNodeBackend } from '../ml-node';
import { applyTrainingOptions, parseTrainingOptions, type TrainingOptions } from '../training-options';
import {
  mergeReads,
  readSamples,
  readStoredDataset,
  readSurfaceFolders,
  surfaceFoldersUnder,
  withoutSurfaces,
  type SurfaceFolders,
  type SurfaceReadOptions,
} from '../surface-samples';
import { formatSurfaceCurve, surfaceLearningCurve } from '../../lib/ml/new-surface-curve';
import {
  backboneProvider,
  compareModels,
  datasetRangeEv,
  evaluateNewSurface,
  FeatureCache,
  FEATURE_GROUPS,
  formatComparisonTable,
  formatNewSurfaceTable,
  isFeatureGroup,
  type FeatureGroup,
  type NewSurfaceProtocol,
  type MlContext,
  type ModelSpec,
  type Protocol,
} from '../../lib/ml';

export const summary =
  'compare every model and baseline on the same splits (paper split, k-fold, leave-one-surface-out)';

/**
 * Model names accepted by --models (comma-separated). Backbone models take `type:backbone`; a `/anchored` suffix
 * learns saddles relative to the mean of their two end minima (lib/ml/anchor.ts).
 */
export function parseModels(list: string | undefined, backbones: string[], defaultBackbone?: string): ModelSpec[] {
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
    const spec = baseSpec(base, defaultBackbone);
    return suffix ? { ...spec, anchor: 'endpoints' } : spec;
  });
}

/** The new-surface defaults: closed-form models, anchored variants and the site-relative ablation. */
export const NEW_SURFACE_MODELS = [
  'mean',
  'mep-linear',
  'descriptor-gp',
  'mep-linear/anchored',
  'descriptor-gp/anchored',
  'site-relative:kind',
  'site-relative:kind+host',
  'site-relative:kind+host+potential',
  'site-relative:kind+host+geometry',
  'site-relative:kind+host+potential+geometry',
  'site-relative:kind+host+potential+geometry+epdi',
];

function siteRelativeSpec(groupList: string | undefined): ModelSpec {
  const groups = (groupList ?? 'kind+host+potential+geometry').split('+').filter(Boolean);
  for (const g of groups)
    if (!isFeatureGroup(g)) throw new Error(`unknown feature group '${g}' (${FEATURE_GROUPS.join(', ')})`);
  return { type: 'site-relative', groups: groups as FeatureGroup[] };
}

function baseSpec(name: string, defaultBackbone?: string): ModelSpec {
  const [type, named] = name.split(':');
  const backbone = named ?? (type === 'finetune' || type === 'frozen-ridge' || type === 'frozen-mlp' ? defaultBackbone : undefined);
  switch (type) {
    case 'site-relative':
      return siteRelativeSpec(backbone);
    case 'constant-excess':
      return { type: 'site-relative', groups: [] };
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
      if (!backbone) throw new Error(`model ${type} needs a backbone: ${type}:<name> or --backbone <name>`);
      return { type, backbone };
    default:
      throw new Error(
        `unknown model '${name}' (mean, mep-linear, pixel-ridge, descriptor-gp[:bb], frozen-ridge:bb, frozen-mlp:bb, finetune:bb, cnn, constant-excess, site-relative[:kind+host+potential+geometry+epdi]; add /anchored to anchor saddles on their end minima)`,
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

/** `--mu-li X` (eV): mu_Li for every surface folder, over meta.json's. */
function surfaceReadOptions(args: CliArgs): SurfaceReadOptions {
  if (args.options['mu-li'] === undefined) return {};
  const muLiEv = numberOption(args, 'mu-li', Number.NaN);
  if (!Number.isFinite(muLiEv) || muLiEv < -10 || muLiEv > 0) throw new Error(`--mu-li must be an energy in eV within -10..0, got '${String(args.options['mu-li'])}'`);
  return { muLiEv };
}

/** `--train a,b --test c`: folders, or surface names under the first positional folder. */
function folderList(value: string, root: string | undefined): string[] {
  return value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean)
    .map((v) => (existsSync(v) || !root ? v : path.join(root, v)));
}

function shotsOption(args: CliArgs): number[] {
  const raw = stringOption(args, 'shots') ?? '0';
  const list = raw.split(',').map((v) => Number(v.trim()));
  if (!list.length || list.some((k) => !Number.isInteger(k) || k < 0)) throw new Error(`--shots expects k values like 0,1,2,3, got '${raw}'`);
  return list;
}

/** `--models` (or `--model`) with the training flags applied. */
function modelSpecs(args: CliArgs, fallback: string | undefined, usable: string[], training: TrainingOptions): ModelSpec[] {
  const list = stringOption(args, 'models') ?? stringOption(args, 'model') ?? fallback;
  return applyTrainingOptions(parseModels(list, usable, training.backbone), training, usable);
}

async function runNewSurface(args: CliArgs, ctxBase: Omit<MlContext, 'imageSettings'>, specs: ModelSpec[], backend: string): Promise<number> {
  const train = stringOption(args, 'train');
  const test = stringOption(args, 'test');
  const datasetName = stringOption(args, 'dataset');
  if (train !== undefined && test === undefined) throw new Error('--train goes with --test');
  let protocol: NewSurfaceProtocol;
  let read: SurfaceFolders;
  const readOpts = surfaceReadOptions(args);
  const stored = datasetName !== undefined ? await readStoredDataset(datasetName) : null;
  const labelledNames = (r: SurfaceFolders): string[] => r.surfaces.map((s) => s.id).filter((s) => !r.unlabelled.includes(s));
  if (test !== undefined) {
    const testRead = await readSurfaceFolders(folderList(test, args.positionals[0]), readOpts);
    let trainRead: SurfaceFolders;
    if (train !== undefined) trainRead = await readSurfaceFolders(folderList(train, args.positionals[0]), readOpts);
    else if (stored) {
      // The stored copy of a test surface never trains (e.g. data/demo/MoS2 tested against the demo dataset).
      const names = new Set(testRead.surfaces.map((s) => s.id));
      const dropped = stored.surfaces.filter((s) => names.has(s.id)).map((s) => s.id);
      if (dropped.length) console.error(`note: ${dropped.join(', ')}: also in dataset ${datasetName}; not used for training`);
      trainRead = withoutSurfaces(stored, names);
    } else throw new Error('--test needs --train <folders> or --dataset NAME');
    read = mergeReads(trainRead, testRead);
    protocol = { kind: 'train-test', train: labelledNames(trainRead), test: labelledNames(testRead) };
  } else {
    read = stored ?? (await readSurfaceFolders(surfaceFoldersUnder(args.positionals), readOpts));
    protocol = args.options['dopant-out'] !== undefined ? { kind: 'dopant-out' } : { kind: 'loso' };
  }
  for (const s of read.skipped) console.error(`note: ${s}; left out`);
  for (const s of read.unlabelled) console.error(`note: ${s}: no labels; predicted, never scored`);
  const curve = stringOption(args, 'learning-curve');
  if (curve !== undefined) {
    if (protocol.kind !== 'loso') throw new Error('--learning-curve goes with --protocol loso');
    const sizes = curve.split(',').map((v) => Number(v.trim()));
    if (!sizes.length || sizes.some((n) => !Number.isInteger(n) || n < 1))
      throw new Error(`--learning-curve expects training-set sizes like 2,4,6,8, got '${curve}'`);
    const result = await surfaceLearningCurve(specs, read.samples, read.surfaces, { ...ctxBase, imageSettings: { rangeEv: [0, 1] } }, {
      sizes,
      draws: numberOption(args, 'draws', 5),
      onStep: args.json ? undefined : (n, d) => process.stderr.write(`\rtraining on ${n} surfaces: draw ${d + 1}          `),
    });
    if (!args.json) process.stderr.write('\n');
    console.log(args.json ? JSON.stringify({ backend, ...result }, null, 1) : formatSurfaceCurve(result));
    return 0;
  }
  const report = await evaluateNewSurface(
    specs,
    read.samples,
    read.surfaces,
    protocol,
    { ...ctxBase, imageSettings: { rangeEv: [0, 1] } },
    {
      shots: shotsOption(args),
      onStep: args.json ? undefined : (m, k, i, n) => process.stderr.write(`\r${m} k=${k}: split ${i}/${n}          `),
    },
  );
  if (!args.json) process.stderr.write('\n');
  if (args.json) {
    const { runs, ...rest } = report;
    const slim = runs.map((r) => ({ ...r, results: r.results.map(({ barrierAbsErrors: _drop, ...m }) => m) }));
    console.log(JSON.stringify({ backend, ...rest, runs: slim }, null, 1));
  } else console.log(formatNewSurfaceTable(report));
  return 0;
}

export async function run(args: CliArgs): Promise<number> {
  // `--dopant-out <folder>`: the parser took the folder as the flag's value; it is a positional.
  const dopantOut = args.options['dopant-out'];
  if (typeof dopantOut === 'string') {
    args.positionals.push(dopantOut);
    args.options['dopant-out'] = true;
  }
  const target = args.positionals[0];
  const newSurface =
    stringOption(args, 'train') !== undefined || stringOption(args, 'test') !== undefined || stringOption(args, 'dataset') !== undefined;
  if (!target && !newSurface) {
    console.error(
      'usage: epdi evaluate <samples.json|samples folder|surface folder>... [--protocol paper|kfold|loso] [--fraction 0.33] [--repeats 10] [--models list] [--seed 1] [--json]\n' +
        '       epdi evaluate <surface folders> --protocol loso [--dopant-out] [--shots 0,1,2,3] [--models list] [--json]\n' +
        '       epdi evaluate --train <folders,...> --test <folders,...> [--shots 0,1,2,3] [--models list] [--json]\n' +
        '       epdi evaluate --dataset NAME [--test <folders,...> | --protocol loso [--dopant-out]] [--shots 0,1] [--json]\n' +
        '       epdi evaluate <surface folders> --protocol loso --learning-curve 2,4,6,8 [--draws 5] [--models list]\n' +
        'surface folders: [--mu-li X] (eV, over meta.json)\n' +
        'training flags (any form): [--backbone NAME] [--input-size PX] [--epochs N] [--lr X] [--ensemble M]\n' +
        '       e.g. --models finetune:darknet-tiny/anchored --input-size 64 --epochs 6 --ensemble 3',
    );
    return 2;
  }
  const surfaceTargets =
    newSurface ||
    (stringOption(args, 'protocol') === 'loso' &&
      args.positionals.every((t) => statSync(t).isDirectory() && surfaceFoldersUnder([t]).length > 0));
  const training = parseTrainingOptions(args);
  const protocol = surfaceTargets ? undefined : parseProtocol(args);
  const backend = await initNodeBackend();
  const provider = await backboneProvider(nodeWeightsSource());
  const usable = provider.configs.filter((c) => provider.available[c.name]).map((c) => c.name);
  for (const p of provider.problems) console.error(`note: ${p}`);
  const ctxBase = { seed: numberOption(args, 'seed', 1), backbones: provider, featureCache: new FeatureCache() };
  try {
    const specs = modelSpecs(args, surfaceTargets ? NEW_SURFACE_MODELS.join(',') : undefined, usable, training);
    if (surfaceTargets) return await runNewSurface(args, ctxBase, specs, backend);
    const samples = await readSamples(args.positionals, surfaceReadOptions(args));
    const ctx: MlContext = { ...ctxBase, imageSettings: { rangeEv: datasetRangeEv(samples) } };
    const table = await compareModels(specs, samples, protocol!, ctx, {
      onSplit: args.json
        ? undefined
        : (m, k, n, mae) => process.stderr.write(`\r${m}: split ${k}/${n} MAE ${(mae * 1000).toFixed(1)} meV   `),
    });
    if (!args.json) process.stderr.write('\n');
    console.log(args.json ? JSON.stringify({ backend, ...table }, null, 1) : formatComparisonTable(table));
    return 0;
  } finally {
    provider.dispose();
  }
}
