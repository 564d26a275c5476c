import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { afterAll, describe, expect, test, vi } from 'vitest';
import { parseArgs } from '@/cli/args';
import { csvPaths, run } from '@/cli/commands/profiles';

const fixtures = path.join(__dirname, '../../fixtures/profile');
const out = mkdtempSync(path.join(tmpdir(), 'epdi-profiles-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function parse(file: string): Record<string, unknown>[] {
  const r = Papa.parse<Record<string, unknown>>(readFileSync(file, 'utf8'), {
    header: true,
    comments: '#',
    skipEmptyLines: true,
    dynamicTyping: true,
  });
  expect(r.errors).toEqual([]);
  return r.data;
}

describe('epdi profiles', () => {
  test('writes profiles, barriers and sites CSV from surface folders, with the NEB side by side', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const csv = path.join(out, 'profiles.csv');
    const code = await run(
      parseArgs([
        path.join(fixtures, 'surface-mini'),
        path.join(fixtures, 'surface-mini-V'),
        '--csv',
        csv,
        '--dataset',
        'mini',
      ]),
    );
    const printed = log.mock.calls.map((c) => String(c[0])).join('\n');
    log.mockRestore();
    expect(code).toBe(0);
    const p = csvPaths(csv);
    expect(p.barriers).toBe(path.join(out, 'barriers.csv'));

    const profiles = parse(p.profiles);
    // 2 surfaces x 2 hops x 21 samples + 5 NEB images
    expect(profiles).toHaveLength(2 * 2 * 21 + 5);
    expect(profiles.filter((r) => r.source === 'neb')).toHaveLength(5);
    expect(readFileSync(p.profiles, 'utf8').split('\n')[0]).toContain('mu_Li=bcc Li (mu_Li = -1.9 eV)');

    const barriers = parse(p.barriers);
    expect(barriers).toHaveLength(4);
    const b1 = barriers.find((r) => r.surface === 'surface-mini' && r.hop === 'B1')!;
    expect(b1.barrier_forward_eV as number).toBeCloseTo(0.3, 9);
    expect(b1.neb_barrier_eV as number).toBeCloseTo(0.32, 9);
    expect(b1.error_eV as number).toBeCloseTo(-0.02, 9);
    const b2 = barriers.find((r) => r.surface === 'surface-mini' && r.hop === 'B2')!;
    expect(b2.barrier_forward_eV as number).toBeCloseTo(0.5, 9);
    expect(b2.neb_barrier_eV).toBeNull();

    const sites = parse(p.sites);
    expect(sites).toHaveLength(8);
    expect(sites[2]).toMatchObject({ site: 'B1', kind: 'bridge', x_A: 3.2, E_b_eV: 0.3 });

    expect(printed).toContain('surface-mini: 2 hops, percolating barrier 0.500 eV, 1 NEB (MAE 0.012 eV)');
    expect(printed).toContain('surface-mini-V: 2 hops, percolating barrier 0.450 eV');
    expect(printed).toContain('V@MoS2: barrier -0.050 eV (-10.0 %) vs pristine');
  });

  test('--json prints the export with provenance and file hashes', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const code = await run(parseArgs([path.join(fixtures, 'surface-mini'), '--json']));
    const text = String(log.mock.calls[0][0]);
    log.mockRestore();
    expect(code).toBe(0);
    const j = JSON.parse(text);
    expect(j.provenance.muLi.kind).toBe('bcc');
    expect(j.provenance.files.map((f: { path: string }) => f.path)).toContain('surface-mini/labels.csv');
    expect(j.provenance.files.every((f: { sha256: string }) => /^[0-9a-f]{64}$/.test(f.sha256))).toBe(true);
    expect(j.nebSummary.maeEv).toBeCloseTo(0.012, 9);
    expect(j.barriers).toHaveLength(2);
    expect(j.surfaces[0].percolatingBarrierEv).toBeCloseTo(0.5, 9);
  });

  test("a generator's NEB folders: run-level and hidden files are not images, a run without images yet is skipped", async () => {
    const folder = path.join(out, 'surface-mini');
    cpSync(path.join(fixtures, 'surface-mini'), folder, { recursive: true });
    writeFileSync(path.join(folder, 'neb', 'T1-T2', 'summary.json'), '{"energies_eV": [1, 2]}\n');
    writeFileSync(path.join(folder, 'neb', 'T1-T2', '.progress.json'), '{"steps": 9}\n');
    mkdirSync(path.join(folder, 'neb', 'B2'));
    writeFileSync(path.join(folder, 'neb', 'B2', '.progress.json'), '{"steps": 3}\n');
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const code = await run(parseArgs([folder, '--csv', path.join(out, 'generator.csv')]));
    const printed = log.mock.calls.map((c) => String(c[0])).join('\n');
    log.mockRestore();
    expect(code).toBe(0);
    expect(printed).toContain('surface-mini: 2 hops, percolating barrier 0.500 eV, 1 NEB (MAE 0.012 eV)');
    expect(printed).toContain('surface-mini: NEB folders without image folders 00..NN (still running?), skipped: B2');
    expect(parse(path.join(out, 'generator.csv')).filter((r) => r.source === 'neb')).toHaveLength(5);
  });

  test('usage error without --csv or --json', async () => {
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(await run(parseArgs([path.join(fixtures, 'surface-mini')]))).toBe(2);
    err.mockRestore();
  });
});
