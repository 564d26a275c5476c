import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writePoscar } from '@/lib/formats/poscar';
import { ctx, datasetWithSurfaces, encodeForm, multipart, setupTempDatabase } from './helpers';
import { outcarText, settleJobs, withLi } from './label-files';
import { smallSurfaceFiles } from './surface-files';

const temp = setupTempDatabase();
afterAll(() => temp.cleanup());

const { POST: addLabels } = await import('@/app/api/surfaces/[id]/labels/route');
const { GET: jobRoute } = await import('@/app/api/jobs/[id]/route');
const { db } = await import('@/lib/server/db');

/*
 * smallSurfaceFiles' 3x3 2H slab: a0 = 3.16 A, metal plane z = 10, top S plane z = 11.585, Li 1.5 A above it.
 * Primitive fractions (u, v) -> Cartesian (a0 (u - v/2), a0 v sqrt(3)/2): T_M above metal (1, 0) at (3.16, 0),
 * H at (2/3, 1/3) -> (1.58, 0.9122) and (5/3, 1/3) -> (4.74, 0.9122), the bridge between them at the midpoint of the S-S edge, the top S atom at
 * (1/3, 2/3) -> (0, 1.8245) is 1.58 A (a0/2) from the nearest bridge. meta.json: E_slab = -188.0 eV, mu_Li = -1.9 eV,
 * so E_b = E_total + 189.9 eV.
 */
const Z = 11.585 + 1.5;
const H: [number, number, number] = [1.58, 0.9122, Z];
const T_M1: [number, number, number] = [3.16, 0, Z];
/** H at (2/3, 4/3) -> (0, 3.6488). */
const H2: [number, number, number] = [0, 3.6488, Z];
const TOP_S: [number, number, number] = [0, 1.8245, Z];
const HEAD = 'site,kind,x,y,z,E_total_eV';

const { files: surfaceFiles, structure } = smallSurfaceFiles('MoS2-V');
const li = (p: [number, number, number]): string => writePoscar(withLi(structure, p));
const gz = (s: string): Uint8Array => new Uint8Array(gzipSync(Buffer.from(s)));

let surfaceId = '';

async function send(files: [string, string | Uint8Array][], id = surfaceId, query = ''): Promise<Response> {
  const { body, contentType } = await encodeForm(multipart(files));
  return addLabels(
    new Request(`http://x/api/surfaces/${id}/labels${query}`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
    }),
    ctx({ id }),
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

/** Everything adding labels may change, after background jobs settle. */
async function state(): Promise<Record<string, unknown>> {
  await settleJobs(db);
  const s = await db.surface.findUniqueOrThrow({ where: { id: surfaceId } });
  return {
    labelsJson: s.labelsJson,
    sourceFilesJson: s.sourceFilesJson,
    surfaces: await db.surface.count(),
    sites: await db.site.count(),
    labels: await db.label.count(),
    nebRuns: await db.nebRun.count(),
  };
}

/** Stored Label rows: user name -> (app site kind, E_b). */
async function labelRows(): Promise<Map<string, { kind: string; eBindingEv: number | null }>> {
  const rows = await db.label.findMany({ include: { site: { select: { kind: true, surfaceId: true } } } });
  return new Map(
    rows
      .filter((r) => r.site.surfaceId === surfaceId)
      .map((r) => [JSON.parse(r.provenance).site as string, { kind: r.site.kind, eBindingEv: r.eBindingEv }]),
  );
}

beforeAll(async () => {
  await datasetWithSurfaces('add-labels', surfaceFiles);
  surfaceId = (await db.surface.findFirstOrThrow({ where: { name: 'MoS2-V' } })).id;
});

describe('POST /api/surfaces/[id]/labels', () => {
  it('appends labels.csv rows and a gzipped sites/ run, stores an NEB run, and re-extracts', async () => {
    expect([...(await labelRows()).keys()]).toEqual(['a']);
    const neb: [string, string][] = [
      ['neb/hop/00/POSCAR', li(H)],
      ['neb/hop/00/energy', '-190.6\n'],
      ['neb/hop/01/POSCAR', li([2.37, 0.4561, Z])],
      ['neb/hop/01/energy', '-190.3\n'],
      ['neb/hop/02/POSCAR', li(T_M1)],
      ['neb/hop/02/energy', '-190.8\n'],
    ];
    const res = await send([
      ['labels.csv', `${HEAD}\nh1,H,${H.join(',')},-190.6\n`],
      // The starting POSCAR beside the relaxed CONTCAR: the CONTCAR's Li position counts.
      ['sites/t1/CONTCAR.gz', gz(li(T_M1))],
      ['sites/t1/POSCAR', li(TOP_S)],
      ['sites/t1/OUTCAR.gz', gz(outcarText(-190.85, -190.8))],
      ...neb,
    ]);
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toMatchObject({ labelsAdded: ['h1', 't1'], nebRunsAdded: ['hop'], alreadyStored: [], skipped: [] });
    expect(body.extractJobId).toEqual(expect.any(String));
    await waitForJob(body.extractJobId);
    const rows = await labelRows();
    expect([...rows.keys()].sort()).toEqual(['a', 'h1', 't1']);
    // E_b = E_total - E_slab - mu_Li = E_total + 189.9 eV (meta.json).
    expect(rows.get('h1')).toEqual({ kind: 'H', eBindingEv: expect.closeTo(-0.7, 9) });
    expect(rows.get('t1')).toEqual({ kind: 'T_M', eBindingEv: expect.closeTo(-0.9, 9) });
    const runs = await db.nebRun.findMany({ where: { surfaceId } });
    expect(runs.map((r) => r.name)).toEqual(['hop']);
    expect(JSON.parse(runs[0].imagesJson).map((im: { energyEv: number }) => im.energyEv)).toEqual([
      -190.6, -190.3, -190.8,
    ]);
  });

  it('takes a bare NEB folder (<name>/00..NN, as picked on its own) as neb/<name>', async () => {
    const res = await send([
      ['bridge-x/00/POSCAR', li(T_M1)],
      ['bridge-x/00/OUTCAR', outcarText(-190.85, -190.8)],
      ['bridge-x/01/CONTCAR', li([2.37, 0.4561, Z])],
      ['bridge-x/01/OUTCAR.gz', gz(outcarText(-190.35, -190.3))],
      ['bridge-x/02/POSCAR', li(H)],
      ['bridge-x/02/energy.gz', gz('-190.6\n')],
      ['bridge-x/INCAR', 'IMAGES = 1\n'],
    ]);
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toMatchObject({ labelsAdded: [], nebRunsAdded: ['bridge-x'], skipped: ['bridge-x/INCAR'] });
    await waitForJob(body.extractJobId);
    const run = await db.nebRun.findFirstOrThrow({ where: { surfaceId, name: 'bridge-x' } });
    expect(JSON.parse(run.imagesJson).map((im: { energyEv: number }) => im.energyEv)).toEqual([-190.8, -190.3, -190.6]);
  });

  it('adds only the new rows when the whole surface folder is sent again, skipping its own files', async () => {
    const grown = surfaceFiles.map(([p, c]): [string, string] => [
      p,
      // smallSurfaceFiles' labels.csv has a method column.
      p.endsWith('labels.csv')
        ? `${c}h1,H,${H.join(',')},-190.6,\nh9,H,${[1.58 + 3.16, 0.9122, Z].join(',')},-190.55,test\n`
        : c,
    ]);
    const res = await send(grown);
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body.labelsAdded).toEqual(['h9']);
    expect(body.alreadyStored).toEqual(['a', 'h1']);
    expect(body.skipped.sort()).toEqual(['MoS2-V/LOCPOT', 'MoS2-V/POSCAR', 'MoS2-V/meta.json']);
    await waitForJob(body.extractJobId);
    expect((await labelRows()).get('h9')).toEqual({ kind: 'H', eBindingEv: expect.closeTo(-0.65, 9) });
  });

  it('changes nothing when everything sent is already stored', async () => {
    const before = await state();
    const res = await send([['labels.csv', `${HEAD}\nh1,H,${H.join(',')},-190.6\n`]]);
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ labelsAdded: [], alreadyStored: ['h1'], extractJobId: null });
    expect(await state()).toEqual(before);
  });

  it.each([
    [
      'a label far from every site',
      [['labels.csv', `${HEAD}\nok,H,${H2.join(',')},-190.1\nfar,T_M,${TOP_S.join(',')},-190.2\n`]],
      422,
      { code: 'label_far_from_sites', file: 'labels.csv', line: 3 },
      /label 'far' .* is 1\.58 Å from the nearest site/,
    ],
    [
      'a label of the wrong kind',
      [['labels.csv', `${HEAD}\nk,bridge,${T_M1.join(',')},-190.1\n`]],
      422,
      { code: 'label_kind_mismatch', file: 'labels.csv', line: 2 },
      /label 'k' is of kind bridge but the site it matches, T_M-\d+/,
    ],
    [
      'an NEB folder with a missing image',
      [
        ['neb/gap/00/POSCAR', li(H)],
        ['neb/gap/00/energy', '-190.6\n'],
        ['neb/gap/01/POSCAR', li([2.37, 0.4561, Z])],
        ['neb/gap/01/energy', '-190.3\n'],
        ['neb/gap/03/POSCAR', li(T_M1)],
        ['neb/gap/03/energy', '-190.8\n'],
      ],
      422,
      { code: 'missing_image', file: 'neb/gap/02' },
      /missing image folder neb\/gap\/02/,
    ],
    [
      'a sites/ OUTCAR without a finished ionic step (beside a good labels.csv)',
      [
        ['labels.csv', `${HEAD}\nnew,H,${H2.join(',')},-190.1\n`],
        ['sites/t9/CONTCAR', li(T_M1)],
        ['sites/t9/OUTCAR', ' vasp.6.3.0\n running on 4 total cores\n'],
      ],
      422,
      { code: 'unexpected_eof', file: 'sites/t9/OUTCAR', line: 2 },
      /sites\/t9\/OUTCAR line 2: expected a finished ionic step/,
    ],
    [
      'a label already stored with other values',
      [['labels.csv', `${HEAD}\nh1,H,${H.join(',')},-190.0\n`]],
      409,
      { code: 'label_exists', file: 'labels.csv', line: 2 },
      /already has a label 'h1'/,
    ],
    [
      'only the surface’s own files',
      [['MoS2-V/POSCAR', writePoscar(structure)]],
      422,
      { code: 'no_labels' },
      /nothing to add/,
    ],
  ] as const)('refuses %s and changes nothing', async (_what, files, status, error, message) => {
    const before = await state();
    const res = await send(files as unknown as [string, string][]);
    expect(res.status).toBe(status);
    const body = (await res.json()).error;
    expect(body).toMatchObject(error);
    expect(body.message).toMatch(message);
    expect(await state()).toEqual(before);
  });

  it('answers 404 for an unknown surface', async () => {
    const res = await send([['labels.csv', `${HEAD}\nx,H,${H.join(',')},-190.6\n`]], 'nope');
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('no_surface');
  });

  it('reports progress through the job named by ?job=', async () => {
    const jobId = crypto.randomUUID();
    const res = await send([['labels.csv', `${HEAD}\nh1,H,${H.join(',')},-190.6\n`]], surfaceId, `?job=${jobId}`);
    expect(res.status).toBe(201);
    const { job } = await (await jobRoute(new Request('http://x'), ctx({ id: jobId }))).json();
    expect(job).toMatchObject({ status: 'done', progress: 1, kind: 'add-labels' });
  });
});
