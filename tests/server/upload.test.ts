import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ctx, encodeForm, multipart, setupTempDatabase } from './helpers';
import { outcarText, settleJobs, withLi } from './label-files';
import { smallSurfaceFiles } from './surface-files';
import { writePoscar } from '@/lib/formats/poscar';

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

/** What uploads left in the temporary area (inside the app's own folder and without its marker file, if it has one). */
function tempLeftovers(): string[] {
  const parent = process.env.EPDI_UPLOAD_TMP!;
  if (!existsSync(parent)) return [];
  const own = path.join(parent, 'epdi-lab-uploads');
  if (!existsSync(own)) return readdirSync(parent);
  return readdirSync(own).filter((n) => !n.startsWith('.epdi-lab'));
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

/** Every table's row count after the background jobs settle, labels and sites included. */
async function rows(): Promise<Record<string, number>> {
  await settleJobs(db);
  return {
    surfaces: await db.surface.count(),
    grids: await db.grid.count(),
    chunks: await db.gridChunk.count(),
    nebRuns: await db.nebRun.count(),
    sites: await db.site.count(),
    labels: await db.label.count(),
  };
}

/*
 * Hand positions on smallSurfaceFiles' 3x3 2H slab (a0 = 3.16 A, metal plane z = 10, top S at z = 11.585; primitive
 * fractions (u, v) -> (a0 (u - v/2), a0 v sqrt(3)/2)): T_M above metal 0 at (0, 0); H at (2/3, 1/3) -> (1.58, 0.9122);
 * the top S atom at (1/3, 2/3) -> (0, 1.8245), whose nearest sites are the bridges a0/2 = 1.58 A away (the hollows
 * lie a0/sqrt(3) = 1.82 A away).
 */
const LI_Z = 11.585 + 1.5;
const H_XYZ: [number, number, number] = [1.58, 0.9122, LI_Z];
const TOP_S_XYZ: [number, number, number] = [0, 1.8245, LI_Z];

describe('gzip uploads of every file kind', () => {
  it('stores sites/<name>/CONTCAR.gz + OUTCAR.gz and a host OUTCAR.gz (and gzipped POSCAR, LOCPOT, labels, meta, NEB)', async () => {
    const { files, structure } = smallSurfaceFiles('AllGz');
    const gz = (c: string): Uint8Array => new Uint8Array(gzipSync(Buffer.from(c)));
    const li = (p: [number, number, number]) => writePoscar(withLi(structure, p));
    const upload: [string, string | Uint8Array][] = [
      ...files.map(([p, c]): [string, Uint8Array] => [`${p}.gz`, gz(c)]),
      ['AllGz/OUTCAR.gz', gz(outcarText(-188.25, -188.2))],
      ['AllGz/sites/h1/CONTCAR.gz', gz(li(H_XYZ))],
      ['AllGz/sites/h1/OUTCAR.gz', gz(outcarText(-190.75, -190.70617284))],
      ['AllGz/neb/n/00/POSCAR.gz', gz(li(H_XYZ))],
      ['AllGz/neb/n/00/energy.gz', gz('-190.7\n')],
      ['AllGz/neb/n/01/POSCAR.gz', gz(li([0.79, 0.4561, LI_Z]))],
      ['AllGz/neb/n/01/OUTCAR.gz', gz(outcarText(-190.5, -190.45))],
      ['AllGz/neb/n/02/CONTCAR.gz', gz(li([0, 0, LI_Z]))],
      ['AllGz/neb/n/02/energy.gz', gz('-190.9\n')],
    ];
    const res = await send(multipart(upload));
    expect(res.status).toBe(201);
    const row = await db.surface.findFirstOrThrow({ where: { name: 'AllGz' }, include: { grids: true, nebRuns: true } });
    // E_slab from the host OUTCAR's energy(sigma->0), not meta.json's -188.0.
    expect(row.eSlabEv).toBe(-188.2);
    expect(row.grids).toHaveLength(1);
    const labels = JSON.parse(row.labelsJson);
    expect(labels).toEqual([
      expect.objectContaining({ site: 'a', kind: 'T_M', eTotalEv: -190.5, source: 'csv', line: 2 }),
      expect.objectContaining({ site: 'h1', source: 'outcar', eTotalEv: -190.70617284, file: 'AllGz/sites/h1/OUTCAR.gz' }),
    ]);
    expect(labels[1].position.map((v: number) => Number(v.toFixed(4)))).toEqual(H_XYZ.map((v) => Number(v.toFixed(4))));
    expect(row.nebRuns).toHaveLength(1);
    const images = JSON.parse(row.nebRuns[0].imagesJson);
    expect(images.map((im: { energyEv: number }) => im.energyEv)).toEqual([-190.7, -190.45, -190.9]);
  });

  it('takes E_slab from a host vasprun.xml.gz when there is no host OUTCAR', async () => {
    const { files } = smallSurfaceFiles('VrGz');
    const vasprun = `<?xml version="1.0"?>\n<modeling>\n <calculation>\n  <energy>\n   <i name="e_fr_energy"> -188.5 </i>\n   <i name="e_wo_entrp"> -188.4 </i>\n   <i name="e_0_energy"> -188.45 </i>\n  </energy>\n </calculation>\n</modeling>\n`;
    const res = await send(multipart([...files, ['VrGz/vasprun.xml.gz', gzipSync(Buffer.from(vasprun))]]));
    expect(res.status).toBe(201);
    expect((await db.surface.findFirstOrThrow({ where: { name: 'VrGz' } })).eSlabEv).toBe(-188.45);
  });
});

describe('bad input: a 4xx naming the file (and line), nothing stored', () => {
  const base = (name: string) => smallSurfaceFiles(name).files.filter(([p]) => !p.endsWith('labels.csv'));
  const { structure } = smallSurfaceFiles('x');
  const li = (p: [number, number, number]) => writePoscar(withLi(structure, p));
  const head = 'site,kind,x,y,z,E_total_eV';

  it.each([
    [
      'an NEB folder with a missing image (00, 01, 03)',
      (n: string): [string, string][] => [
        [`${n}/neb/hop/00/POSCAR`, li(H_XYZ)],
        [`${n}/neb/hop/00/energy`, '-190.7\n'],
        [`${n}/neb/hop/01/POSCAR`, li([0.79, 0.4561, LI_Z])],
        [`${n}/neb/hop/01/energy`, '-190.5\n'],
        [`${n}/neb/hop/03/POSCAR`, li([0, 0, LI_Z])],
        [`${n}/neb/hop/03/energy`, '-190.9\n'],
      ],
      { code: 'missing_image', file: 'Bad1/neb/hop/02' },
      /missing image folder Bad1\/neb\/hop\/02 \(found 00, 01, 03/,
    ],
    [
      'a site OUTCAR without a finished ionic step',
      (n: string): [string, string][] => [
        [`${n}/sites/h1/CONTCAR`, li(H_XYZ)],
        [`${n}/sites/h1/OUTCAR`, ' vasp.6.3.0 18Jan22\n running on 4 total cores\n POSCAR = MoS2 Li\n'],
      ],
      { code: 'unexpected_eof', file: 'Bad2/sites/h1/OUTCAR', line: 3 },
      /Bad2\/sites\/h1\/OUTCAR line 3: expected a finished ionic step/,
    ],
    [
      'a gzipped host OUTCAR without a finished ionic step',
      (n: string): [string, string | Uint8Array][] => [
        [`${n}/OUTCAR.gz`, gzipSync(Buffer.from(' vasp.6.3.0 18Jan22\n running on 4 total cores\n'))],
      ],
      { code: 'unexpected_eof', file: 'Bad3/OUTCAR.gz', line: 2 },
      /finished ionic step/,
    ],
    [
      'a label far from every site (on top of a top-layer S atom)',
      (n: string): [string, string][] => [
        [`${n}/labels.csv`, `${head}\nok,H,${H_XYZ.join(',')},-190.1\ntopS,T_M,${TOP_S_XYZ.join(',')},-190.2\n`],
      ],
      { code: 'label_far_from_sites', file: 'Bad4/labels.csv', line: 3 },
      /Bad4\/labels\.csv line 3: label 'topS' at \(0\.00, 1\.82, 13\.09\) Å is 1\.58 Å from the nearest site \(bridge-\d+, bridge\)/,
    ],
    [
      'a label whose kind is not its site kind',
      (n: string): [string, string][] => [[`${n}/labels.csv`, `${head}\nwrong,H,0,0,${LI_Z},-190.1\n`]],
      { code: 'label_kind_mismatch', file: 'Bad5/labels.csv', line: 2 },
      /label 'wrong' is of kind H but the site it matches, T_M-\d+ \(0\.00 Å away\), is T_M/,
    ],
    [
      'a label far outside the cell (issue 15: 1e300 A wrapped to noise and matched a site at distance 0)',
      (n: string): [string, string][] => [[`${n}/labels.csv`, `${head}\nhuge,T_M,1e300,-1e300,1e300,-190.1\n`]],
      { code: 'position_outside_cell', file: 'Bad6/labels.csv', line: 2 },
      /Bad6\/labels\.csv line 2: label 'huge': position .* outside the cell along a/,
    ],
  ] as const)('rejects %s', async (_what, extra, error, message) => {
    const name = error.file.split('/')[0];
    const before = await rows();
    const res = await send(multipart([...base(name), ...extra(name)] as [string, string | Uint8Array][]));
    expect(res.status).toBe(422);
    const body = (await res.json()).error;
    expect(body).toMatchObject(error);
    expect(body.message).toMatch(message);
    expect(await rows()).toEqual(before);
    expect(tempLeftovers()).toEqual([]);
  });

  it("accepts a label of kind 'other' wherever it matches a site", async () => {
    const res = await send(multipart([...base('OkOther'), ['OkOther/labels.csv', `${head}\nq,other,0,0,${LI_Z},-190.1\n`]]));
    expect(res.status).toBe(201);
  });
});
