/**
 * The default model of a dataset with several labelled surfaces must also predict a surface nobody has computed.
 * The demo surfaces are imported with ZrS2-Ti's labels withheld (its folder without labels.csv, as a user uploads a
 * new dopant); the default is then chosen by leave one surface out and its stored predictions for ZrS2-Ti are
 * compared with the withheld GPAW labels (data/demo/ZrS2-Ti/labels.csv, read here with Papa). An anchored or
 * constant model would put every ZrS2-Ti minimum at the training surfaces' mean level, ~0.8 eV off.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { afterAll, describe, expect, it } from 'vitest';
import { setupTempDatabase } from './helpers';

const temp = setupTempDatabase();
const work = mkdtempSync(path.join(tmpdir(), 'epdi-default-new-'));
afterAll(() => {
  temp.cleanup();
  rmSync(work, { recursive: true, force: true });
});

const { importFolders } = await import('@/lib/server/import-folder');
const { trainDefaultModel } = await import('@/lib/server/default-model');
const { db } = await import('@/lib/server/db');

const demoDir = path.resolve(__dirname, '../../data/demo');
const HELD = 'ZrS2-Ti';
/** The a and b vectors (x, y) of a POSCAR, scaled. */
function poscarLattice(text: string): [[number, number], [number, number]] {
  const lines = text.split('\n');
  const scale = Number(lines[1].trim());
  const vec = (i: number): [number, number] => {
    const [x, y] = lines[i].trim().split(/\s+/).map(Number);
    return [x * scale, y * scale];
  };
  return [vec(2), vec(3)];
}

/** Minimum-image in-plane distance over the neighbouring cells. */
function inPlaneDistance(l: [[number, number], [number, number]], p: [number, number], q: [number, number]): number {
  let best = Infinity;
  for (let i = -2; i <= 2; i++)
    for (let j = -2; j <= 2; j++)
      best = Math.min(best, Math.hypot(p[0] - q[0] + i * l[0][0] + j * l[1][0], p[1] - q[1] + i * l[0][1] + j * l[1][1]));
  return best;
}

const complete = (d: string): boolean => existsSync(path.join(d, 'POSCAR')) && existsSync(path.join(d, 'labels.csv'));

describe.skipIf(!existsSync(path.join(demoDir, HELD, 'labels.csv')))('default model on a dataset with an unlabelled surface', () => {
  it('is chosen by leave one surface out and predicts the new surface near its withheld DFT labels', async () => {
    const others = readdirSync(demoDir)
      .filter((n) => n !== HELD)
      .map((n) => path.join(demoDir, n))
      .filter(complete);
    const held = path.join(work, HELD);
    mkdirSync(held);
    for (const f of readdirSync(path.join(demoDir, HELD)))
      if (f !== 'labels.csv' && !f.startsWith('.')) copyFileSync(path.join(demoDir, HELD, f), path.join(held, f));
    const refs = JSON.parse(readFileSync(path.join(demoDir, 'references.json'), 'utf8')) as { E_bcc_per_atom_eV: number };
    const { datasetId } = await importFolders('default-new', [...others, held], { muLiEv: refs.E_bcc_per_atom_eV });

    const result = await trainDefaultModel(datasetId);
    expect(result).not.toBeNull();
    expect(result!.chosenBy).toMatch(/leave one surface out/);
    expect(result!.model).toMatch(/^site-relative\[/);
    const anchored = result!.chosenFrom.find((c) => c.model === 'mean/anchored')!;
    const chosen = result!.chosenFrom.find((c) => c.model === result!.model)!;
    expect(chosen.maeEv).toBeLessThan(anchored.maeEv / 2);

    const rows = await db.prediction.findMany({
      where: { modelId: result!.modelId, site: { surface: { name: HELD } } },
      select: { valueEv: true, sigmaEv: true, site: { select: { name: true, kind: true, x: true, y: true } } },
    });
    const labels = Papa.parse<Record<string, string>>(readFileSync(path.join(demoDir, HELD, 'labels.csv'), 'utf8'), {
      header: true,
      skipEmptyLines: true,
    }).data;
    const minima = labels.filter((l) => l.kind !== 'bridge');
    expect(minima.length).toBeGreaterThan(3);
    const lattice = poscarLattice(readFileSync(path.join(demoDir, HELD, 'POSCAR'), 'utf8'));
    const near = (l: Record<string, string>) => {
      const hit = rows.filter((r) => r.site.kind === l.kind && inPlaneDistance(lattice, [r.site.x, r.site.y], [Number(l.x), Number(l.y)]) < 0.2);
      expect(hit.length, `${l.site}`).toBe(1);
      return hit[0];
    };
    const predicted = new Map(minima.map((l) => [l.site, near(l)]));
    const errors = minima.map((l) => predicted.get(l.site)!.valueEv - Number(l.E_b_eV));
    const mae = errors.reduce((a, e) => a + Math.abs(e), 0) / errors.length;
    expect(mae).toBeLessThan(0.15);
    for (const l of minima) expect(predicted.get(l.site)!.sigmaEv).toBeGreaterThan(0);
    // Site-resolved, not one level: the predicted minima differ from site to site.
    const values = minima.map((l) => predicted.get(l.site)!.valueEv);
    expect(Math.max(...values) - Math.min(...values)).toBeGreaterThan(0.02);
  }, 600_000);

  it('a surface uploaded later is predicted at once: the default model is refitted, same model', async () => {
    const dataset = await db.dataset.findUniqueOrThrow({ where: { name: 'default-new' } });
    const before = await db.model.findFirstOrThrow({ where: { datasetId: dataset.id }, select: { id: true, name: true } });
    // A copy of a demo surface under a new name and without labels, as a user uploads a new dopant.
    const fresh = path.join(work, 'ZrS2-Ti-copy');
    mkdirSync(fresh);
    for (const f of readdirSync(path.join(demoDir, HELD)))
      if (f !== 'labels.csv' && !f.startsWith('.')) copyFileSync(path.join(demoDir, HELD, f), path.join(fresh, f));
    await importFolders('default-new', [fresh]);
    const models = await db.model.findMany({ where: { datasetId: dataset.id }, select: { id: true, name: true } });
    expect(models).toHaveLength(1);
    expect(models[0].id).not.toBe(before.id);
    expect(models[0].name).toBe(before.name);
    const sites = await db.site.count({ where: { surface: { name: 'ZrS2-Ti-copy', datasetId: dataset.id } } });
    const predicted = await db.prediction.count({ where: { modelId: models[0].id, site: { surface: { name: 'ZrS2-Ti-copy' } } } });
    expect(sites).toBeGreaterThan(40);
    expect(predicted).toBe(sites);
  }, 600_000);
});
