import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseArgs } from '@/cli/args';
import { run as active } from '@/cli/commands/active';
import { run as evaluate } from '@/cli/commands/evaluate';

afterEach(() => vi.restoreAllMocks());

async function json(run: typeof active, argv: string[]): Promise<Record<string, never>> {
  const out: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((s: string) => void out.push(s));
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  expect(await run(parseArgs(argv))).toBe(0);
  vi.restoreAllMocks();
  return JSON.parse(out.join('\n'));
}

const FOLDERS = ['HfS2', 'MoS2', 'MoSe2', 'WS2'].map((s) => `data/demo/${s}`);

describe('epdi active --across-surfaces', () => {
  it('starts where `epdi evaluate --train/--test` (k = 0) stands and reaches DFT once every site of the surface is computed', async () => {
    const report = await json(active, [...FOLDERS, '--across-surfaces', '--test', 'MoS2', '--steps', '3', '--repeats', '1', '--json']);
    const ev = await json(evaluate, ['--train', 'data/demo/HfS2,data/demo/MoSe2,data/demo/WS2', '--test', 'data/demo/MoS2', '--models', 'site-relative', '--json']);
    const sr = (ev as never as { runs: { results: { model: string; barrierMaeEv: number }[] }[] }).runs[0].results.find((m) => m.model.startsWith('site-relative['))!;
    const r = report as never as {
      runs: { poolIds: string[]; strategies: Record<string, { step: number; chosen: string | null; barrierMaeEv: number; nBarriers: number }[]> }[];
    };
    // MoS2's labels.csv has one T_M, one H and one bridge: the pool, and after 3 steps every knot is DFT.
    const rows = readFileSync('data/demo/MoS2/labels.csv', 'utf8').trim().split('\n').slice(1);
    expect(r.runs[0].poolIds).toHaveLength(rows.length);
    for (const [strategy, steps] of Object.entries(r.runs[0].strategies)) {
      expect(steps[0].barrierMaeEv, strategy).toBeCloseTo(sr.barrierMaeEv, 9);
      expect(steps[3].barrierMaeEv, strategy).toBeLessThan(1e-9);
      expect(steps[0].nBarriers).toBe(2); // one symmetry-distinct hop T_M -> bridge -> H, both directions
      expect(new Set(steps.slice(1).map((p) => p.chosen)).size).toBe(3);
    }
  }, 120_000);
});

describe('epdi active --next-calculation', () => {
  it('ranks exactly the unlabelled symmetry groups, named by the app, each with a score', async () => {
    const none = await json(active, [...FOLDERS, '--next-calculation', '--json']);
    // Every symmetry-distinct site of the pristine surfaces is labelled: nothing to suggest.
    expect((none as never as { next: unknown[] }).next).toEqual([]);
    const out = (await json(active, [...FOLDERS, 'data/demo/WS2-V', '--next-calculation', '--count', '20', '--json'])) as never as {
      next: { surface: string; site: string; siteName: string; kind: string; scoreEv2: number; sigmaEv: number }[];
      targets: string[];
    };
    // WS2-V (3x3, one V): 13 symmetry groups (`epdi sites data/demo/WS2-V`), one labels.csv row per computed group.
    const rows = readFileSync('data/demo/WS2-V/labels.csv', 'utf8').trim().split('\n').length - 1;
    expect(out.next).toHaveLength(13 - rows);
    expect(out.targets).toEqual(rows < 13 ? ['WS2-V'] : []);
    for (const n of out.next) {
      expect(n.surface).toBe('WS2-V');
      expect(n.site).toBe(n.siteName); // no user's name: nobody computed it
      expect(Number.isFinite(n.scoreEv2)).toBe(true);
      expect(n.sigmaEv).toBeGreaterThan(0);
    }
  }, 120_000);
});
