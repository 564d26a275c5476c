import { existsSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ctx, encodeForm, multipart, setupTempDatabase } from './helpers';
import { smallSurfaceFiles } from './surface-files';

const temp = setupTempDatabase();
afterAll(() => temp.cleanup());

const { POST: createDataset } = await import('@/app/api/datasets/route');
const { POST: upload } = await import('@/app/api/datasets/[id]/uploads/route');
const { GET: surfacesRoute } = await import('@/app/api/datasets/[id]/surfaces/route');
const { GET: jobRoute } = await import('@/app/api/jobs/[id]/route');
const { db } = await import('@/lib/server/db');
const { loadGrid } = await import('@/lib/server/grid-store');

let datasetId = '';

beforeAll(async () => {
  const res = await createDataset(
    new Request('http://x/api/datasets', { method: 'POST', body: JSON.stringify({ name: 'uploads' }) }),
  );
  datasetId = (await res.json()).dataset.id;
});

async function send(form: FormData, query = ''): Promise<Response> {
  const { body, contentType } = await encodeForm(form);
  return upload(
    new Request(`http://x/api/datasets/${datasetId}/uploads${query}`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
    }),
    ctx({ id: datasetId }),
  );
}

/** Every table's row count: "the database exactly as before". */
async function snapshot(): Promise<Record<string, number>> {
  return {
    surfaces: await db.surface.count(),
    grids: await db.grid.count(),
    chunks: await db.gridChunk.count(),
    nebRuns: await db.nebRun.count(),
  };
}

function tempLeftovers(): string[] {
  const root = process.env.EPDI_UPLOAD_TMP!;
  return existsSync(root) ? readdirSync(root) : [];
}

const poscar = `MoS2 cell
1.0
3.16 0 0
-1.58 2.7366 0
0 0 20
Mo S
1 2
Direct
0.3333333 0.6666667 0.5
0.6666667 0.3333333 0.42
0.6666667 0.3333333 0.58
`;

describe('upload endpoint', () => {
  it('stores a lone POSCAR as a surface named by the form', async () => {
    const res = await send(multipart([['POSCAR', poscar]], { surface: 'MoS2-unit' }));
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body.surfaces).toEqual([expect.objectContaining({ name: 'MoS2-unit', unchanged: false })]);
    const { surfaces } = await (await surfacesRoute(new Request('http://x'), ctx({ id: datasetId }))).json();
    expect(surfaces).toEqual([
      expect.objectContaining({ name: 'MoS2-unit', formula: 'MoS2', host: 'MoS2', atomCount: 3 }),
    ]);
  });

  it('names a surface sent without a folder or name after its POSCAR comment', async () => {
    const res = await send(multipart([['POSCAR', poscar.replace('MoS2 cell', 'MoS2 from comment')]]));
    expect(res.status).toBe(201);
    expect((await res.json()).surfaces[0].name).toBe('MoS2 from comment');
  });

  it('stores a surface folder (POSCAR, LOCPOT, labels.csv, meta.json) with its grid, labels and job', async () => {
    const { files, dims, structure } = smallSurfaceFiles();
    const jobId = crypto.randomUUID();
    const res = await send(multipart(files), `?job=${jobId}`);
    expect(res.status).toBe(201);
    const row = await db.surface.findFirstOrThrow({ where: { name: 'MoS2-V' }, include: { grids: true } });
    expect(row.host).toBe('MoS2');
    expect(row.dopant).toBe('V');
    expect(row.eSlabEv).toBe(-188.0);
    expect(JSON.parse(row.labelsJson)).toEqual([
      expect.objectContaining({ site: 'a', kind: 'T_M', eTotalEv: -190.5, source: 'csv', line: 2 }),
    ]);
    expect(row.grids).toHaveLength(1);
    const grid = await loadGrid(row.grids[0].id);
    expect(grid.dims).toEqual(dims);
    expect(grid.lattice[2][2]).toBeCloseTo(structure.lattice[2][2], 6);
    const job = (await (await jobRoute(new Request('http://x'), ctx({ id: jobId }))).json()).job;
    expect(job).toMatchObject({ status: 'done', progress: 1, kind: 'upload' });
    expect(tempLeftovers()).toEqual([]);
  });

  it('reads a gzip-compressed LOCPOT to the same grid as the plain one', async () => {
    const { files } = smallSurfaceFiles('Gz');
    const gz = files.map(([p, c]): [string, string | Uint8Array] =>
      p.endsWith('LOCPOT') ? [`${p}.gz`, gzipSync(Buffer.from(c))] : [p, c],
    );
    expect((await send(multipart(gz))).status).toBe(201);
    const plain = await db.surface.findFirstOrThrow({ where: { name: 'MoS2-V' }, include: { grids: true } });
    const zipped = await db.surface.findFirstOrThrow({ where: { name: 'Gz' }, include: { grids: true } });
    const a = await loadGrid(plain.grids[0].id);
    const b = await loadGrid(zipped.grids[0].id);
    expect(b.dims).toEqual(a.dims);
    expect(Buffer.from(b.data.buffer).equals(Buffer.from(a.data.buffer))).toBe(true);
  });

  it('rejects a corrupt gzip LOCPOT naming the file', async () => {
    const { files } = smallSurfaceFiles('BadGz');
    const broken = gzipSync(Buffer.from(files[1][1])).subarray(0, 200);
    const before = await snapshot();
    const res = await send(multipart([files[0], ['BadGz/LOCPOT.gz', broken]]));
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect((await res.json()).error.file).toBe('BadGz/LOCPOT.gz');
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a progress job id that is already taken (409)', async () => {
    const jobId = crypto.randomUUID();
    expect((await send(multipart([['J1/POSCAR', poscar]]), `?job=${jobId}`)).status).toBe(201);
    const res = await send(multipart([['J2/POSCAR', poscar]]), `?job=${jobId}`);
    expect(res.status).toBe(409);
    expect((await res.json()).error.code).toBe('job_exists');
  });

  it('is idempotent for the same files and refuses other files under the same name (409)', async () => {
    const { files } = smallSurfaceFiles();
    const again = await send(multipart(files));
    expect(again.status).toBe(201);
    expect((await again.json()).surfaces[0].unchanged).toBe(true);
    const changed = files.map(([p, c]): [string, string] => [
      p,
      p.endsWith('labels.csv') ? c.replace('-190.5', '-191') : c,
    ]);
    const before = await snapshot();
    const res = await send(multipart(changed));
    expect(res.status).toBe(409);
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    [
      'an unknown file type',
      [
        ['MoS2-X/POSCAR', poscar],
        ['MoS2-X/notes.xyz', 'hello'],
      ],
      415,
      'MoS2-X/notes.xyz',
    ],
    [
      'an empty file',
      [
        ['MoS2-X/POSCAR', poscar],
        ['MoS2-X/labels.csv', ''],
      ],
      422,
      'MoS2-X/labels.csv',
    ],
    ['a POSCAR that is not one', [['MoS2-X/POSCAR', '\u0000\u0001binary']], 415, 'MoS2-X/POSCAR'],
    [
      'a bad number in labels.csv',
      [
        ['MoS2-X/POSCAR', poscar],
        ['MoS2-X/labels.csv', 'site,kind,x,y,z,E_total_eV\na,T_M,0,0,x,-1\n'],
      ],
      422,
      'MoS2-X/labels.csv',
    ],
  ] as const)('rejects %s with a 4xx naming the file and stores nothing', async (_what, files, status, file) => {
    const before = await snapshot();
    const res = await send(multipart(files as unknown as [string, string][]));
    expect(res.status).toBe(status);
    const { error } = await res.json();
    expect(error.file).toBe(file);
    expect(await snapshot()).toEqual(before);
    expect(tempLeftovers()).toEqual([]);
  });

  it('names the line of a parse error', async () => {
    const res = await send(
      multipart([
        ['T/POSCAR', poscar],
        ['T/labels.csv', 'site,kind,x,y,z,E_total_eV\na,T_M,0,0,1,-1\nb,T_M,0,0,zz,-1\n'],
      ]),
    );
    expect(res.status).toBe(422);
    expect((await res.json()).error).toMatchObject({ file: 'T/labels.csv', line: 3 });
  });

  it('answers 413 for a file over the size limit and keeps nothing', async () => {
    process.env.EPDI_MAX_FILE_BYTES = '20000';
    try {
      const before = await snapshot();
      const { files } = smallSurfaceFiles('Big');
      const res = await send(multipart(files));
      expect(res.status).toBe(413);
      expect((await res.json()).error).toMatchObject({ code: 'file_too_large', file: 'Big/LOCPOT' });
      expect(await snapshot()).toEqual(before);
    } finally {
      delete process.env.EPDI_MAX_FILE_BYTES;
    }
    await new Promise((r) => setTimeout(r, 100));
    expect(tempLeftovers()).toEqual([]);
  });

  it('answers 400 for an upload cut off mid-stream and keeps nothing', async () => {
    const before = await snapshot();
    const { files } = smallSurfaceFiles('Cut');
    const { body, contentType } = await encodeForm(multipart(files));
    const res = await upload(
      new Request(`http://x/api/datasets/${datasetId}/uploads`, {
        method: 'POST',
        headers: { 'content-type': contentType },
        body: body.subarray(0, Math.floor(body.length / 2)),
      }),
      ctx({ id: datasetId }),
    );
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('upload_incomplete');
    expect(await snapshot()).toEqual(before);
    expect(tempLeftovers()).toEqual([]);
  });

  it('answers 404 for an unknown dataset and 415 for a body that is not multipart', async () => {
    const res404 = await upload(
      new Request('http://x/api/datasets/nope/uploads', { method: 'POST', body: 'x' }),
      ctx({ id: 'nope' }),
    );
    expect(res404.status).toBe(404);
    const res415 = await upload(
      new Request(`http://x/api/datasets/${datasetId}/uploads`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: 'x',
      }),
      ctx({ id: datasetId }),
    );
    expect(res415.status).toBe(415);
  });
});
