/**
 * The campaign loop on the demo dataset (issue 16, "done when"): surfaces of data/demo are imported the way `epdi
 * import` does, the app's own selection (`epdi campaign export --next 2`) picks the calculations, submit.sh runs them
 * with a real sbatch on the local Slurm (scripts/slurm/local-cluster.sh), `epdi campaign collect` packs them and `epdi
 * campaign import` stores them; the stored labels are checked against the outputs read with ASE, and the profiles API
 * (the route the profiles page's data comes from) shows the new DFT knots with the user's site names around them.
 * Behind EPDI_SLURM_TESTS=1 (.ci/run sets it); needs GPAW for /usr/bin/python3.
 *
 * Which demo data, and why:
 * - the two pristine surfaces MoS2 and WS2 only (3x3 cells, 27 atoms + Li; the 7 other surfaces would add their
 *   extraction time and nothing the loop needs);
 * - their labels.csv without the bridge rows: every demo surface is complete (each symmetry group has its label), so
 *   "compute next" would have nothing to choose. With the saddle labels withheld the dataset has no saddle label and
 *   no model, and the selection takes the unlabelled saddle groups (lib/campaign selectNext's rule without a model):
 *   one bridge relaxation per surface. Their NEB folders are left out too (the MoS2 CI-NEB covers that hop).
 *
 * GPAW settings: TEST_GPAW_SETTINGS (tests/server/campaign/slurm.ts; single-zeta basis, h = 0.3 A, Gamma point,
 * recorded in manifest.json), so each height scan is ~1 min of one core. The energies are therefore NOT on the scale
 * of the demo labels (dzp, h = 0.2 A, 2x2 k-points): the new knots' E_b = E_total - E_slab - mu_Li mixes this test's
 * E_total with the demo's E_slab and is off by eV. The test checks the loop (the right numbers in the right places),
 * not the physics of a coarse calculation.
 *
 * Measured: the whole file in 1 min 40 s (see README, Campaigns), 60-70 s of it the two GPAW tasks side by side.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ctx, setupTempDatabase } from './helpers';
import {
  clusterDown,
  clusterUp,
  epdi,
  readOutputsWithAse,
  sbatchAndWait,
  slurmTestsEnabled,
  TEST_GPAW_SETTINGS,
} from './campaign/slurm';

const demoDir = path.resolve(__dirname, '..', '..', 'data', 'demo');
const SURFACES = ['MoS2', 'WS2'];

interface DemoLabel {
  site: string;
  kind: string;
}
interface DemoMeta {
  E_slab_eV: number;
}

/** Copy a demo surface into `root/<name>`: POSCAR, LOCPOT.gz, meta.json, labels.csv without its bridge rows. */
function demoSurfaceWithoutSaddles(name: string, root: string): { dir: string; kept: DemoLabel[] } {
  const dir = path.join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const f of ['POSCAR', 'LOCPOT.gz', 'meta.json']) copyFileSync(path.join(demoDir, name, f), path.join(dir, f));
  const parsed = Papa.parse<Record<string, string>>(readFileSync(path.join(demoDir, name, 'labels.csv'), 'utf8'), {
    header: true,
    skipEmptyLines: true,
  });
  const kept = parsed.data.filter((r) => r.kind !== 'bridge');
  writeFileSync(path.join(dir, 'labels.csv'), Papa.unparse(kept, { columns: parsed.meta.fields }) + '\n');
  return { dir, kept: kept.map((r) => ({ site: r.site, kind: r.kind })) };
}

interface Knot {
  site: string;
  siteName: string;
  kind: string;
  energyEv: number;
  source: string;
  origin: string;
  valueFromSite: string | null;
}
interface ProfilesBody {
  profiles: {
    surfaces: {
      name: string;
      hops: { hop: string; knots: [Knot, Knot, Knot]; barrierForwardEv: number; barrierBackwardEv: number }[];
      incomplete: { hop: string; saddle: string }[];
    }[];
  };
}

describe.skipIf(!slurmTestsEnabled)('a campaign of the demo dataset on a local Slurm', () => {
  const temp = slurmTestsEnabled ? setupTempDatabase() : { dir: '', cleanup: () => undefined };
  const work = mkdtempSync(path.join(os.tmpdir(), 'epdi-campaign-demo-'));
  const dir = path.join(work, 'campaign');
  const kept = new Map<string, DemoLabel[]>();
  let datasetId = '';

  beforeAll(async () => {
    clusterUp();
    const folders = SURFACES.map((s) => {
      const copy = demoSurfaceWithoutSaddles(s, path.join(work, 'demo'));
      kept.set(s, copy.kept);
      return copy.dir;
    });
    const refs = JSON.parse(readFileSync(path.join(demoDir, 'references.json'), 'utf8')) as {
      entries: { E_bcc_per_atom_eV: number }[];
    };
    const { importFolders } = await import('@/lib/server/import-folder');
    ({ datasetId } = await importFolders('demo-campaign', folders, {
      muLiEv: refs.entries[0].E_bcc_per_atom_eV,
      muLiNote: 'bcc Li per atom, data/demo/references.json',
    }));
  }, 180_000);

  afterAll(() => {
    clusterDown();
    temp.cleanup();
    rmSync(work, { recursive: true, force: true });
  });

  it(
    'should compute the saddles the app picks on Slurm and show them as DFT knots of the profiles',
    async () => {
      const { GET: profilesRoute } = await import('@/app/api/datasets/[id]/profiles/route');
      const profiles = async (): Promise<ProfilesBody['profiles']> =>
        ((await (await profilesRoute(new Request('http://x/profiles'), ctx({ id: datasetId }))).json()) as ProfilesBody)
          .profiles;
      const before = await profiles();
      // No saddle label and no model: every hop lacks its saddle knot.
      for (const s of before.surfaces) expect(s.hops, s.name).toEqual([]);

      const exported = JSON.parse(
        epdi([
          'campaign',
          'export',
          '--dataset',
          'demo-campaign',
          '--next',
          '2',
          '--engine',
          'gpaw',
          '--out',
          dir,
          '--python',
          '/usr/bin/python3',
          '--time',
          '00:15:00',
          '--gpaw-settings',
          JSON.stringify(TEST_GPAW_SETTINGS),
          '--json',
        ]),
      ) as {
        manifest: {
          id: string;
          selection: string;
          settings: { gpaw: { overrides: unknown; base: string } };
          calculations: {
            id: string;
            kind: string;
            labelName: string;
            folder: string;
            surface: { name: string };
            site: { appId: string; kind: string };
          }[];
        };
      };
      const m = exported.manifest;
      expect(m.selection).toMatch(/unlabelled saddle groups/);
      expect(m.settings.gpaw).toEqual({ overrides: TEST_GPAW_SETTINGS, base: 'scripts/dft/calc.py STANDARD' });
      // One bridge relaxation per surface, in the dataset's surface order.
      expect(m.calculations.map((c) => [c.kind, c.surface.name, c.site.kind])).toEqual([
        ['relax', 'MoS2', 'bridge'],
        ['relax', 'WS2', 'bridge'],
      ]);
      const waitingHops = new Map(
        before.surfaces.map((s) => [
          s.name,
          s.incomplete.filter((h) => h.saddle === m.calculations.find((c) => c.surface.name === s.name)!.site.appId),
        ]),
      );
      for (const c of m.calculations) expect(waitingHops.get(c.surface.name)!.length, c.id).toBeGreaterThan(0);

      const t0 = Date.now();
      await sbatchAndWait(dir, 8 * 60_000);
      const arrayS = (Date.now() - t0) / 1000;
      expect(readdirSync(dir).filter((f) => f.startsWith('slurm-'))).toHaveLength(2); // one array, two tasks
      for (const c of m.calculations) expect(existsSync(path.join(dir, c.folder, 'DONE')), c.id).toBe(true);

      expect(epdi(['campaign', 'collect', dir])).toMatch(/2 of 2 calculation folders/);
      const report = JSON.parse(epdi(['campaign', 'import', path.join(dir, `results-${m.id}.zip`), '--json'])) as {
        status: string;
        calculations: { id: string; status: string }[];
      };
      expect(report.calculations.map((c) => c.status)).toEqual(['stored', 'stored']);
      expect(report.status).toBe('complete');

      // The outputs, read independently of the app (ASE), and the demo's own E_slab and mu_Li (its JSON files).
      const outputs = readOutputsWithAse(dir);
      const muLi = (
        JSON.parse(readFileSync(path.join(demoDir, 'references.json'), 'utf8')) as {
          entries: { E_bcc_per_atom_eV: number }[];
        }
      ).entries[0].E_bcc_per_atom_eV;
      const { db } = await import('@/lib/server/db');
      const after = await profiles();
      for (const c of m.calculations) {
        const out = outputs[c.id];
        expect(out.result.converged, c.id).toBe(true);
        expect(out.result.settings).toMatchObject(TEST_GPAW_SETTINGS);
        expect(out.energy).toBeCloseTo(out.result.E_total_eV!, 5);
        const label = await db.label.findFirstOrThrow({
          where: { site: { name: c.site.appId, surface: { name: c.surface.name, datasetId } } },
          include: { site: { select: { name: true } } },
        });
        expect((JSON.parse(label.provenance) as { site: string }).site).toBe(c.labelName);
        expect(label.eTotalEv).toBeCloseTo(out.energy, 6);
        const pos = (JSON.parse(label.provenance) as { position: number[] }).position;
        expect(pos[2]).toBeCloseTo(out.li[0][2], 4);
        const meta = JSON.parse(readFileSync(path.join(demoDir, c.surface.name, 'meta.json'), 'utf8')) as DemoMeta;
        const eBinding = out.energy - meta.E_slab_eV - muLi;
        expect(label.eBindingEv).toBeCloseTo(eBinding, 5);

        // Profiles: every hop that waited for this saddle now has it as a DFT knot from the new label, between
        // end knots that carry the user's own labels (H-01, T_M-02 of the demo's labels.csv).
        const surf = after.surfaces.find((s) => s.name === c.surface.name)!;
        const userNames = new Set(kept.get(c.surface.name)!.map((l) => l.site));
        const hopNames = waitingHops.get(c.surface.name)!.map((h) => h.hop);
        expect(surf.incomplete.map((h) => h.hop).filter((h) => hopNames.includes(h))).toEqual([]);
        const hop = surf.hops.find((h) => h.hop === hopNames[0])!;
        const [a, s, b] = hop.knots;
        expect([s.site, s.siteName, s.kind, s.source, s.origin]).toEqual([
          c.labelName,
          c.site.appId,
          'bridge',
          'dft',
          'label',
        ]);
        expect(s.energyEv).toBeCloseTo(eBinding, 5);
        for (const end of [a, b]) {
          expect(end.source).toBe('dft');
          expect(userNames.has(end.valueFromSite ?? end.site), `${end.site} <- ${end.valueFromSite}`).toBe(true);
        }
        expect(hop.barrierForwardEv).toBeCloseTo(s.energyEv - a.energyEv, 6);
        expect(hop.barrierBackwardEv).toBeCloseTo(s.energyEv - b.energyEv, 6);
        console.log(
          `${c.id}: E_total ${out.energy.toFixed(4)} eV (GPAW ${out.result.wall_s} s); hop ${hop.hop} knots ` +
            `${a.site}/${s.site}/${b.site}`,
        );
      }
      console.log(`array of ${m.calculations.length} tasks: ${arrayS.toFixed(0)} s from sbatch to an empty queue`);
    },
    12 * 60_000,
  );
});
