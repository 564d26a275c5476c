/**
 * `epdi profiles <folder>` on real surface folders (data/demo, GPAW): the folder mode runs the one pipeline (the
 * app's sites and hops, labels matched by position), so every number below is checked against hand arithmetic on
 * the folder's own files (labels.csv E_total, meta.json E_slab and mu_Li, the NEB `energy` files) and against
 * minimum-image geometry, not against the code's output.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { afterAll, describe, expect, test, vi } from 'vitest';
import { parseArgs } from '@/cli/args';
import { csvPaths, run } from '@/cli/commands/profiles';

const demo = path.join(__dirname, '../../../data/demo');
const out = mkdtempSync(path.join(tmpdir(), 'epdi-profiles-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

type Row = Record<string, unknown>;

function parse(file: string): Row[] {
  // No options beyond the header: the files are plain RFC 4180 with the header on line 1.
  const r = Papa.parse<Row>(readFileSync(file, 'utf8'), { header: true, skipEmptyLines: true, dynamicTyping: true });
  expect(r.errors).toEqual([]);
  return r.data;
}

/** A copy of a demo surface without its potential (sites and hops need only the structure). */
function copySurface(name: string, as = name): string {
  const dir = path.join(out, 'folders', as);
  cpSync(path.join(demo, name), dir, {
    recursive: true,
    filter: (src) => !/LOCPOT|\.progress/.test(src),
  });
  return dir;
}

async function runCli(argv: string[]): Promise<{ code: number; printed: string; errors: string }> {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  const err = vi.spyOn(console, 'error').mockImplementation(() => {});
  const code = await run(parseArgs(argv));
  const printed = log.mock.calls.map((c) => String(c[0])).join('\n');
  const errors = err.mock.calls.map((c) => String(c[0])).join('\n');
  log.mockRestore();
  err.mockRestore();
  return { code, printed, errors };
}

/** E_total column of labels.csv by site name, read as text. */
function totals(folder: string): Map<string, number> {
  const [head, ...rows] = readFileSync(path.join(folder, 'labels.csv'), 'utf8').trim().split('\n');
  const cols = head.split(',');
  return new Map(rows.map((r) => r.split(',')).map((c) => [c[0], Number(c[cols.indexOf('E_total_eV')])]));
}

describe('epdi profiles <folder>', () => {
  test('pristine MoS2: 27 hops T_M -> bridge -> H, barriers from the labels, the CI-NEB beside its hop', async () => {
    const folder = copySurface('MoS2');
    const csv = path.join(out, 'mos2', 'profiles.csv');
    const { code, printed } = await runCli([folder, '--csv', csv, '--dataset', 'demo']);
    expect(code).toBe(0);
    const p = csvPaths(csv);
    const e = totals(folder);
    const forward = e.get('bridge-08')! - e.get('T_M-02')!;
    const backward = e.get('bridge-08')! - e.get('H-01')!;
    const barriers = parse(p.barriers);
    // One hop per bridge: 27 in a 3x3 cell, every one complete through its symmetry group.
    expect(barriers).toHaveLength(27);
    expect(new Set(barriers.map((b) => b.hop)).size).toBe(27);
    for (const b of barriers) {
      expect(b.barrier_forward_eV as number).toBeCloseTo(forward, 6);
      expect(b.barrier_backward_eV as number).toBeCloseTo(backward, 6);
    }
    // The user's names where the site was computed, the app's ids beside them.
    const own = barriers.find((b) => b.saddle_site === 'bridge-08')!;
    expect(own.saddle_site_id).toMatch(/^bridge-\d+$/);
    expect(own.saddle_site_id).not.toBe('bridge-08');
    // The NEB (H -> T_M, image energies in neb/bridge-08/*/energy) is compared with its hop, reversed.
    const images = ['00', '01', '02', '03', '04', '05', '06'].map((i) =>
      Number(readFileSync(path.join(folder, 'neb', 'bridge-08', i, 'energy'), 'utf8')),
    );
    const withNeb = barriers.filter((b) => b.neb_barrier_eV !== null);
    expect(withNeb).toHaveLength(1);
    expect(withNeb[0].neb_barrier_eV as number).toBeCloseTo(Math.max(...images) - images[6], 6);
    expect(printed).toContain(`MoS2: 27 hops (0 incomplete), percolating barrier ${forward.toFixed(3)} eV, 1 NEB`);
    // Sites: the relaxed Li height of the label, the extraction plane beside it.
    const sites = parse(p.sites);
    const tm = sites.find((s) => s.site === 'T_M-02')!;
    expect(tm.z_A as number).toBeCloseTo(13.7003, 4);
    expect(tm.z_plane_A as number).not.toBeCloseTo(13.7003, 2);
    expect(readFileSync(p.barriers, 'utf8').split('\n')[0].startsWith('dataset,')).toBe(true);
    const sidecar = JSON.parse(readFileSync(p.barriers.replace(/\.csv$/, '.json'), 'utf8'));
    expect(JSON.stringify(sidecar)).toContain('-1.865');
  });

  test('doped 1T ZrS2-V: every hop joins the two hollows next to its bridge (minimum image)', async () => {
    const folder = copySurface('ZrS2-V');
    const csv = path.join(out, 'zrs2v', 'profiles.csv');
    const { code } = await runCli([folder, '--csv', csv]);
    expect(code).toBe(0);
    const p = csvPaths(csv);
    const lattice = readFileSync(path.join(folder, 'POSCAR'), 'utf8')
      .split('\n')
      .slice(2, 4)
      .map((l) => l.trim().split(/\s+/).map(Number));
    const xy = new Map(parse(p.sites).map((s) => [s.site_id as string, [s.x_A as number, s.y_A as number]]));
    const dist = (a: number[], b: number[]): number => {
      let best = Infinity;
      for (let i = -1; i <= 1; i++)
        for (let j = -1; j <= 1; j++)
          best = Math.min(
            best,
            Math.hypot(
              b[0] + i * lattice[0][0] + j * lattice[1][0] - a[0],
              b[1] + i * lattice[0][1] + j * lattice[1][1] - a[1],
            ),
          );
      return best;
    };
    const hollows = [...xy].filter(([id]) => !id.startsWith('bridge'));
    const barriers = parse(p.barriers);
    expect(barriers.length).toBeGreaterThan(0);
    // a / (2 sqrt 3) from a bridge to its two hollows on an ideal 1T lattice (a = 3.69 A): 1.065 A.
    for (const b of barriers) {
      const s = xy.get(b.saddle_site_id as string)!;
      const nearest = hollows.map(([id, q]) => [id, dist(s, q)] as const).sort((x, y) => x[1] - y[1]);
      expect(dist(s, xy.get(b.from_site_id as string)!)).toBeCloseTo(3.69 / (2 * Math.sqrt(3)), 1);
      expect(dist(s, xy.get(b.to_site_id as string)!)).toBeCloseTo(3.69 / (2 * Math.sqrt(3)), 1);
      expect(new Set([b.from_site_id, b.to_site_id])).toEqual(new Set([nearest[0][0], nearest[1][0]]));
    }
  });

  test('a label far from every site is refused, naming the file and line', async () => {
    const folder = copySurface('MoS2', 'MoS2-far');
    const text = readFileSync(path.join(folder, 'labels.csv'), 'utf8').replace('0.0000,0.9180,', '0.0000,0.4500,');
    writeFileSync(path.join(folder, 'labels.csv'), text);
    const { code, errors } = await runCli([folder, '--json']);
    expect(code).toBe(1);
    expect(errors).toMatch(/labels\.csv.*line 4|labels\.csv:4/);
  });

  test('--json: the export with mu_Li and the file hashes', async () => {
    const folder = copySurface('MoS2', 'MoS2-json');
    const { code, printed } = await runCli([folder, '--json']);
    expect(code).toBe(0);
    const j = JSON.parse(printed);
    expect(j.provenance.muLi.kind).toBe('bcc');
    expect(j.provenance.files.map((f: { path: string }) => f.path)).toContain('MoS2-json/labels.csv');
    expect(j.provenance.files.every((f: { sha256: string }) => /^[0-9a-f]{64}$/.test(f.sha256))).toBe(true);
    expect(j.barriers).toHaveLength(27);
  });

  test('usage error without --csv or --json; a bad --mu-li is refused', async () => {
    expect((await runCli([path.join(demo, 'MoS2')])).code).toBe(2);
    const bad = await runCli([path.join(demo, 'MoS2'), '--json', '--mu-li', '1e308']);
    expect(bad.code).toBe(1);
    expect(bad.errors).toContain('mu_Li must lie within');
  });
});
