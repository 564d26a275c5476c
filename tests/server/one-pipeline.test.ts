/**
 * One pipeline, one answer (issue 13): the same surface folders through (a) `epdi profiles <folders>`, (b) `epdi
 * profiles --dataset` after `importFolders` (what `epdi import` and the upload route store), and (c) GET of the
 * profiles API give the same hops, the same site names and the same barriers (1e-6 eV), on every demo surface and on
 * a synthetic doped 1T surface whose labels carry the user's own names (chosen to collide with the app's ids).
 * (d), barriers.csv downloaded in the browser, is tests/e2e/profiles.spec.ts.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { writePoscar } from '@/lib/formats/poscar';
import { writeVolumetric } from '@/lib/formats/volumetric';
import { findSites } from '@/lib/surface';
import { buildMX2Slab, sampleModelOnGrid, syntheticPotentialModel } from '../fixtures/synthetic';
import { ctx, setupTempDatabase } from './helpers';

const temp = setupTempDatabase();
afterAll(() => temp.cleanup());

const { importFolders } = await import('@/lib/server/import-folder');
const { GET: profilesRoute } = await import('@/app/api/datasets/[id]/profiles/route');
const { run } = await import('@/cli/commands/profiles');
const { parseArgs } = await import('@/cli/args');

const demoDir = path.resolve(__dirname, '../../data/demo');
const work = mkdtempSync(path.join(tmpdir(), 'epdi-one-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * A V-doped 1T slab (synthetic potential) with labels named as a user might: 'T_M-0' on the app's T_M over the
 * dopant's neighbour, 'bridge-1' on a bridge that is not the app's bridge-1, and so on.
 */
function syntheticFolder(): string {
  const structure = buildMX2Slab({ phase: '1T', dopant: { species: 'V' } });
  const dir = path.join(work, 'TiS2-V');
  mkdirSync(dir, { recursive: true });
  const dims: [number, number, number] = [12, 12, 40];
  writeFileSync(path.join(dir, 'POSCAR'), writePoscar(structure));
  writeFileSync(
    path.join(dir, 'LOCPOT'),
    writeVolumetric(structure, dims, [sampleModelOnGrid(syntheticPotentialModel(structure), dims).data]),
  );
  const found = findSites(structure);
  const pick = (kind: string, k: number) => found.sites.filter((s) => s.kind === kind)[k];
  const rows: [string, string, number, { position: number[] }][] = [
    ['T_M-0', 'T_M', -190.5, pick('T_M', 4)],
    ['T_M-4', 'T_M', -190.45, pick('T_M', 0)],
    ['H_X-2', 'H_X', -190.3, pick('H_X', 5)],
    ['bridge-1', 'bridge', -190.0, pick('bridge', 7)],
    ['bridge-3', 'bridge', -190.1, pick('bridge', 1)],
  ];
  writeFileSync(
    path.join(dir, 'labels.csv'),
    'site,kind,x,y,z,E_total_eV\n' +
      rows.map(([n, k, e, s]) => `${n},${k},${s.position[0]},${s.position[1]},${s.position[2] + 0.1},${e}`).join('\n') +
      '\n',
  );
  writeFileSync(
    path.join(dir, 'meta.json'),
    JSON.stringify({ host: 'TiS2', phase: '1T', dopant: 'V', E_slab_eV: -188.0, mu_Li_eV: -1.9 }),
  );
  return dir;
}

const demoFolders = existsSync(demoDir)
  ? readdirSync(demoDir)
      .map((n) => path.join(demoDir, n))
      .filter((d) => existsSync(path.join(d, 'POSCAR')) && existsSync(path.join(d, 'labels.csv')))
      .sort()
  : [];

type Row = Record<string, string | number | null>;
interface Barrier {
  from: string;
  saddle: string;
  to: string;
  forward: number;
  backward: number;
}

function readBarriers(file: string): Map<string, Barrier> {
  const r = Papa.parse<Row>(readFileSync(file, 'utf8'), { header: true, skipEmptyLines: true, dynamicTyping: true });
  expect(r.errors).toEqual([]);
  return new Map(
    r.data.map((b) => [
      `${b.surface}/${b.hop}`,
      {
        from: `${b.from_site} [${b.from_site_id}]`,
        saddle: `${b.saddle_site} [${b.saddle_site_id}]`,
        to: `${b.to_site} [${b.to_site_id}]`,
        forward: b.barrier_forward_eV as number,
        backward: b.barrier_backward_eV as number,
      },
    ]),
  );
}

async function cli(argv: string[]): Promise<void> {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  const code = await run(parseArgs(argv));
  log.mockRestore();
  expect(code).toBe(0);
}

function expectSame(a: Map<string, Barrier>, b: Map<string, Barrier>): void {
  expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
  for (const [key, x] of a) {
    const y = b.get(key)!;
    expect({ key, from: y.from, saddle: y.saddle, to: y.to }).toEqual({ key, from: x.from, saddle: x.saddle, to: x.to });
    expect(Math.abs(y.forward - x.forward)).toBeLessThan(1e-6);
    expect(Math.abs(y.backward - x.backward)).toBeLessThan(1e-6);
  }
}

describe('one pipeline', () => {
  it('CLI folder mode, CLI dataset mode and the profiles API agree hop by hop on every surface', async () => {
    const folders = [...demoFolders, syntheticFolder()];
    const { datasetId } = await importFolders('one-pipeline', folders);

    await cli([...folders, '--csv', path.join(work, 'a', 'profiles.csv'), '--dataset', 'one-pipeline']);
    await cli(['--dataset', 'one-pipeline', '--model', 'none', '--csv', path.join(work, 'b', 'profiles.csv')]);
    const a = readBarriers(path.join(work, 'a', 'barriers.csv'));
    const b = readBarriers(path.join(work, 'b', 'barriers.csv'));

    const res = await profilesRoute(new Request('http://x/profiles?model=none'), ctx({ id: datasetId }));
    expect(res.status).toBe(200);
    const json = (await res.json()).profiles;
    const c = new Map<string, Barrier>();
    for (const s of json.surfaces) {
      for (const h of s.hops) {
        const name = (k: { site: string; siteName: string }) => `${k.site} [${k.siteName}]`;
        c.set(`${s.name}/${h.hop}`, {
          from: name(h.knots[0]),
          saddle: name(h.knots[1]),
          to: name(h.knots[2]),
          forward: h.barrierForwardEv,
          backward: h.barrierBackwardEv,
        });
      }
      // Hop count: one per bridge, the same as lib/surface finds (27 in a 3x3 cell).
      expect(s.hops.length + s.incomplete.length).toBe(27);
    }
    expect(a.size).toBeGreaterThan(27);
    expectSame(a, b);
    expectSame(a, c);

    // The user's names survive, with the app's ids beside them; nothing is renamed to the app's numbering, and an
    // unlabelled app site whose id collides with a user's name is shown as app:<id>.
    const sites = Papa.parse<Row>(readFileSync(path.join(work, 'a', 'sites.csv'), 'utf8'), {
      header: true,
      skipEmptyLines: true,
    }).data.filter((r) => r.surface === 'TiS2-V');
    expect(sites).toHaveLength(27 + 18);
    for (const user of ['T_M-0', 'T_M-4', 'H_X-2', 'bridge-1', 'bridge-3']) {
      const own = sites.filter((r) => r.site === user);
      expect(own).toHaveLength(1);
      expect(own[0].site_id).not.toBe(user);
      expect(sites.find((r) => r.site_id === user)!.site).toMatch(new RegExp(`^(app:${user}|T_M-0|T_M-4|H_X-2|bridge-1|bridge-3)$`));
    }
    expect(sites.filter((r) => String(r.site).startsWith('app:')).length).toBeGreaterThan(0);
    const bSites = Papa.parse<Row>(readFileSync(path.join(work, 'b', 'sites.csv'), 'utf8'), {
      header: true,
      skipEmptyLines: true,
    }).data.filter((r) => r.surface === 'TiS2-V');
    expect(bSites.map((r) => [r.site, r.site_id, r.E_b_eV])).toEqual(sites.map((r) => [r.site, r.site_id, r.E_b_eV]));
  });
});
