/**
 * Import with retrain (issue 16: "then retrain (optional, a checkbox) and show how the predicted barriers and their
 * sigmas moved"), without Slurm: the demo's MoS2-V surface is imported with two of its six bridge groups withheld
 * (bridge-03, bridge-17 of its labels.csv), the default model is trained, `next 2` exports a GPAW campaign, and each
 * task runs through the campaign's own submit.sh with a stand-in engine (campaign/replay_gpaw.py) that writes back the
 * withheld DFT label of the picked site's symmetry group (group from the generator's .progress/sites.json). The
 * results archive goes to POST /api/campaigns/[id]/import?retrain=1.
 *
 * Expected values from elsewhere: every hop whose three knots are DFT after the import has the barriers of the demo's
 * labels.csv E_b_eV column (forward E_S - E_A, no sigma); the report's before/after barriers are the ones the profiles
 * route showed before and shows after.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { zipSync } from 'fflate';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BarrierMove } from '@/lib/campaign/moves';
import { ctx, setupTempDatabase } from './helpers';

const temp = setupTempDatabase();
const work = mkdtempSync(path.join(os.tmpdir(), 'epdi-campaign-retrain-'));
afterAll(() => {
  temp.cleanup();
  rmSync(work, { recursive: true, force: true });
});

const { importFolders } = await import('@/lib/server/import-folder');
const { trainDefaultModel } = await import('@/lib/server/default-model');
const { exportCampaign } = await import('@/lib/server/campaigns/export');
const { POST: importRoute } = await import('@/app/api/campaigns/[id]/import/route');
const { GET: profilesRoute } = await import('@/app/api/datasets/[id]/profiles/route');

const demo = path.resolve(__dirname, '..', '..', 'data', 'demo', 'MoS2-V');
const WITHHELD = ['bridge-03', 'bridge-17'];
const hasAse = spawnSync('/usr/bin/python3', ['-c', 'import ase'], { stdio: 'ignore' }).status === 0;

interface Row {
  site: string;
  kind: string;
  z: string;
  E_total_eV: string;
  E_b_eV: string;
}
const parsed = Papa.parse<Row>(readFileSync(path.join(demo, 'labels.csv'), 'utf8'), {
  header: true,
  skipEmptyLines: true,
});
const rows = parsed.data;
const generated = JSON.parse(readFileSync(path.join(demo, '.progress', 'sites.json'), 'utf8')) as {
  name: string;
  x: number;
  y: number;
  group: number;
}[];

interface Knot {
  site: string;
  source: string;
  valueFromSite: string | null;
}
interface HopView {
  hop: string;
  knots: [Knot, Knot, Knot];
  barrierForwardEv: number;
  barrierBackwardEv: number;
  barrierForwardSigmaEv: number | null;
  barrierBackwardSigmaEv: number | null;
}
let datasetId = '';
async function hops(): Promise<HopView[]> {
  const res = await profilesRoute(new Request('http://x/profiles'), ctx({ id: datasetId }));
  const body = (await res.json()) as { profiles: { surfaces: { hops: HopView[] }[] } };
  return body.profiles.surfaces.flatMap((s) => s.hops);
}

/** The generator's symmetry group of the site nearest to (x, y) in the surface plane (3x3 cell, minimum image). */
function groupAt(x: number, y: number, lattice: number[][]): number {
  let best = { d: Infinity, group: -1 };
  for (const g of generated)
    for (let i = -1; i <= 1; i++)
      for (let j = -1; j <= 1; j++) {
        const d = Math.hypot(
          g.x + i * lattice[0][0] + j * lattice[1][0] - x,
          g.y + i * lattice[0][1] + j * lattice[1][1] - y,
        );
        if (d < best.d) best = { d, group: g.group };
      }
  expect(best.d).toBeLessThan(0.05);
  return best.group;
}
const groupOf = (name: string): number => generated.find((g) => g.name === name)!.group;

beforeAll(async () => {
  const dir = path.join(work, 'MoS2-V');
  mkdirSync(dir);
  for (const f of ['POSCAR', 'LOCPOT.gz', 'meta.json']) copyFileSync(path.join(demo, f), path.join(dir, f));
  const kept = rows.filter((r) => !WITHHELD.includes(r.site));
  writeFileSync(path.join(dir, 'labels.csv'), Papa.unparse(kept, { columns: parsed.meta.fields }) + '\n');
  const refs = JSON.parse(readFileSync(path.join(demo, '..', 'references.json'), 'utf8')) as {
    entries: { E_bcc_per_atom_eV: number }[];
  };
  ({ datasetId } = await importFolders('campaign-retrain', [dir], { muLiEv: refs.entries[0].E_bcc_per_atom_eV }));
  expect(await trainDefaultModel(datasetId)).not.toBeNull();
}, 180_000);

describe.skipIf(!hasAse)('campaign import with retrain', () => {
  it('should store the results, retrain the default model and list every hop by the size of its move', async () => {
    const folder = await exportCampaign(datasetId, { engine: 'gpaw', next: 2 });
    const m = folder.manifest;
    const camp = path.join(work, 'campaign');
    for (const [p, text] of folder.files) {
      mkdirSync(path.dirname(path.join(camp, p)), { recursive: true });
      writeFileSync(path.join(camp, p), text);
    }
    // Each picked saddle's withheld demo label (same symmetry group as the picked site).
    // In-plane lattice vectors from the demo POSCAR's text (scale on line 2, a and b on lines 3-4).
    const poscar = readFileSync(path.join(demo, 'POSCAR'), 'utf8').split('\n');
    const structureLattice = [poscar[2], poscar[3]].map((l) =>
      l
        .trim()
        .split(/\s+/)
        .map((v) => Number(v) * Number(poscar[1])),
    );
    const replay: Record<string, { z_A: number; E_total_eV: number; from: string }> = {};
    const newLabels = new Map<string, Row>();
    for (const c of m.calculations) {
      expect(c.site.kind).toBe('bridge');
      const g = groupAt(c.site.position[0], c.site.position[1], structureLattice);
      const row = rows.find((r) => WITHHELD.includes(r.site) && groupOf(r.site) === g);
      expect(row, `${c.site.appId} (group ${g}) is one of the withheld groups`).toBeDefined();
      replay[path.basename(c.folder)] = {
        z_A: Number(row!.z),
        E_total_eV: Number(row!.E_total_eV),
        from: `data/demo/MoS2-V/labels.csv ${row!.site}`,
      };
      newLabels.set(c.labelName, row!);
    }
    writeFileSync(path.join(work, 'replay.json'), JSON.stringify(replay));
    m.calculations.forEach((_, i) => {
      const r = spawnSync('bash', ['submit.sh', String(i)], {
        cwd: camp,
        env: {
          ...process.env,
          EPDI_PYTHON: `/usr/bin/python3 ${path.join(__dirname, 'campaign', 'replay_gpaw.py')}`,
          EPDI_REPLAY: path.join(work, 'replay.json'),
        },
        encoding: 'utf8',
      });
      expect(r.status, r.stderr).toBe(0);
    });

    const before = await hops();
    const files: Record<string, Uint8Array> = {};
    const walk = (rel: string): void => {
      for (const e of readdirSync(path.join(camp, rel), { withFileTypes: true })) {
        const p = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) walk(p);
        else files[p] = new Uint8Array(readFileSync(path.join(camp, p)));
      }
    };
    walk('');
    const zip = zipSync(files);
    const res = await importRoute(
      new Request('http://x/import?retrain=1', { method: 'POST', body: zip }),
      ctx({ id: m.id }),
    );
    expect(res.status).toBe(200);
    const { report } = (await res.json()) as {
      report: {
        status: string;
        calculations: { status: string }[];
        retrain: {
          retrained: boolean;
          message: string;
          modelBefore: { id: string } | null;
          modelAfter: { id: string } | null;
          moves: BarrierMove[];
        };
      };
    };
    expect(report.calculations.map((c) => c.status)).toEqual(['stored', 'stored']);
    const r = report.retrain;
    expect(r.retrained, r.message).toBe(true);
    expect(r.modelAfter!.id).not.toBe(r.modelBefore!.id);
    const after = await hops();

    // The report's numbers are the profiles page's, before and after.
    const moved = new Map(r.moves.map((x) => [x.hop, x]));
    expect(moved.size).toBe(new Set([...before, ...after].map((h) => h.hop)).size);
    for (const h of before) {
      const x = moved.get(h.hop)!;
      expect([x.before!.forwardEv, x.before!.forwardSigmaEv, x.before!.backwardEv]).toEqual([
        h.barrierForwardEv,
        h.barrierForwardSigmaEv,
        h.barrierBackwardEv,
      ]);
    }
    // Largest move first.
    const sizes = r.moves.filter((x) => x.status === 'moved').map((x) => x.sizeEv!);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));

    // Hops with three DFT knots have the demo's own barriers (labels.csv E_b_eV), and no sigma.
    const eb = new Map<string, number>(rows.map((row) => [row.site, Number(row.E_b_eV)]));
    for (const [name, row] of newLabels) eb.set(name, Number(row.E_b_eV));
    const touched = after.filter((h) => newLabels.has(h.knots[1].valueFromSite ?? h.knots[1].site));
    expect(touched.length).toBeGreaterThan(0);
    for (const h of touched) {
      expect(h.knots.map((k) => k.source)).toEqual(['dft', 'dft', 'dft']);
      const [a, s, b] = h.knots.map((k) => eb.get(k.valueFromSite ?? k.site)!);
      const x = moved.get(h.hop)!;
      expect(x.after!.forwardEv).toBeCloseTo(s - a, 4);
      expect(x.after!.backwardEv).toBeCloseTo(s - b, 4);
      expect([x.after!.forwardSigmaEv, x.after!.backwardSigmaEv]).toEqual([null, null]);
      expect(x.after!.saddleSource).toBe('dft');
    }

    // A second import of the same archive stores nothing new: no retrain, no barrier moves.
    const again = await importRoute(
      new Request('http://x/import?retrain=1', { method: 'POST', body: zip }),
      ctx({ id: m.id }),
    );
    const second = ((await again.json()) as { report: typeof report }).report;
    expect(second.calculations.map((c) => c.status)).toEqual(['already-stored', 'already-stored']);
    expect([second.retrain.retrained, second.retrain.message]).toEqual([
      false,
      'nothing new was stored: not retrained',
    ]);
    expect(second.retrain.moves.every((x) => x.status === 'moved' && x.sizeEv === 0)).toBe(true);
  }, 300_000);

  it('should refuse a retrain flag that is not one', async () => {
    const res = await importRoute(
      new Request('http://x/import?retrain=maybe', { method: 'POST', body: 'x' }),
      ctx({ id: 'x' }),
    );
    expect(res.status).toBe(422);
  });
});
