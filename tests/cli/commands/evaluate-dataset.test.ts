/**
 * `epdi evaluate --dataset NAME --test <folders>`: train on a stored dataset, test on folders. The stored surfaces
 * are read by the server's loader and the test folders as an upload, so the result must equal training on the same
 * surfaces' folders (`--train <folders>`): same scored barriers, same predictions, to 1e-9 eV.
 */
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { setupTempDatabase } from '../../server/helpers';

const temp = setupTempDatabase();
afterAll(() => temp.cleanup());
afterEach(() => vi.restoreAllMocks());

const { importFolders } = await import('@/lib/server/import-folder');
const { parseArgs } = await import('@/cli/args');
const { run } = await import('@/cli/commands/evaluate');

const demo = (s: string): string => path.resolve(__dirname, '../../../data/demo', s);
const TRAIN = ['HfS2', 'MoS2', 'ZrS2', 'ZrS2-V', 'MoS2-V'];
const TEST = ['WS2', 'MoSe2'];
const MODELS = 'site-relative:kind+host+potential,site-relative:kind+host+potential+geometry';

async function evaluate(argv: string[]): Promise<{ code: number; report: Record<string, unknown>; errors: string[] }> {
  const out: string[] = [];
  const errors: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((s: string) => void out.push(s));
  vi.spyOn(console, 'error').mockImplementation((s: string) => void errors.push(s));
  const code = await run(parseArgs(argv));
  vi.restoreAllMocks();
  return { code, report: code === 0 ? JSON.parse(out.join('\n')) : {}, errors };
}

type Row = { model: string; surface: string; site: string; predictedEv: number; sigmaEv: number };

describe('epdi evaluate --dataset', () => {
  it('trains on the stored dataset exactly as on the same folders', async () => {
    // WS2 is stored too and also tested: its stored copy must not train.
    await importFolders('stored', [...TRAIN, 'WS2'].map(demo));
    const test = TEST.map(demo).join(',');
    const fromDataset = await evaluate(['--dataset', 'stored', '--test', test, '--models', MODELS, '--json']);
    const fromFolders = await evaluate(['--train', TRAIN.map(demo).join(','), '--test', test, '--models', MODELS, '--json']);
    expect(fromDataset.code).toBe(0);
    expect(fromFolders.code).toBe(0);
    expect(fromDataset.errors.join('\n')).toMatch(/WS2: also in dataset stored; not used for training/);
    expect((fromDataset.report.protocol as { train: string[] }).train.sort()).toEqual([...TRAIN].sort());
    const runs = (r: Record<string, unknown>) =>
      (r.runs as { results: { model: string; barrierMaeEv: number; nBarriers: number }[] }[])[0].results;
    for (const m of runs(fromFolders.report)) {
      const d = runs(fromDataset.report).find((x) => x.model === m.model)!;
      expect(d.nBarriers).toBe(m.nBarriers);
      expect(d.barrierMaeEv).toBeCloseTo(m.barrierMaeEv, 9);
    }
    const key = (p: Row) => `${p.model}|${p.surface}|${p.site}`;
    const folderRows = new Map((fromFolders.report.predictions as Row[]).map((p) => [key(p), p]));
    const datasetRows = fromDataset.report.predictions as Row[];
    expect(datasetRows.length).toBe(folderRows.size);
    // Sigmas too: the bootstrap heads see the rows in one canonical order, whatever order the sites were read in.
    for (const p of datasetRows) {
      expect(p.predictedEv).toBeCloseTo(folderRows.get(key(p))!.predictedEv, 9);
      expect(p.sigmaEv).toBeCloseTo(folderRows.get(key(p))!.sigmaEv, 9);
    }
  }, 300_000);

  it('names a dataset that does not exist (cli/epdi.ts prints the message, exit 1)', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await expect(run(parseArgs(['--dataset', 'nope', '--protocol', 'loso']))).rejects.toThrow(/no dataset named 'nope'/);
  });
});
