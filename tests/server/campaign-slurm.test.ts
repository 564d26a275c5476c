/**
 * A real engine: a GPAW campaign of 2 Li relaxations and 1 climbing-image NEB on a small 2x2 MoS2 cell goes to a
 * local single-node Slurm (scripts/slurm/local-cluster.sh) with sbatch, runs as one job array, is collected and
 * imported back with the command line a user would use, and the stored labels and NEB run are checked against the
 * calculations' own outputs (read with ASE); the profiles route then shows the hop with its NEB run matched. Behind
 * EPDI_SLURM_TESTS=1 (.ci/run sets it and starts the cluster); needs GPAW for /usr/bin/python3.
 *
 * Test settings (recorded in the manifest): scripts/dft/calc.py STANDARD with basis sz(dzp), grid spacing 0.3 A,
 * 1 k-point, Fermi-Dirac 0.1 eV, density convergence 1e-3; cell 2x2 MoS2 (a = 3.16 A), c = 14 A (about 5.4 A of
 * vacuum on each side). One SCF takes about 15 s on one core; a relaxation (height scan) 3 to 6 SCFs. The NEB: the
 * hop between the two relaxed sites, 3 inner images (the middle one on the bridge), fmax 0.1 eV/A, at most 15 BFGS steps
 * (`neb_*` keys of the GPAW settings). E_slab of meta.json: one GPAW SCF of the bare slab with the same settings.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writePoscar } from '@/lib/formats/poscar';
import { writeVolumetric } from '@/lib/formats/volumetric';
import { buildMX2Slab, sampleModelOnGrid, syntheticPotentialModel } from '../fixtures/synthetic';
import {
  clusterDown,
  clusterUp,
  epdi,
  readOutputsWithAse,
  sbatchAndWait,
  slurmTestsEnabled as enabled,
  TEST_GPAW_SETTINGS,
} from './campaign/slurm';
import { ctx, datasetWithSurfaces, setupTempDatabase } from './helpers';
import { settleJobs } from './label-files';

/** The NEB's options (gpawNebScript), beside the coarse GPAW settings: one inner image, loose fmax, capped steps. */
const NEB_OPTIONS = { neb_images: 3, neb_fmax_eV_A: 0.1, neb_max_steps: 15 };

function smallCell(work: string): [string, string][] {
  const structure = buildMX2Slab({ phase: '2H', supercell: [2, 2], cLength: 14 });
  const dims: [number, number, number] = [8, 8, 28];
  const grid = sampleModelOnGrid(syntheticPotentialModel(structure), dims);
  const poscar = writePoscar(structure);
  const slabFile = path.join(work, 'slab.vasp');
  writeFileSync(slabFile, poscar);
  const { E_slab_eV } = JSON.parse(
    execFileSync(
      '/usr/bin/python3',
      [path.join(__dirname, 'campaign', 'slab_energy.py'), slabFile, JSON.stringify(TEST_GPAW_SETTINGS)],
      { encoding: 'utf8' },
    ),
  ) as { E_slab_eV: number };
  return [
    ['MoS2/POSCAR', poscar],
    ['MoS2/LOCPOT', writeVolumetric(structure, dims, [grid.data])],
    ['MoS2/meta.json', JSON.stringify({ host: 'MoS2', phase: '2H', dopant: null, mu_Li_eV: -1.9, E_slab_eV })],
  ];
}

/** In-plane distance (A) of `p` from `q` under the 2x2 cell's translations -1..1 (a = 2 x 3.16 A, 120 degrees). */
function bridgeDistanceA(p: number[], q: number[]): number {
  const [a, b] = buildMX2Slab({ phase: '2H', supercell: [2, 2], cLength: 14 }).lattice;
  let best = Infinity;
  for (let i = -1; i <= 1; i++)
    for (let j = -1; j <= 1; j++)
      best = Math.min(best, Math.hypot(q[0] + i * a[0] + j * b[0] - p[0], q[1] + i * a[1] + j * b[1] - p[1]));
  return best;
}

interface ProfilesBody {
  profiles: {
    surfaces: {
      name: string;
      hops: {
        hop: string;
        knots: { site: string; kind: string; source: string; energyEv: number }[];
        neb: { name: string; reversed: boolean; energyEv: number[] } | null;
      }[];
      nebUnmatched: { name: string; reason: string }[];
    }[];
  };
}

describe.skipIf(!enabled)('GPAW campaign on a local Slurm', () => {
  const temp = enabled ? setupTempDatabase() : { dir: '', cleanup: () => undefined };
  const work = mkdtempSync(path.join(os.tmpdir(), 'epdi-campaign-slurm-'));
  const dir = path.join(work, 'campaign');
  let datasetId = '';
  let eSlab = 0;

  beforeAll(async () => {
    clusterUp();
    const files = smallCell(work);
    eSlab = (JSON.parse(files[2][1]) as { E_slab_eV: number }).E_slab_eV;
    datasetId = await datasetWithSurfaces('slurm-demo', files);
  }, 180_000);

  afterAll(() => {
    clusterDown();
    temp.cleanup();
    rmSync(work, { recursive: true, force: true });
  });

  it(
    'should run the exported array under sbatch and store the energies and the NEB run the calculations wrote',
    async () => {
      const { db } = await import('@/lib/server/db');
      // A T_M <-> H hop: its two end sites are relaxed, the hop itself is the NEB.
      const hop = await db.hop.findFirstOrThrow({
        where: {
          surface: { datasetId },
          fromSite: { kind: { in: ['T_M', 'H'] } },
          toSite: { kind: { in: ['T_M', 'H'] } },
        },
        include: { fromSite: true, toSite: true, saddleSite: true },
        orderBy: { name: 'asc' },
      });
      const t = hop.fromSite.name;
      const h = hop.toSite.name;
      const gpawSettings = { ...TEST_GPAW_SETTINGS, ...NEB_OPTIONS };
      const exported = JSON.parse(
        epdi([
          'campaign',
          'export',
          '--dataset',
          'slurm-demo',
          '--sites',
          `MoS2:${t},MoS2:${h},MoS2:${hop.name}`,
          '--engine',
          'gpaw',
          '--out',
          dir,
          '--python',
          '/usr/bin/python3',
          '--time',
          '00:15:00',
          '--gpaw-settings',
          JSON.stringify(gpawSettings),
          '--json',
        ]),
      ) as {
        manifest: {
          id: string;
          settings: { gpaw: { overrides: unknown } };
          calculations: {
            id: string;
            kind: string;
            labelName: string;
            nebName: string | null;
            images: number | null;
            folder: string;
            site: { appId: string };
          }[];
        };
      };
      const m = exported.manifest;
      expect(m.calculations.map((c) => c.kind)).toEqual(['relax', 'relax', 'neb']);
      expect(m.settings.gpaw.overrides).toEqual(gpawSettings);
      const nebCalc = m.calculations[2];
      expect(nebCalc.images).toBe(NEB_OPTIONS.neb_images);
      expect(nebCalc.site.appId).toBe(hop.saddleSite.name);

      const t0 = Date.now();
      await sbatchAndWait(dir, 9 * 60_000);
      const arrayS = (Date.now() - t0) / 1000;
      const logs = readdirSync(dir).filter((f) => f.startsWith('slurm-'));
      expect(logs).toHaveLength(3); // one log per array task: one array of three tasks
      for (const c of m.calculations) expect(existsSync(path.join(dir, c.folder, 'DONE')), c.id).toBe(true);

      expect(epdi(['campaign', 'collect', dir])).toMatch(/3 of 3 calculation folders/);
      const report = JSON.parse(epdi(['campaign', 'import', path.join(dir, `results-${m.id}.zip`), '--json'])) as {
        status: string;
        calculations: { id: string; status: string }[];
      };
      expect(report.calculations.map((c) => c.status)).toEqual(['stored', 'stored', 'stored']);
      expect(report.status).toBe('complete');

      const outputs = readOutputsWithAse(dir);
      await settleJobs(db);
      const labels = await db.label.findMany({ include: { site: { select: { name: true } } } });
      const labelOf = (name: string): (typeof labels)[number] =>
        labels.find((l) => (JSON.parse(l.provenance) as { site: string }).site === name)!;
      const names = [t, h, hop.saddleSite.name];
      m.calculations.forEach((c, i) => {
        const out = outputs[c.id];
        expect(out.result.converged, c.id).toBe(true);
        expect(out.result.settings).toMatchObject(TEST_GPAW_SETTINGS); // neb_* keys never reach the calculator
        expect(Object.keys(out.result.settings).filter((k) => k.startsWith('neb_'))).toEqual([]);
        const label = labelOf(c.labelName);
        expect(label.site.name).toBe(names[i]);
        expect(label.eTotalEv).toBeCloseTo(out.energy, 6);
        const pos = (JSON.parse(label.provenance) as { position: number[] }).position;
        expect(pos[2]).toBeCloseTo(out.li[0][2], 4);
        if (c.kind === 'relax') expect(out.energy).toBeCloseTo(out.result.E_total_eV!, 5);
      });

      // The NEB: image energies as the script wrote them (result.json and every NN/energy), the highest inner
      // image (within 0.3 A of the bridge) stored as the saddle label above, the run stored with every image.
      const neb = outputs[nebCalc.id];
      const imageE = neb.images!.map((im) => im.energy);
      expect(imageE).toHaveLength(NEB_OPTIONS.neb_images + 2);
      neb.result.energies_eV!.forEach((e, i) => expect(imageE[i]).toBeCloseTo(e, 5));
      expect(neb.result.neb).toMatchObject({ fmax_eV_A: NEB_OPTIONS.neb_fmax_eV_A, images: NEB_OPTIONS.neb_images });
      const run = await db.nebRun.findFirstOrThrow({ where: { name: nebCalc.nebName! } });
      const stored = JSON.parse(run.imagesJson) as { energyEv: number; li: number[] | null }[];
      const top = imageE.indexOf(Math.max(...imageE.slice(1, -1)));
      expect(bridgeDistanceA(neb.images![top].li[0], [hop.saddleSite.x, hop.saddleSite.y])).toBeLessThanOrEqual(0.3);
      expect(neb.li[0]).toEqual(neb.images![top].li[0]);
      expect(stored.map((im) => im.energyEv)).toEqual(imageE.map((e) => expect.closeTo(e, 6)));
      stored.forEach((im, i) => expect(im.li![2]).toBeCloseTo(neb.images![i].li[0][2], 4));

      // Profiles: the hop has its NEB run matched, on the binding-energy scale (E_i - E_slab - mu_Li), and the
      // NEB saddle label as its DFT saddle knot.
      const { GET: profilesRoute } = await import('@/app/api/datasets/[id]/profiles/route');
      const body = (await (
        await profilesRoute(new Request('http://x/profiles'), ctx({ id: datasetId }))
      ).json()) as ProfilesBody;
      const surf = body.profiles.surfaces.find((s) => s.name === 'MoS2')!;
      expect(surf.nebUnmatched).toEqual([]);
      const view = surf.hops.find((x) => x.hop === hop.name)!;
      expect(view.neb?.name).toBe(nebCalc.nebName);
      const binding = imageE.map((e) => e - eSlab + 1.9);
      expect(view.neb!.energyEv).toEqual(
        (view.neb!.reversed ? [...binding].reverse() : binding).map((e) => expect.closeTo(e, 5)),
      );
      const saddle = view.knots[1];
      expect([saddle.site, saddle.kind, saddle.source]).toEqual([nebCalc.labelName, 'bridge', 'dft']);
      expect(saddle.energyEv).toBeCloseTo(neb.energy - eSlab + 1.9, 5);
      console.log(
        `NEB ${nebCalc.nebName}: ${neb.result.steps} BFGS steps, GPAW ${neb.result.wall_s} s, image energies ` +
          `${imageE.map((e) => e.toFixed(4)).join(' ')} eV, highest ${top}; relaxations ` +
          `${m.calculations
            .slice(0, 2)
            .map((c) => outputs[c.id].result.wall_s)
            .join(' s, ')} s; array of 3 tasks ` +
          `${arrayS.toFixed(0)} s from sbatch to an empty queue`,
      );
    },
    15 * 60_000,
  );
});
