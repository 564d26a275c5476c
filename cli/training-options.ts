/**
 * Training flags shared by `epdi evaluate` and `epdi train`: `--backbone NAME`, `--input-size PX`, `--epochs N`,
 * `--lr X`, `--ensemble M`. Each is validated here (a readable Error names the flag and the accepted values) and then
 * applied to the model specs it concerns:
 *
 *   --backbone    the backbone of finetune / frozen-ridge / frozen-mlp written without `:<backbone>` (applied by
 *                 evaluate's parseModels; checked against the registry here)
 *   --input-size  backbone models (finetune, frozen-ridge, frozen-mlp, descriptor-gp:<bb>): the trunk's input edge
 *   --epochs      networks (finetune: the most epochs the inner split may choose; frozen-mlp, cnn)
 *   --lr          networks: Adam learning rate
 *   --ensemble    networks: members of the deep ensemble (sigma = their std; 1 = no sigma)
 *
 * A flag that no listed model takes is an error, so a typo'd experiment never runs silently with defaults.
 */
import type { ModelSpec } from '../lib/ml';
import type { CliArgs } from './args';

export interface TrainingOptions {
  backbone?: string;
  inputSize?: number;
  epochs?: number;
  learningRate?: number;
  ensemble?: number;
}

const NETWORKS = new Set<ModelSpec['type']>(['finetune', 'frozen-mlp', 'cnn']);

function raw(args: CliArgs, key: string): string | undefined {
  const v = args.options[key];
  if (v === true) throw new Error(`--${key} needs a value`);
  return v;
}

function integer(args: CliArgs, key: string, min: number, max: number, extra?: (n: number) => string | undefined): number | undefined {
  const v = raw(args, key);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\s*\d+\s*$/.test(v) || !Number.isInteger(n) || n < min || n > max) throw new Error(`--${key} expects an integer from ${min} to ${max}, got '${v}'`);
  const problem = extra?.(n);
  if (problem) throw new Error(`--${key} ${problem}, got '${v}'`);
  return n;
}

/** Parse and range-check the training flags (backbone names are checked against the registry by `applyTrainingOptions`). */
export function parseTrainingOptions(args: CliArgs): TrainingOptions {
  const lrRaw = raw(args, 'lr');
  let learningRate: number | undefined;
  if (lrRaw !== undefined) {
    learningRate = Number(lrRaw);
    if (!lrRaw.trim() || !Number.isFinite(learningRate) || learningRate <= 0 || learningRate > 1) throw new Error(`--lr expects a learning rate in (0, 1], got '${lrRaw}'`);
  }
  const backbone = raw(args, 'backbone');
  if (backbone !== undefined && !backbone.trim()) throw new Error('--backbone needs a backbone name');
  return {
    backbone: backbone?.trim(),
    inputSize: integer(args, 'input-size', 32, 1024, (n) => (n % 16 ? 'must be a multiple of 16 (the trunks halve the image 4-5 times)' : undefined)),
    epochs: integer(args, 'epochs', 1, 10000),
    learningRate,
    ensemble: integer(args, 'ensemble', 1, 50),
  };
}

function takesBackbone(spec: ModelSpec): boolean {
  return spec.type === 'finetune' || spec.type === 'frozen-ridge' || spec.type === 'frozen-mlp' || (spec.type === 'descriptor-gp' && !!spec.backbone);
}

/**
 * Apply the flags to the specs they concern. `known`: the registry's backbone names (a backbone outside it is an
 * error). Throws when a given flag concerns none of the specs.
 */
export function applyTrainingOptions(specs: readonly ModelSpec[], o: TrainingOptions, known: readonly string[]): ModelSpec[] {
  const used = { backbone: false, inputSize: false, epochs: false, learningRate: false, ensemble: false };
  for (const spec of specs)
    if ('backbone' in spec && spec.backbone && !known.includes(spec.backbone))
      throw new Error(`unknown backbone '${spec.backbone}' (known: ${known.join(', ') || 'none: no weights directory'})`);
  if (o.backbone !== undefined && !known.includes(o.backbone))
    throw new Error(`--backbone: unknown backbone '${o.backbone}' (known: ${known.join(', ') || 'none: no weights directory'})`);
  const out = specs.map((spec): ModelSpec => {
    const s = { ...spec } as ModelSpec & Record<string, unknown>;
    if (takesBackbone(s)) {
      if (o.inputSize !== undefined) {
        s.inputSize = o.inputSize;
        used.inputSize = true;
      }
      if (o.backbone !== undefined && s.backbone === o.backbone) used.backbone = true;
    }
    if (NETWORKS.has(s.type)) {
      for (const key of ['epochs', 'learningRate', 'ensemble'] as const)
        if (o[key] !== undefined) {
          s[key] = o[key];
          used[key] = true;
        }
    }
    return s;
  });
  const flags: [keyof TrainingOptions, string, string][] = [
    ['backbone', '--backbone', 'finetune, frozen-ridge or frozen-mlp written without :<backbone>'],
    ['inputSize', '--input-size', 'a backbone model (finetune, frozen-ridge, frozen-mlp, descriptor-gp:<backbone>)'],
    ['epochs', '--epochs', 'a network (finetune, frozen-mlp, cnn)'],
    ['learningRate', '--lr', 'a network (finetune, frozen-mlp, cnn)'],
    ['ensemble', '--ensemble', 'a network (finetune, frozen-mlp, cnn)'],
  ];
  for (const [key, flag, what] of flags)
    if (o[key] !== undefined && !used[key]) throw new Error(`${flag} applies to ${what}; none of the models takes it (pick them with --models)`);
  return out;
}
