/**
 * Training flags of `epdi evaluate` and `epdi train` (cli/training-options.ts): parsed, range-checked, applied to the
 * models they concern, refused with a readable message otherwise.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseArgs } from '@/cli/args';
import { run as evaluate, parseModels } from '@/cli/commands/evaluate';
import { run as train } from '@/cli/commands/train';
import { applyTrainingOptions, parseTrainingOptions } from '@/cli/training-options';

const KNOWN = ['darknet-tiny', 'mobilenetv2-035'];
const opts = (...argv: string[]) => parseTrainingOptions(parseArgs(argv));

afterEach(() => vi.restoreAllMocks());

describe('training flags', () => {
  it('apply to the models that take them: finetune gets backbone, input size, epochs, lr and ensemble', () => {
    const o = opts('--backbone', 'darknet-tiny', '--input-size', '64', '--epochs', '4', '--lr', '3e-4', '--ensemble', '5');
    expect(o).toEqual({ backbone: 'darknet-tiny', inputSize: 64, epochs: 4, learningRate: 3e-4, ensemble: 5 });
    const specs = applyTrainingOptions(parseModels('finetune/anchored,frozen-ridge:mobilenetv2-035,mean', KNOWN, o.backbone), o, KNOWN);
    expect(specs).toEqual([
      { type: 'finetune', backbone: 'darknet-tiny', inputSize: 64, epochs: 4, learningRate: 3e-4, ensemble: 5, anchor: 'endpoints' },
      { type: 'frozen-ridge', backbone: 'mobilenetv2-035', inputSize: 64 },
      { type: 'mean' },
    ]);
  });

  it.each([
    [['--epochs', '0'], '--epochs expects an integer from 1 to 10000'],
    [['--epochs', '2.5'], '--epochs expects an integer'],
    [['--epochs'], '--epochs needs a value'],
    [['--lr', '-1'], '--lr expects a learning rate in (0, 1]'],
    [['--lr', 'fast'], '--lr expects a learning rate'],
    [['--input-size', '70'], '--input-size must be a multiple of 16'],
    [['--input-size', '8'], '--input-size expects an integer from 32 to 1024'],
    [['--ensemble', '0'], '--ensemble expects an integer from 1 to 50'],
  ])('rejects %j', (argv, message) => {
    expect(() => opts(...argv)).toThrow(message);
  });

  it('refuses unknown backbones and flags that no listed model takes', () => {
    expect(() => applyTrainingOptions(parseModels('finetune:resnet', KNOWN), {}, KNOWN)).toThrow("unknown backbone 'resnet' (known: darknet-tiny, mobilenetv2-035)");
    expect(() => applyTrainingOptions(parseModels('mean', KNOWN), { backbone: 'vgg' }, KNOWN)).toThrow("--backbone: unknown backbone 'vgg'");
    expect(() => parseModels('finetune', KNOWN)).toThrow('model finetune needs a backbone: finetune:<name> or --backbone <name>');
    expect(() => applyTrainingOptions(parseModels('mean,descriptor-gp', KNOWN), { epochs: 3 }, KNOWN)).toThrow('--epochs applies to a network');
    expect(() => applyTrainingOptions(parseModels('cnn', KNOWN), { inputSize: 64 }, KNOWN)).toThrow('--input-size applies to a backbone model');
  });

  it('epdi evaluate and epdi train stop on a bad flag before any work', async () => {
    await expect(evaluate(parseArgs(['data/demo/MoS2', '--protocol', 'loso', '--models', 'finetune:darknet-tiny', '--lr', '0']))).rejects.toThrow('--lr expects a learning rate in (0, 1]');
    await expect(train(parseArgs(['no-such-file.json', '--model', 'finetune:darknet-tiny', '--ensemble', 'many']))).rejects.toThrow('--ensemble expects an integer');
  });

  it('epdi evaluate on surface folders refuses --epochs when only closed-form models run', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await expect(evaluate(parseArgs(['data/demo/MoS2', 'data/demo/WS2', '--protocol', 'loso', '--models', 'mean', '--epochs', '3']))).rejects.toThrow('--epochs applies to a network');
  }, 60_000);
});
