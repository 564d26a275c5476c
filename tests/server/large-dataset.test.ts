/**
 * Issue 15 finding 1: queries over id lists broke past SQLite's bound-parameter limit (Prisma P2029 at ~999 ids).
 * A dataset of 67 surfaces x 45 sites (3,015 sites, 1,809 hops) is written straight into SQLite, then predictions,
 * server training, model import, profiles and exports run on it. A second one of 734 surfaces (33,030 sites) passes
 * SQLite's own limit of 32,766 variables, which Prisma's nested relation reads (labels of every site) hit at 100,000
 * sites. Expected values are counts known from the builder (45 sites, 27 hops, 18 hollows and 6 labelled bridges per
 * surface, E_b of surface k = template + 0.001 k eV) and sums over the rows it wrote, never the code's own output.
 * `npm run bench:large` runs the same paths on 100,035 sites and prints their times.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ctx, setupTempDatabase } from './helpers';
import { buildLargeDataset, TEMPLATE_HOPS, TEMPLATE_SITES, type LargeDataset } from './large-dataset';

const temp = setupTempDatabase();
afterAll(() => temp.cleanup());

const { db } = await import('@/lib/server/db');
const { createModel, importModel, replacePredictions, listPredictions } = await import('@/lib/server/models');
const { trainAndStore } = await import('@/lib/server/train-server');
const { epdiBatch } = await import('@/lib/server/epdi-batch');
const { deleteDataset, listSurfaces } = await import('@/lib/server/datasets');
const { mepCorrelation } = await import('@/lib/server/mep-correlation');
const { levelCorrelation } = await import('@/lib/server/level-correlation');
const { assembleProfiles } = await import('@/lib/server/profiles');
const { exportLines, profilesJsonExport } = await import('@/lib/server/profile-exports');
const { parseEpdiBatch } = await import('@/lib/ml/batch');
const { modelToZip } = await import('@/lib/ml/persist');
const { POST: importRoute } = await import('@/app/api/datasets/[id]/models/import/route');
const predictionsRoute = await import('@/app/api/models/[id]/predictions/route');

const SURFACES = 67;
let data: LargeDataset;

/** A 'mean' model zip (lib/ml's format) whose meta lists `trainIds`. */
function meanZip(trainIds: string[], meanEv = -2): Uint8Array {
  return modelToZip({
    format: 'epdi-model',
    version: 1,
    spec: { type: 'mean' },
    name: 'mean',
    trainIds,
    imageSettings: { rangeEv: [-1, 1] },
    params: { meanEv },
  } as never);
}

beforeAll(() => {
  data = buildLargeDataset({ dbFile: path.join(temp.dir, 'test.db'), name: 'large', surfaces: SURFACES });
}, 120_000);

describe('a dataset of 3,015 sites (past the ~999 bound-parameter limit)', () => {
  it('was built as intended', async () => {
    expect(data.siteIds).toHaveLength(SURFACES * TEMPLATE_SITES);
    expect(await db.site.count({ where: { surface: { datasetId: data.datasetId } } })).toBe(3015);
    expect(await db.hop.count({ where: { surface: { datasetId: data.datasetId } } })).toBe(SURFACES * TEMPLATE_HOPS);
  });

  it('stores predictions for every site of the dataset (replacePredictions)', async () => {
    const model = await createModel(data.datasetId, meanZip([]), {
      name: 'm',
      spec: { type: 'mean' },
      metrics: {},
      trainingSiteIds: [],
      settings: {},
    });
    const rows = data.siteIds.map((siteId, i) => ({ siteId, valueEv: -1 - i / 1e4, sigmaEv: null }));
    expect(await replacePredictions(model.id, rows)).toEqual({ stored: 3015, replaced: 0 });
    // Replacing again deletes the 3,015 earlier rows.
    expect(await replacePredictions(model.id, rows)).toEqual({ stored: 3015, replaced: 3015 });
    const stored = await listPredictions(model.id);
    expect(stored).toHaveLength(3015);
    const sum = stored.reduce((a, p) => a + p.valueEv, 0);
    // sum_{i<n} (-1 - i/1e4) = -n - n(n-1)/2e4
    expect(sum).toBeCloseTo(-3015 - (3015 * 3014) / 2 / 1e4, 6);
  });

  it('stores predictions through the route, and still refuses a site of another dataset', async () => {
    const model = await createModel(data.datasetId, meanZip([]), {
      name: 'r',
      spec: { type: 'mean' },
      metrics: {},
      trainingSiteIds: [],
      settings: {},
    });
    const body = data.siteIds.map((siteId) => ({ siteId, valueEv: 0.5 }));
    const ok = await predictionsRoute.POST(
      new Request('http://x', { method: 'POST', body: JSON.stringify(body) }),
      ctx({ id: model.id }),
    );
    expect(ok.status).toBe(201);
    expect(await db.prediction.count({ where: { modelId: model.id } })).toBe(3015);
    const bad = [...body, { siteId: 'not-a-site', valueEv: 1 }];
    const res = await predictionsRoute.POST(
      new Request('http://x', { method: 'POST', body: JSON.stringify(bad) }),
      ctx({ id: model.id }),
    );
    expect(res.status).toBe(422);
    expect((await res.json()).error.message).toContain('not-a-site');
    // Refused as a whole: the earlier 3,015 rows are still there.
    expect(await db.prediction.count({ where: { modelId: model.id } })).toBe(3015);
  });

  it('loads the EPDI batch server training reads (every site, in surface and name order)', async () => {
    const batch = parseEpdiBatch(await epdiBatch(data.datasetId));
    expect(batch.header.count).toBe(3015);
    expect(batch.header.sites.filter((s) => s.eBindingEv !== null)).toHaveLength(data.labelledSiteIds.length);
    const ids = new Set(batch.header.sites.map((s) => s.id));
    expect(ids.size).toBe(3015);
  });

  it('trains on the server and stores a prediction for every unlabelled site', async () => {
    const result = await trainAndStore(
      data.datasetId,
      { spec: { type: 'mean' }, seed: 1, protocol: { kind: 'none' } },
      () => {},
    );
    expect(result.nTrain).toBe(data.labelledSiteIds.length);
    expect(result.predictions).toBe(data.unlabelledSiteIds.length);
    const stored = await db.prediction.findMany({
      where: { modelId: result.modelId },
      select: { siteId: true, valueEv: true },
    });
    expect(new Set(stored.map((p) => p.siteId))).toEqual(new Set(data.unlabelledSiteIds));
    // The mean model predicts the mean label everywhere.
    const mean = [...data.eBindingEv.values()].reduce((a, b) => a + b, 0) / data.eBindingEv.size;
    for (const p of stored.slice(0, 5)) expect(p.valueEv).toBeCloseTo(mean, 9);
  }, 120_000);

  it('imports a model that lists 3,000 training site ids', async () => {
    const ids = data.siteIds.slice(0, 3000);
    const view = await importModel(
      data.datasetId,
      meanZip([...ids.slice(0, 2990), ...Array.from({ length: 10 }, (_, i) => `gone-${i}`)]),
    );
    expect(view.matchedTrainingSites).toBe(2990);
    expect(view.trainingSiteCount).toBe(3000);
    const res = await importRoute(
      new Request('http://x?name=big', { method: 'POST', body: new Uint8Array(meanZip(ids)) }),
      ctx({ id: data.datasetId }),
    );
    expect(res.status).toBe(201);
    expect((await res.json()).model.matchedTrainingSites).toBe(3000);
  });

  it('creates a model whose metadata lists 3,000 training sites, and names the unknown ones', async () => {
    const ids = data.siteIds.slice(0, 3000);
    const meta = { name: 'c', spec: { type: 'mean' as const }, metrics: {}, settings: {} };
    const view = await createModel(data.datasetId, meanZip(ids), { ...meta, trainingSiteIds: ids });
    expect(view.trainingSiteCount).toBe(3000);
    await expect(
      createModel(data.datasetId, meanZip(ids), { ...meta, trainingSiteIds: [...ids, 'nope'] }),
    ).rejects.toThrow(/1 training site ids are not sites of this dataset/);
  });

  it('lists the surfaces with their site counts', async () => {
    const rows = await listSurfaces(data.datasetId);
    expect(rows).toHaveLength(SURFACES);
    expect(rows.every((r) => r.siteCount === TEMPLATE_SITES)).toBe(true);
  });

  it('assembles profiles and exports of every hop', async () => {
    const result = await assembleProfiles(data.datasetId, { model: 'none' });
    expect(result.surfaces).toHaveLength(SURFACES);
    expect(result.surfaces.reduce((a, s) => a + s.hops.length + s.incomplete.length, 0)).toBe(SURFACES * TEMPLATE_HOPS);
    const barriers = [...exportLines(result, 'barriers')];
    const sites = [...exportLines(result, 'sites')];
    // One row per site plus the header line.
    expect(sites.length).toBe(3016);
    expect(barriers.length).toBeGreaterThan(0);
    const json = profilesJsonExport(result, '2026-01-01T00:00:00Z');
    expect(json.surfaces).toHaveLength(SURFACES);
  }, 120_000);
});

describe("a dataset of 33,030 sites (past SQLite's 32,766 variables)", () => {
  const BIG = 734;
  let big: LargeDataset;
  beforeAll(() => {
    big = buildLargeDataset({ dbFile: path.join(temp.dir, 'test.db'), name: 'larger', surfaces: BIG });
  }, 120_000);

  it('loads the EPDI batch of every site with its latest label and hop ends', async () => {
    const batch = parseEpdiBatch(await epdiBatch(big.datasetId));
    expect(batch.header.count).toBe(BIG * TEMPLATE_SITES);
    const labelled = batch.header.sites.filter((s) => s.eBindingEv !== null);
    expect(labelled).toHaveLength(BIG * (18 + 6));
    for (const s of labelled.slice(0, 50)) expect(s.eBindingEv).toBeCloseTo(big.eBindingEv.get(s.id)!, 12);
    // Every bridge is the saddle of one hop, so it knows the symmetry groups of its two ends.
    const bridges = batch.header.sites.filter((s) => s.kind === 'bridge');
    expect(bridges).toHaveLength(BIG * 27);
    expect(bridges.every((s) => Array.isArray(s.hopEndGroups) && s.hopEndGroups.length === 2)).toBe(true);
  }, 120_000);

  it('correlates MEP with E_b over every labelled site', async () => {
    const groups = await mepCorrelation(big.datasetId);
    expect(groups.map((g) => g.host)).toEqual(['MoS2']);
    expect(groups[0].points).toHaveLength(BIG * (18 + 6));
  }, 120_000);

  it('correlates the acceptor level with the mean E_b of the labelled minima of every surface', async () => {
    const { surfaces } = await levelCorrelation(big.datasetId);
    expect(surfaces).toHaveLength(BIG);
    expect(surfaces.every((s) => s.minima === 18)).toBe(true);
    // Surface k's minima sit 0.001 k eV above surface 0's, its acceptor level 0.0001 k eV below.
    const byName = new Map(surfaces.map((s) => [s.surface, s]));
    const s0 = byName.get('MoS2-V-000')!;
    const s500 = byName.get('MoS2-V-500')!;
    expect(s500.meanMinimumEv - s0.meanMinimumEv).toBeCloseTo(0.5, 9);
    expect(s500.acceptorLevelEv - s0.acceptorLevelEv).toBeCloseTo(-0.05, 9);
  }, 120_000);

  it('assembles the profiles of every surface (flat reads, no IN list of every site)', async () => {
    const result = await assembleProfiles(big.datasetId, { model: 'none' });
    expect(result.surfaces).toHaveLength(BIG);
    expect(result.surfaces.reduce((a, s) => a + s.hops.length + s.incomplete.length, 0)).toBe(BIG * TEMPLATE_HOPS);
    expect(result.surfaces.reduce((a, s) => a + s.sites.length, 0)).toBe(BIG * TEMPLATE_SITES);
  }, 240_000);

  it('deletes the whole dataset (cascades through indexed foreign keys)', async () => {
    await deleteDataset(big.datasetId);
    expect(await db.site.count({ where: { surface: { datasetId: big.datasetId } } })).toBe(0);
    expect(await db.label.count({ where: { siteId: { startsWith: big.datasetId } } })).toBe(0);
    expect(await db.hop.count({ where: { surfaceId: { startsWith: big.datasetId } } })).toBe(0);
  }, 120_000);
});
