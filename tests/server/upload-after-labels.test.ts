import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writePoscar } from '@/lib/formats/poscar';
import { ctx, datasetWithSurfaces, encodeForm, multipart, setupTempDatabase } from './helpers';
import { outcarText, settleJobs, withLi } from './label-files';
import { smallSurfaceFiles } from './surface-files';

/*
 * Re-uploading a surface's original folder after "add labels" (POST /api/surfaces/[id]/labels) grew its file list:
 * the upload is recognised as already stored, exactly as for an untouched surface; a folder with other bytes under
 * the same name is still a 409 naming the file.
 */
const temp = setupTempDatabase();
afterAll(() => temp.cleanup());

const { POST: upload } = await import('@/app/api/datasets/[id]/uploads/route');
const { POST: addLabels } = await import('@/app/api/surfaces/[id]/labels/route');
const { GET: jobRoute } = await import('@/app/api/jobs/[id]/route');
const { db } = await import('@/lib/server/db');

/* smallSurfaceFiles' slab: top S plane z = 11.585, Li 1.5 A above; an H hollow at (1.58, 0.9122), a T_M at (3.16, 0)
 * (see add-labels.test.ts). meta.json: E_slab = -188.0 eV, mu_Li = -1.9 eV. */
const Z = 11.585 + 1.5;
const { files: grown, structure } = smallSurfaceFiles('MoS2-V');
const { files: untouched } = smallSurfaceFiles('WS2-plain');
const added: [string, string][] = [
  ['labels.csv', `site,kind,x,y,z,E_total_eV\nh1,H,1.58,0.9122,${Z},-190.6\n`],
  ['sites/t1/CONTCAR', writePoscar(withLi(structure, [3.16, 0, Z]))],
  ['sites/t1/OUTCAR', outcarText(-190.85, -190.8)],
];

let datasetId = '';
let grownId = '';
let untouchedId = '';

async function send(files: [string, string][]): Promise<Response> {
  const { body, contentType } = await encodeForm(multipart(files));
  return upload(
    new Request(`http://x/api/datasets/${datasetId}/uploads`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
    }),
    ctx({ id: datasetId }),
  );
}

async function waitForJob(jobId: string): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    const { job } = await (await jobRoute(new Request('http://x'), ctx({ id: jobId }))).json();
    if (job.status === 'done') return;
    if (job.status === 'failed') throw new Error(`job failed: ${job.error}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('job did not finish');
}

/** Everything an upload may change, after background jobs settle. */
async function snapshot(): Promise<Record<string, unknown>> {
  await settleJobs(db);
  return {
    surfaces: await db.surface.findMany({
      orderBy: { name: 'asc' },
      select: { id: true, name: true, labelsJson: true, sourceFilesJson: true },
    }),
    sites: await db.site.count(),
    labels: await db.label.count(),
    grids: await db.grid.count(),
  };
}

beforeAll(async () => {
  datasetId = await datasetWithSurfaces('re-upload', [...grown, ...untouched]);
  grownId = (await db.surface.findFirstOrThrow({ where: { name: 'MoS2-V' } })).id;
  untouchedId = (await db.surface.findFirstOrThrow({ where: { name: 'WS2-plain' } })).id;
  const { body, contentType } = await encodeForm(multipart(added));
  const res = await addLabels(
    new Request(`http://x/api/surfaces/${grownId}/labels`, { method: 'POST', headers: { 'content-type': contentType }, body }),
    ctx({ id: grownId }),
  );
  expect(res.status).toBe(201);
  const result = await res.json();
  expect(result.labelsAdded).toEqual(['h1', 't1']);
  await waitForJob(result.extractJobId);
}, 120_000);

describe('re-uploading a surface that gained labels', () => {
  it('has a longer file list after "add labels" (what made the re-upload a 409)', async () => {
    const row = await db.surface.findUniqueOrThrow({ where: { id: grownId }, select: { sourceFilesJson: true } });
    const paths = (JSON.parse(row.sourceFilesJson) as { path: string }[]).map((f) => f.path);
    expect(paths).toEqual([...grown.map(([p]) => p), ...added.map(([p]) => p)]);
  });

  it('answers for the original folder what it answers for an untouched surface: stored, unchanged', async () => {
    const before = await snapshot();
    const res = await send([...grown, ...untouched]);
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body.surfaces).toEqual([
      { id: grownId, name: 'MoS2-V', unchanged: true },
      { id: untouchedId, name: 'WS2-plain', unchanged: true },
    ]);
    expect(body.extractJobId).toBeNull();
    expect(await snapshot()).toEqual(before);
  });

  it('also recognises the folder holding the added sites/ run beside its original files', async () => {
    const before = await snapshot();
    const folder: [string, string][] = [...grown, ...added.slice(1).map(([p, c]): [string, string] => [`MoS2-V/${p}`, c])];
    const res = await send(folder);
    expect(res.status).toBe(201);
    expect((await res.json()).surfaces).toEqual([{ id: grownId, name: 'MoS2-V', unchanged: true }]);
    expect(await snapshot()).toEqual(before);
  });

  it('still refuses a folder of that name whose labels.csv has other bytes (409 naming the file)', async () => {
    const before = await snapshot();
    const changed = grown.map(([p, c]): [string, string] => [p, p.endsWith('labels.csv') ? c.replace('-190.5', '-191') : c]);
    const res = await send(changed);
    expect(res.status).toBe(409);
    const { error } = await res.json();
    expect(error).toMatchObject({ code: 'surface_exists', file: 'MoS2-V/labels.csv' });
    expect(error.message).toMatch(/'MoS2-V\/labels\.csv' differs from the stored file/);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a folder that lacks the stored potential, or brings a file the surface never had (409 naming it)', async () => {
    const before = await snapshot();
    let res = await send(grown.filter(([p]) => !p.endsWith('LOCPOT')));
    expect(res.status).toBe(409);
    let error = (await res.json()).error;
    expect(error).toMatchObject({ code: 'surface_exists', file: 'MoS2-V/LOCPOT' });
    expect(error.message).toMatch(/lacks its stored 'MoS2-V\/LOCPOT'/);
    res = await send([...grown, ['MoS2-V/OUTCAR', outcarText(-188.05, -188.0)]]);
    expect(res.status).toBe(409);
    error = (await res.json()).error;
    expect(error).toMatchObject({ code: 'surface_exists', file: 'MoS2-V/OUTCAR' });
    expect(await snapshot()).toEqual(before);
  });
});
