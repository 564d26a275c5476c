/**
 * A real engine: a GPAW campaign of 2 Li relaxations on a small 2x2 MoS2 cell goes to a local single-node Slurm
 * (scripts/slurm/local-cluster.sh) with sbatch, runs as one job array, is collected and imported back with the
 * command line a user would use, and the stored labels are checked against the calculations' own outputs (read with
 * ASE). Behind EPDI_SLURM_TESTS=1 (.ci/run sets it and starts the cluster); needs GPAW for /usr/bin/python3.
 *
 * Test settings (recorded in the manifest): scripts/dft/calc.py STANDARD with basis sz(dzp), grid spacing 0.3 A,
 * 1 k-point, Fermi-Dirac 0.1 eV, density convergence 1e-3; cell 2x2 MoS2 (a = 3.16 A), c = 14 A (about 5.4 A of
 * vacuum on each side). One SCF takes about 15 s on one core; a relaxation (height scan) 3 to 6 SCFs.
 */
import { mkdtempSync, readdirSync, rmSync, existsSync } from 'node:fs';
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
import { datasetWithSurfaces, setupTempDatabase } from './helpers';
import { settleJobs } from './label-files';

function smallCell(): [string, string][] {
  const structure = buildMX2Slab({ phase: '2H', supercell: [2, 2], cLength: 14 });
  const dims: [number, number, number] = [8, 8, 28];
  const grid = sampleModelOnGrid(syntheticPotentialModel(structure), dims);
  return [
    ['MoS2/POSCAR', writePoscar(structure)],
    ['MoS2/LOCPOT', writeVolumetric(structure, dims, [grid.data])],
    ['MoS2/meta.json', JSON.stringify({ host: 'MoS2', phase: '2H', dopant: null, mu_Li_eV: -1.9 })],
  ];
}

describe.skipIf(!enabled)('GPAW campaign on a local Slurm', () => {
  const temp = enabled ? setupTempDatabase() : { dir: '', cleanup: () => undefined };
  const work = mkdtempSync(path.join(os.tmpdir(), 'epdi-campaign-slurm-'));
  const dir = path.join(work, 'campaign');

  beforeAll(async () => {
    clusterUp();
    await datasetWithSurfaces('slurm-demo', smallCell());
  }, 120_000);

  afterAll(() => {
    clusterDown();
    temp.cleanup();
    rmSync(work, { recursive: true, force: true });
  });

  it(
    'should run the exported array under sbatch and store the energies the calculations wrote',
    async () => {
      const { db } = await import('@/lib/server/db');
      const t = (await db.site.findFirstOrThrow({ where: { kind: 'T_M' }, orderBy: { name: 'asc' } })).name;
      const h = (await db.site.findFirstOrThrow({ where: { kind: 'H' }, orderBy: { name: 'asc' } })).name;
      const exported = JSON.parse(
        epdi([
          'campaign',
          'export',
          '--dataset',
          'slurm-demo',
          '--sites',
          `MoS2:${t},MoS2:${h}`,
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
          settings: { gpaw: { overrides: unknown } };
          calculations: { id: string; labelName: string; folder: string }[];
        };
      };
      const m = exported.manifest;
      expect(m.calculations).toHaveLength(2);
      expect(m.settings.gpaw.overrides).toEqual(TEST_GPAW_SETTINGS);

      await sbatchAndWait(dir, 9 * 60_000);
      const logs = readdirSync(dir).filter((f) => f.startsWith('slurm-'));
      expect(logs).toHaveLength(2); // one log per array task: one array of two tasks
      for (const c of m.calculations) expect(existsSync(path.join(dir, c.folder, 'DONE')), c.id).toBe(true);

      expect(epdi(['campaign', 'collect', dir])).toMatch(/2 of 2 calculation folders/);
      const report = JSON.parse(epdi(['campaign', 'import', path.join(dir, `results-${m.id}.zip`), '--json'])) as {
        status: string;
        calculations: { id: string; status: string }[];
      };
      expect(report.calculations.map((c) => c.status)).toEqual(['stored', 'stored']);
      expect(report.status).toBe('complete');

      const outputs = readOutputsWithAse(dir);
      await settleJobs(db);
      const labels = await db.label.findMany({ include: { site: { select: { name: true } } } });
      const names = [t, h];
      m.calculations.forEach((c, i) => {
        const out = outputs[c.id];
        expect(out.result.converged).toBe(true);
        expect(out.energy).toBeCloseTo(out.result.E_total_eV, 5);
        const label = labels.find((l) => (JSON.parse(l.provenance) as { site: string }).site === c.labelName)!;
        expect(label.site.name).toBe(names[i]);
        expect(label.eTotalEv).toBeCloseTo(out.energy, 6);
        const pos = (JSON.parse(label.provenance) as { position: number[] }).position;
        expect(pos[2]).toBeCloseTo(out.li[0][2], 4);
      });
    },
    15 * 60_000,
  );
});
