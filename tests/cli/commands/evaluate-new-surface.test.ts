import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseArgs } from '@/cli/args';
import { run } from '@/cli/commands/evaluate';

/** E_b by kind from a pristine surface's labels.csv (one T_M, one hollow, one bridge), read by hand. */
function pristine(surface: string): { tm: number; hollow: number; bridge: number } {
  const [head, ...rows] = readFileSync(`data/demo/${surface}/labels.csv`, 'utf8').trim().split('\n');
  const cols = head.split(',');
  const eb = (kind: string): number => {
    const row = rows.map((r) => r.split(',')).find((r) => r[cols.indexOf('kind')] === kind)!;
    return Number(row[cols.indexOf('E_b_eV')]);
  };
  return { tm: eb('T_M'), hollow: eb('H'), bridge: eb('bridge') };
}

afterEach(() => vi.restoreAllMocks());

describe('epdi evaluate --protocol loso on surface folders', () => {
  it('scores directed barriers against the constant barrier computed from the labels, and lists every prediction', async () => {
    const out: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((s: string) => void out.push(s));
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const surfaces = ['MoS2', 'MoSe2', 'WS2'];
    const code = await run(
      parseArgs([...surfaces.map((s) => `data/demo/${s}`), '--protocol', 'loso', '--models', 'site-relative:kind', '--json']),
    );
    expect(code).toBe(0);
    const report = JSON.parse(out.join('\n'));
    expect(report.surfaces).toEqual(surfaces);
    // Independent: each pristine 2H surface has two directed barriers, bridge - T_M and bridge - H.
    const barriers = Object.fromEntries(
      surfaces.map((s) => {
        const e = pristine(s);
        return [s, [e.bridge - e.tm, e.bridge - e.hollow]];
      }),
    );
    let abs = 0;
    for (const test of surfaces) {
      const train = surfaces.filter((s) => s !== test).flatMap((s) => barriers[s]);
      const c = train.reduce((a, b) => a + b, 0) / train.length;
      abs += barriers[test].reduce((a, b) => a + Math.abs(c - b), 0);
    }
    const constant = report.runs[0].results.find((m: { model: string }) => m.model === 'constant-barrier');
    expect(constant.nBarriers).toBe(6);
    expect(constant.barrierMaeEv).toBeCloseTo(abs / 6, 3);
    // Every test label appears once per model with the user's site name and the DFT value.
    const rows = report.predictions.filter((p: { model: string }) => p.model === 'site-relative[kind]');
    expect(rows).toHaveLength(9);
    const mos2Bridge = rows.find((p: { surface: string; kind: string }) => p.surface === 'MoS2' && p.kind === 'bridge');
    expect(mos2Bridge.dftEv).toBeCloseTo(pristine('MoS2').bridge, 3);
    expect(typeof mos2Bridge.site).toBe('string');
    expect(report.hops.filter((h: { model: string }) => h.model === 'site-relative[kind]')).toHaveLength(6);
  }, 60_000);
});
