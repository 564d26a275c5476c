/**
 * The demo's default model (lib/server/default-model.ts) on a surface whose saddles sit exactly 0.15 eV above the mean
 * of their two end minima: an anchored model must win with zero held-out error, and the stored predictions of the
 * unlabelled bridges must be (E_A + E_B) / 2 + 0.15, worked out here from the labels alone.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { findSites } from '@/lib/surface';
import { syntheticBindingEnergy, syntheticPotentialModel } from '../fixtures/synthetic';
import { datasetWithSurfaces, setupTempDatabase } from './helpers';
import { smallSurfaceFiles } from './surface-files';

const temp = setupTempDatabase();
afterAll(() => temp.cleanup());

/** Runs once before the next trainAndStore call (a refit racing another extraction), then the real fit proceeds. */
const race = vi.hoisted(() => ({ before: null as null | (() => Promise<void>) }));
vi.mock('@/lib/server/train-server', async (original) => {
  const real = await original<typeof import('@/lib/server/train-server')>();
  return {
    ...real,
    trainAndStore: async (...args: Parameters<typeof real.trainAndStore>) => {
      const before = race.before;
      race.before = null;
      if (before) await before();
      return real.trainAndStore(...args);
    },
  };
});

const { trainDefaultModel, refreshDefaultModel } = await import('@/lib/server/default-model');
const { extractStoredSurface } = await import('@/lib/server/extraction');
const { HttpError } = await import('@/lib/server/http');
const { db } = await import('@/lib/server/db');

const E_SLAB_EV = -188.0;
const MU_LI_EV = -1.9;
const EXCESS_EV = 0.15;
const LABELLED_BRIDGES = 12;

/** Hollows: the synthetic E_b, averaged over each symmetry group; bridges: mean of the end groups + EXCESS_EV. */
function anchoredLabels() {
  const { files, structure } = smallSurfaceFiles('MoS2-V');
  const model = syntheticPotentialModel(structure);
  const { sites } = findSites(structure, { heightA: 1.5 });
  const groupSum = new Map<number, number[]>();
  for (const s of sites.filter((x) => x.kind !== 'bridge'))
    groupSum.set(s.group, [...(groupSum.get(s.group) ?? []), syntheticBindingEnergy(model, s.position)]);
  const groupMean = (g: number) => groupSum.get(g)!.reduce((a, b) => a + b, 0) / groupSum.get(g)!.length;
  const expected = new Map<string, number>();
  for (const s of sites) {
    const eb = s.hollows
      ? (groupMean(sites[s.hollows[0]].group) + groupMean(sites[s.hollows[1]].group)) / 2 + EXCESS_EV
      : groupMean(s.group);
    expected.set(s.id, eb);
  }
  const bridges = sites.filter((s) => s.kind === 'bridge');
  const labelled = [...sites.filter((s) => s.kind !== 'bridge'), ...bridges.slice(0, LABELLED_BRIDGES)];
  const rows = labelled.map(
    (s) =>
      `${s.id},${s.kind},${s.position.map((v) => v.toFixed(6)).join(',')},${(expected.get(s.id)! + E_SLAB_EV + MU_LI_EV).toFixed(9)},test`,
  );
  const labels = ['site,kind,x,y,z,E_total_eV,method', ...rows].join('\n') + '\n';
  return {
    files: files.map(([p, c]): [string, string] => [p, p.endsWith('labels.csv') ? labels : c]),
    expected,
    unlabelledBridges: bridges.slice(LABELLED_BRIDGES).map((s) => s.id),
  };
}

const data = anchoredLabels();
let datasetId = '';

beforeAll(async () => {
  datasetId = await datasetWithSurfaces('default model', data.files, { pixels: 16 });
}, 120_000);

describe('default model of a dataset', () => {
  it('chooses an anchored model with zero held-out error and stores (E_A + E_B) / 2 + 0.15 for unlabelled bridges', async () => {
    const result = await trainDefaultModel(datasetId);
    expect(result).not.toBeNull();
    expect(result!.model).toMatch(/\/anchored$/);
    const chosen = result!.chosenFrom.find((c) => c.model === result!.model)!;
    expect(chosen.maeEv).toBeLessThan(1e-6);
    expect(Math.min(...result!.chosenFrom.map((c) => c.maeEv))).toBe(chosen.maeEv);
    const plainMean = result!.chosenFrom.find((c) => c.model === 'mean')!;
    expect(plainMean.maeEv).toBeGreaterThan(0.01);

    const predictions = await db.prediction.findMany({
      where: { modelId: result!.modelId, site: { kind: 'bridge' } },
      select: { valueEv: true, site: { select: { name: true } } },
    });
    const byName = new Map(predictions.map((p) => [p.site.name, p.valueEv]));
    expect(data.unlabelledBridges.length).toBeGreaterThan(0);
    for (const name of data.unlabelledBridges) expect(byName.get(name)).toBeCloseTo(data.expected.get(name)!, 6);
  }, 120_000);

  it('a second run replaces the first default model', async () => {
    const second = await trainDefaultModel(datasetId);
    const models = await db.model.findMany({ where: { datasetId }, select: { id: true, name: true } });
    expect(models.map((m) => m.id)).toEqual([second!.modelId]);
    // Same name, not "v2": later refreshes find it by its suffix.
    expect(models[0].name).toMatch(/\(default: lowest held-out MAE\)$/);
  }, 120_000);

  it('a refit whose sites were replaced by another extraction meanwhile fits again on the current sites', async () => {
    const surface = await db.surface.findFirstOrThrow({ where: { datasetId }, select: { id: true } });
    const before = new Set((await db.site.findMany({ where: { surfaceId: surface.id }, select: { id: true } })).map((s) => s.id));
    // The other job re-extracts the surface (new site ids), and the fit that read the old sites fails on storing,
    // as createModel does: its training sites are no longer sites of the dataset.
    race.before = async () => {
      await extractStoredSurface(surface.id);
      throw new HttpError(422, 'unknown_sites', '52 training site ids are not sites of this dataset');
    };
    const messages: string[] = [];
    const result = await refreshDefaultModel(datasetId, (_, m) => messages.push(m));
    expect(result).not.toBeNull();
    expect(messages).toContain('the dataset changed during the refit; refitting on its current sites');
    const sites = await db.site.findMany({ where: { surfaceId: surface.id }, select: { id: true } });
    expect(sites.some((s) => before.has(s.id))).toBe(false);
    const predicted = await db.prediction.findMany({ where: { modelId: result!.modelId }, select: { siteId: true } });
    const current = new Set(sites.map((s) => s.id));
    expect(predicted.length).toBeGreaterThan(0);
    expect(predicted.every((p) => current.has(p.siteId))).toBe(true);
    expect((await db.model.findMany({ where: { datasetId } })).map((m) => m.id)).toEqual([result!.modelId]);
  }, 120_000);

  it('a refit that fails with the sites unchanged reports its error (no retry)', async () => {
    race.before = async () => {
      throw new Error('fit failed');
    };
    await expect(refreshDefaultModel(datasetId)).rejects.toThrow('fit failed');
  }, 120_000);
});
