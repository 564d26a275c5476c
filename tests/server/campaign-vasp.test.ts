/**
 * A VASP campaign end to end without a cluster: export from a stored dataset, independent readers (pymatgen, ASE via
 * /usr/bin/python3) on the inputs, every NEB image on the straight minimum-image path, submit.sh's tasks run with a
 * stand-in for VASP (and a stand-in POTCAR library), then the import through the upload path; bad input (a modified
 * POSCAR, another campaign's archive, a half-finished array, a duplicate import) reported per calculation with nothing
 * stored changed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetWithSurfaces, setupTempDatabase } from './helpers';
import { settleJobs } from './label-files';
import { smallSurfaceFiles } from './surface-files';

const temp = setupTempDatabase();
const work = mkdtempSync(path.join(os.tmpdir(), 'epdi-campaign-vasp-'));
afterAll(() => {
  temp.cleanup();
  rmSync(work, { recursive: true, force: true });
});

const { db } = await import('@/lib/server/db');
const { exportCampaign } = await import('@/lib/server/campaigns/export');
const { importCampaignResults } = await import('@/lib/server/campaigns/import');
const { readCampaignResults } = await import('@/lib/server/campaigns/read');

const python = '/usr/bin/python3';
const hasPython = spawnSync(python, ['-c', 'import pymatgen.io.vasp, ase'], { stdio: 'ignore' }).status === 0;
const fakeVasp = path.join(__dirname, 'campaign', 'fake-vasp.sh');

type Folder = Awaited<ReturnType<typeof exportCampaign>>;

function writeFolder(folder: Folder, dir: string): void {
  for (const [p, text] of folder.files) {
    mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    writeFileSync(path.join(dir, p), text);
  }
}

/** A stand-in pseudopotential library: potpaw_PBE/<name>/POTCAR with a TITEL line. */
function fakePotcars(dir: string): string {
  for (const name of ['Li_sv', 'Mo_pv', 'S', 'V_pv']) {
    mkdirSync(path.join(dir, 'potpaw_PBE', name), { recursive: true });
    writeFileSync(
      path.join(dir, 'potpaw_PBE', name, 'POTCAR'),
      `  PAW_PBE ${name} 01Jan2000\n   TITEL  = PAW_PBE ${name}\n`,
    );
  }
  return dir;
}

function runTask(
  dir: string,
  index: number,
  env: Record<string, string> = {},
): { status: number | null; stderr: string } {
  const r = spawnSync('bash', ['submit.sh', String(index)], {
    cwd: dir,
    env: { ...process.env, EPDI_VASP: fakeVasp, VASP_PP_PATH: fakePotcars(path.join(work, 'pp')), ...env },
    encoding: 'utf8',
  });
  return { status: r.status, stderr: r.stderr };
}

/** Stored labels of the dataset by their user name (provenance.site). */
async function labels(): Promise<Map<string, { eTotalEv: number | null; position: number[]; kind: string }>> {
  await settleJobs(db);
  const rows = await db.label.findMany({ include: { site: { select: { name: true } } } });
  return new Map(
    rows.map((r) => {
      const p = JSON.parse(r.provenance) as { site: string; position: number[] };
      return [p.site, { eTotalEv: r.eTotalEv, position: p.position, kind: r.site.name }];
    }),
  );
}

async function snapshot(): Promise<unknown> {
  await settleJobs(db);
  const s = await db.surface.findMany({
    select: { labelsJson: true, nebRuns: { select: { name: true, imagesJson: true } } },
  });
  return { s, labels: await db.label.count(), sites: await db.site.count() };
}

let folder: Folder;
const dir = path.join(work, 'campaign');
let hollow = '';
let hop = '';

beforeAll(async () => {
  await datasetWithSurfaces('campaign-vasp', smallSurfaceFiles('MoS2-V').files);
  const site = await db.site.findFirstOrThrow({ where: { kind: 'H' }, orderBy: { name: 'asc' } });
  hollow = site.name;
  hop = (await db.hop.findFirstOrThrow({ orderBy: { name: 'asc' } })).name;
  folder = await exportCampaign('campaign-vasp', {
    engine: 'vasp',
    sites: [`MoS2-V:${hollow}`, `MoS2-V:${hop}`],
    vasp: { encutEv: 520, functional: 'PBE', vdw: 'D3BJ', kpoints: [4, 4, 1], nebImages: 5 },
    slurm: { partition: 'short', account: 'proj42', time: '02:00:00', modules: ['vasp/6.4.2'] },
  });
  writeFolder(folder, dir);
}, 120_000);

describe('VASP campaign export', () => {
  it('should record the campaign with its manifest', async () => {
    const row = await db.campaign.findUniqueOrThrow({ where: { id: folder.manifest.id } });
    expect(row.status).toBe('exported');
    expect(row.total).toBe(2);
    const m = folder.manifest;
    expect(m.calculations.map((c) => [c.kind, c.site.kind])).toEqual([
      ['relax', 'H'],
      ['neb', 'bridge'],
    ]);
    expect(m.calculations[1].hop?.appId).toBe(hop);
    expect(m.muLi.valueEv).toBe(-1.9);
  });

  it('should write one job array with the requested resources and never ship POTCAR', () => {
    const submit = readFileSync(path.join(dir, 'submit.sh'), 'utf8');
    expect(submit).toContain('#SBATCH --array=0-1\n');
    expect(submit).toContain('#SBATCH --partition=short\n');
    expect(submit).toContain('#SBATCH --account=proj42\n');
    expect(submit).toContain('#SBATCH --time=02:00:00\n');
    expect(submit).toContain('module load vasp/6.4.2\n');
    expect([...folder.files.keys()].some((p) => /POTCAR$/.test(p))).toBe(false);
  });

  it.skipIf(!hasPython)(
    'should give inputs that pymatgen and ASE read, with NEB images on the straight minimum-image path',
    () => {
      const out = JSON.parse(
        execFileSync(python, [path.join(__dirname, 'campaign', 'check_vasp_inputs.py'), dir], { encoding: 'utf8' }),
      );
      const [relax, neb] = out.calcs;
      const site = folder.manifest.calculations[0].site.position;
      expect(relax.n_li).toBe(1);
      relax.li.forEach((v: number, k: number) => expect(v).toBeCloseTo(site[k], 6));
      expect(relax.li_flags).toEqual([false, false, true]);
      expect(relax.host_frozen).toBe(true);
      expect(relax.species).toEqual(['V', 'Mo', 'S', 'Li']); // first appearance: the dopant is atom 0
      expect(relax.incar).toMatchObject({
        ENCUT: 520,
        GGA: 'Pe',
        IVDW: 12,
        LDIPOL: true,
        IDIPOL: 3,
        IBRION: 2,
        NSW: 100,
      });
      expect(relax.kpoints).toEqual([4, 4, 1]);
      expect(relax.kpoints_style).toMatch(/Gamma/);
      expect(neb.incar).toMatchObject({ IMAGES: 5, SPRING: -5, LCLIMB: true, IBRION: 3 });
      expect(neb.images).toBe(7);
      expect(neb.max_offset_from_line).toBeLessThan(1e-6);
      neb.t.forEach((t: number, i: number) => expect(t).toBeCloseTo(i / 6, 6));
      // A hollow-to-hollow hop through a bridge on this 3.16 A lattice: a0 / sqrt(3) = 1.824 A.
      expect(neb.hop_length).toBeCloseTo(3.16 / Math.sqrt(3), 3);
    },
  );
});

describe('VASP campaign import', () => {
  it('should refuse to run a task whose POSCAR was modified, and report it', async () => {
    const copy = path.join(work, 'modified');
    cpSync(dir, copy, { recursive: true });
    const poscar = path.join(copy, folder.manifest.calculations[0].folder, 'POSCAR');
    writeFileSync(poscar, readFileSync(poscar, 'utf8').replace('Li', 'Li ').trimEnd() + '\n\n');
    const r = runTask(copy, 0);
    expect(r.status).not.toBe(0);
    expect(readFileSync(path.join(copy, folder.manifest.calculations[0].folder, 'FAILED'), 'utf8')).toMatch(
      /inputs changed/,
    );
    const before = await snapshot();
    const report = await importCampaignResults(await readCampaignResults(copy));
    expect(report.calculations.map((c) => c.status)).toEqual(['inputs-changed', 'not-run']);
    expect(await snapshot()).toEqual(before);
  });

  it('should say clearly when VASP_PP_PATH is missing', () => {
    const copy = path.join(work, 'nopp');
    cpSync(dir, copy, { recursive: true });
    const r = runTask(copy, 0, { VASP_PP_PATH: '' });
    expect(r.status).not.toBe(0);
    expect(readFileSync(path.join(copy, folder.manifest.calculations[0].folder, 'engine.log'), 'utf8')).toMatch(
      /POTCAR missing: set VASP_PP_PATH/,
    );
  });

  it('should store a half-finished array as partly returned, then the rest, then nothing on a duplicate', async () => {
    expect(runTask(dir, 0).status).toBe(0);
    const titles = readFileSync(path.join(dir, folder.manifest.calculations[0].folder, 'potcar.titles'), 'utf8');
    expect(titles.match(/PAW_PBE \S+/g)).toEqual(['PAW_PBE V_pv', 'PAW_PBE Mo_pv', 'PAW_PBE S', 'PAW_PBE Li_sv']);
    const first = await importCampaignResults(await readCampaignResults(dir));
    expect(first.calculations.map((c) => c.status)).toEqual(['stored', 'not-run']);
    expect(first.status).toBe('partly returned');
    const relax = folder.manifest.calculations[0];
    const stored = (await labels()).get(relax.labelName)!;
    expect(stored.eTotalEv).toBeCloseTo(-190.25, 9);
    expect(stored.kind).toBe(hollow);

    // A task run again after DONE leaves the finished result as it is.
    const outcar = readFileSync(path.join(dir, relax.folder, 'OUTCAR'));
    expect(runTask(dir, 0, { FAKE_VASP_CONVERGED: 'no' }).status).toBe(0);
    expect(readFileSync(path.join(dir, relax.folder, 'OUTCAR'))).toEqual(outcar);

    expect(runTask(dir, 1).status).toBe(0);
    execFileSync('bash', ['collect.sh'], { cwd: dir, stdio: 'pipe' });
    const archive = path.join(dir, `results-${folder.manifest.id}.tar.gz`);
    const second = await importCampaignResults(await readCampaignResults(archive));
    expect(second.calculations.map((c) => c.status)).toEqual(['already-stored', 'stored']);
    expect(second.status).toBe('complete');
    const neb = folder.manifest.calculations[1];
    const all = await labels();
    // Highest image: 03 of 00..06 at -190.4 eV (the stand-in's energies), stored as the saddle label on the bridge.
    expect(all.get(neb.labelName)?.eTotalEv).toBeCloseTo(-190.4, 9);
    expect(all.get(neb.labelName)?.kind).toBe(neb.site.appId);
    const run = await db.nebRun.findFirstOrThrow({ where: { name: neb.nebName! } });
    expect((JSON.parse(run.imagesJson) as { energyEv: number }[]).map((i) => i.energyEv)).toEqual([
      -190.5, -190.466667, -190.433333, -190.4, -190.433333, -190.466667, -190.5,
    ]);

    const before = await snapshot();
    const third = await importCampaignResults(await readCampaignResults(dir));
    expect(third.calculations.map((c) => c.status)).toEqual(['already-stored', 'already-stored']);
    expect(await snapshot()).toEqual(before);
    const row = await db.campaign.findUniqueOrThrow({ where: { id: folder.manifest.id } });
    expect([row.status, row.returned]).toEqual(['complete', 2]);
  });

  it('should refuse the results of another campaign', async () => {
    const other = await exportCampaign('campaign-vasp', { engine: 'vasp', sites: [`MoS2-V:${hollow}`] });
    const before = await snapshot();
    const report = await importCampaignResults(await readCampaignResults(dir), { campaignId: other.manifest.id });
    expect(report.calculations.map((c) => c.status)).toEqual(['foreign']);
    expect(report.calculations[0].message).toContain(folder.manifest.id);
    expect(await snapshot()).toEqual(before);
    expect(existsSync(path.join(dir, 'manifest.json'))).toBe(true);
  });
});
