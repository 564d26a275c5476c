import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePoscar } from '@/lib/formats/poscar';
import { findSites } from '@/lib/surface';
import { setupTempDatabase } from './helpers';

const temp = setupTempDatabase();
afterAll(() => temp.cleanup());

const { importFolders } = await import('@/lib/server/import-folder');
const { db } = await import('@/lib/server/db');
const { levelCorrelation } = await import('@/lib/server/level-correlation');

const demoDir = path.resolve(__dirname, '..', '..', 'data', 'demo');
/** Surfaces whose host calculation has finished: POSCAR, LOCPOT.gz and meta.json all written. */
const surfaces = existsSync(demoDir)
  ? readdirSync(demoDir).filter((d) =>
      ['POSCAR', 'LOCPOT.gz', 'meta.json'].every((f) => existsSync(path.join(demoDir, d, f))),
    )
  : [];

/** Finished CI-NEB runs of scripts/dft/neb.py: `<surface>/neb/<bridge>/` with summary.json written last. */
const nebRuns = surfaces.flatMap((name) => {
  const dir = path.join(demoDir, name, 'neb');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((b) => existsSync(path.join(dir, b, 'summary.json')))
    .map((bridge): [string, string] => [name, bridge]);
});

interface NebSummary {
  energies_eV: number[];
  saddle_image: number;
  saddle_xyz_A: [number, number, number];
}

interface LabelCsvRow {
  site: string;
  kind: string;
  x: number;
  y: number;
  z: number;
  E_total_eV: number;
  E_b_eV: number;
}

describe('the DFT demo dataset (scripts/dft output)', () => {
  it.each(surfaces)('%s: the generated POSCAR has the site counts of a 3x3 MX2 slab', (name) => {
    const meta = JSON.parse(readFileSync(path.join(demoDir, name, 'meta.json'), 'utf8'));
    const structure = parsePoscar(readFileSync(path.join(demoDir, name, 'POSCAR'))).structure;
    const { counts } = findSites(structure);
    const hollow = meta.phase === '1T' ? 'H_X' : 'H';
    expect([counts.T_M, counts[hollow], counts.bridge]).toEqual([9, 9, 27]);
  });

  it.each(surfaces)("%s: the app's symmetry groups are the generator's (same partition of the sites)", (name) => {
    const structure = parsePoscar(readFileSync(path.join(demoDir, name, 'POSCAR'))).structure;
    const generated = JSON.parse(readFileSync(path.join(demoDir, name, '.progress', 'sites.json'), 'utf8')) as {
      name: string;
      kind: string;
      x: number;
      y: number;
      group: number;
    }[];
    const app = findSites(structure);
    const [a, b] = structure.lattice;
    // In-plane distance under the lattice translations (the slab's c is along z).
    const inPlane = (p: readonly number[], x: number, y: number): number => {
      let best = Infinity;
      for (let i = -2; i <= 2; i++)
        for (let j = -2; j <= 2; j++)
          best = Math.min(best, Math.hypot(p[0] + i * a[0] + j * b[0] - x, p[1] + i * a[1] + j * b[1] - y));
      return best;
    };
    expect(app.sites).toHaveLength(generated.length);
    const appGroupOf = new Map<number, Set<number>>();
    const genGroupOf = new Map<number, Set<number>>();
    for (const g of generated) {
      const twin = app.sites.filter((s) => s.kind === g.kind && inPlane(s.position, g.x, g.y) < 0.02);
      expect(twin, `${name} ${g.name}`).toHaveLength(1);
      appGroupOf.set(g.group, (appGroupOf.get(g.group) ?? new Set()).add(twin[0].group));
      genGroupOf.set(twin[0].group, (genGroupOf.get(twin[0].group) ?? new Set()).add(g.group));
    }
    // One app group per generator group and back: the two partitions coincide.
    for (const groups of [...appGroupOf.values(), ...genGroupOf.values()]) expect(groups.size).toBe(1);
    expect(appGroupOf.size).toBe(app.groupCount);
  });

  it('imports one real surface folder: every label lands on a site of its kind with the file energies', async () => {
    expect(surfaces.length).toBeGreaterThan(0);
    const name = surfaces[0];
    const { surfaces: stored, extractions } = await importFolders('demo', [path.join(demoDir, name)]);
    expect(stored).toHaveLength(1);
    const rows = Papa.parse<LabelCsvRow>(readFileSync(path.join(demoDir, name, 'labels.csv'), 'utf8'), {
      header: true,
      dynamicTyping: true,
      skipEmptyLines: true,
    }).data;
    expect(extractions[0].unmatchedLabels).toEqual([]);
    expect(extractions[0].labelsMatched).toBe(rows.length);
    const meta = JSON.parse(readFileSync(path.join(demoDir, name, 'meta.json'), 'utf8'));
    const labels = await db.label.findMany({ include: { site: true } });
    for (const row of rows) {
      const label = labels.find((l) => JSON.parse(l.provenance).site === row.site)!;
      expect(label.site.kind).toBe(row.kind);
      expect(label.eTotalEv).toBeCloseTo(row.E_total_eV, 6);
      // The file's E_b is E_total - E_slab - mu_Li(bcc) from meta.json: check that the three agree.
      expect(row.E_b_eV).toBeCloseTo(row.E_total_eV - meta.E_slab_eV - meta.mu_Li_eV, 4);
      // Stored E_b is recomputed on the one mu_Li record (lib/pipeline/labels.ts), not copied from the rounded column.
      expect(label.eBindingEv).toBeCloseTo(row.E_total_eV - meta.E_slab_eV - meta.mu_Li_eV, 6);
      expect(JSON.parse(label.provenance).matchDistanceA).toBeLessThan(0.3);
    }
    expect(await db.site.count()).toBe(45);
  });

  it.each(nebRuns)(
    '%s: the CI-NEB run %s imports with the energies and saddle of its summary.json',
    async (name, bridge) => {
      const summary = JSON.parse(
        readFileSync(path.join(demoDir, name, 'neb', bridge, 'summary.json'), 'utf8'),
      ) as NebSummary;
      const { surfaces: stored } = await importFolders(`demo neb ${name} ${bridge}`, [path.join(demoDir, name)]);
      const run = await db.nebRun.findFirstOrThrow({ where: { surfaceId: stored[0].id, name: { contains: bridge } } });
      const images = JSON.parse(run.imagesJson) as {
        index: number;
        s: number;
        energyEv: number;
        li: number[] | null;
      }[];
      expect(images.map((i) => i.energyEv)).toEqual(summary.energies_eV.map((e) => expect.closeTo(e, 5)));
      const saddle = images[summary.saddle_image];
      saddle.li!.forEach((v, k) => expect(v).toBeCloseTo(summary.saddle_xyz_A[k], 3));
      expect(images[0].s).toBe(0);
      expect(images[images.length - 1].s).toBeCloseTo(1, 12);
    },
  );

  it('mean E_b of the minima follows the host acceptor level across the demo surfaces', async () => {
    // Surfaces with levels whose minima are all computed (every representative hollow of .progress/sites.json has a
    // row in labels.csv): a half-computed surface's mean minimum is biased towards the sites near the dopant.
    const withLevels = surfaces.filter((name) => {
      if (!('lowest_unoccupied_eV' in JSON.parse(readFileSync(path.join(demoDir, name, 'meta.json'), 'utf8'))))
        return false;
      const sites = JSON.parse(readFileSync(path.join(demoDir, name, '.progress', 'sites.json'), 'utf8')) as {
        name: string;
        kind: string;
        representative: boolean;
      }[];
      const labelled = new Set(
        readFileSync(path.join(demoDir, name, 'labels.csv'), 'utf8')
          .split('\n')
          .map((l) => l.split(',')[0]),
      );
      return sites.filter((s) => s.representative && s.kind !== 'bridge').every((s) => labelled.has(s.name));
    });
    expect(withLevels.length).toBeGreaterThanOrEqual(3);
    const { datasetId } = await importFolders(
      'demo levels',
      withLevels.map((name) => path.join(demoDir, name)),
    );
    const trend = await levelCorrelation(datasetId);
    // Expected from the files alone: meta.json's level (GPAW's potential is zero in the vacuum, so the app's vacuum
    // shift is a few meV at most) and the mean E_b of the labels.csv rows that are not bridges.
    const expected = withLevels.map((name) => {
      const meta = JSON.parse(readFileSync(path.join(demoDir, name, 'meta.json'), 'utf8'));
      const rows = Papa.parse<LabelCsvRow>(readFileSync(path.join(demoDir, name, 'labels.csv'), 'utf8'), {
        header: true,
        dynamicTyping: true,
        skipEmptyLines: true,
      }).data.filter((r) => r.kind !== 'bridge');
      // The acceptor level: E_F where the slab has partly filled states (the Fermi-Dirac occupation of the eigenvalue
      // just below E_F under 99%, or of the one just above over 1%, at the run's width), else the CBM.
      const f = (e: number) => 1 / (1 + Math.exp((e - meta.E_fermi_eV) / meta.settings.width_eV));
      const partly = f(meta.highest_occupied_eV) < 0.99 || f(meta.lowest_unoccupied_eV) > 0.01;
      return {
        name,
        level: (partly ? meta.E_fermi_eV : meta.lowest_unoccupied_eV) as number,
        mean: rows.reduce((a, r) => a + (r.E_total_eV - meta.E_slab_eV - meta.mu_Li_eV), 0) / rows.length,
      };
    });
    expect(trend.surfaces.map((s) => s.surface)).toEqual(withLevels);
    trend.surfaces.forEach((s, i) => {
      expect(s.acceptorLevelEv).toBeCloseTo(expected[i].level, 1);
      expect(s.meanMinimumEv).toBeCloseTo(expected[i].mean, 6);
    });
    // The physics the anchored models rely on: E_b moves about one to one with the level (Li's electron goes there).
    expect(trend.fit!.pearsonR).toBeGreaterThan(0.8);
    expect(trend.fit!.slope).toBeGreaterThan(0.5);
    expect(trend.fit!.slope).toBeLessThan(1.5);
  });
});
