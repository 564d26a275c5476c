/**
 * POST /api/datasets/[id]/models/default: the training panel's "Choose the default model". With 3 labelled demo
 * surfaces it is chosen by leave one surface out and stored with its predictions; a surface uploaded afterwards
 * without labels is predicted at once (the refit after extraction). Too few labelled saddles: 422; no dataset: 404.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { setupTempDatabase } from './helpers';

const temp = setupTempDatabase();
afterAll(() => temp.cleanup());

const { importFolders } = await import('@/lib/server/import-folder');
const { POST } = await import('@/app/api/datasets/[id]/models/default/route');
const { GET: jobRoute } = await import('@/app/api/jobs/[id]/route');
const { db } = await import('@/lib/server/db');

const demo = (s: string): string => path.resolve(__dirname, '../../data/demo', s);
const ctx = (id: string) => ({ params: Promise.resolve({ id }) });
const post = (id: string) => POST(new Request('http://x', { method: 'POST' }), ctx(id));

async function job(id: string): Promise<{ status: string; result?: { model: string; chosenBy: string }; error?: string }> {
  for (let i = 0; i < 1200; i++) {
    const { job } = (await (await jobRoute(new Request('http://x'), ctx(id))).json()) as {
      job: { status: string; result?: { model: string; chosenBy: string }; error?: string };
    };
    if (job.status === 'done' || job.status === 'failed') return job;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('job did not finish');
}

describe.skipIf(!existsSync(demo('ZrS2-V/labels.csv')))('POST /api/datasets/[id]/models/default', () => {
  it('chooses by leave one surface out and stores predictions', async () => {
    const { datasetId } = await importFolders('route-default', ['MoS2', 'MoS2-V', 'ZrS2', 'ZrS2-V'].map(demo));
    const res = await post(datasetId);
    expect(res.status).toBe(202);
    const jobId = ((await res.json()) as { jobId: string }).jobId;
    // A second request while the first waits or runs gets the same job, not a second selection.
    const again = await post(datasetId);
    expect(again.status).toBe(202);
    expect(((await again.json()) as { jobId: string }).jobId).toBe(jobId);
    expect(await db.job.count({ where: { datasetId, kind: 'default-model' } })).toBe(1);
    const done = await job(jobId);
    expect(done.status).toBe('done');
    expect(done.result!.chosenBy).toMatch(/leave one surface out/);
    const models = await db.model.findMany({ where: { datasetId }, select: { id: true, name: true } });
    expect(models).toHaveLength(1);
    expect(models[0].name).toContain(done.result!.model);
    const unlabelled = await db.site.count({ where: { surface: { datasetId }, labels: { none: {} } } });
    const predicted = await db.prediction.count({ where: { modelId: models[0].id } });
    expect(predicted).toBe(unlabelled);
  }, 300_000);

  it('answers 422 with too few labelled saddles and 404 without the dataset', async () => {
    const { datasetId } = await importFolders('route-default-small', [demo('MoS2')]);
    const res = await post(datasetId);
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/at least 3 labelled saddles/);
    expect((await post('nope')).status).toBe(404);
  }, 120_000);
});
