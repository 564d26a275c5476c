import path from 'node:path';
import { gzipSync, strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writePoscar } from '@/lib/formats/poscar';
import { writeVolumetric } from '@/lib/formats/volumetric';
import { ctx, encodeForm, setupTempDatabase } from './helpers';
import { settleJobs } from './label-files';
import { smallSurfaceFiles } from './surface-files';

/**
 * Issue 15 findings 3, 4, 5, 7 and 8 at the route level: bounded work, 4xx with a reason instead of 500s,
 * re-extraction, no absolute paths, security headers, cached views.
 */
const temp = setupTempDatabase();
process.env.EPDI_WEIGHTS_DIR = path.join(temp.dir, 'weights-missing');

const { db } = await import('@/lib/server/db');
const { POST: createDataset } = await import('@/app/api/datasets/route');
const datasetRoute = await import('@/app/api/datasets/[id]/route');
const { POST: upload } = await import('@/app/api/datasets/[id]/uploads/route');
const { GET: slice } = await import('@/app/api/surfaces/[id]/slice/route');
const { GET: gridRoute } = await import('@/app/api/surfaces/[id]/grid/route');
const { POST: extract } = await import('@/app/api/surfaces/[id]/extract/route');
const { GET: weightsFile } = await import('@/app/api/weights/[...path]/route');
const { GET: jobRoute } = await import('@/app/api/jobs/[id]/route');
const { requeueInterruptedExtractions } = await import('@/lib/server/requeue');
const { cachedProfiles, datasetVersion } = await import('@/lib/server/profiles-cache');
const { slicePixels } = await import('@/lib/server/potential-views');
const { scrubPaths } = await import('@/lib/server/http');
const jobs = await import('@/lib/server/jobs');

afterAll(async () => {
  await settleJobs(db);
  temp.cleanup();
}, 60_000);

let datasetId = '';

async function send(id: string, files: [string, string | Uint8Array][]): Promise<Response> {
  const form = new FormData();
  for (const [p, c] of files)
    form.append('file', new Blob([typeof c === 'string' ? c : new Uint8Array(c)]), encodeURIComponent(p));
  const { body, contentType } = await encodeForm(form);
  return upload(
    new Request('http://x', { method: 'POST', headers: { 'content-type': contentType }, body }),
    ctx({ id }),
  );
}

async function waitJob(id: string): Promise<{ status: string; error: string | null }> {
  for (let i = 0; i < 1200; i++) {
    const { job } = await (await jobRoute(new Request('http://x'), ctx({ id }))).json();
    if (job.status === 'done' || job.status === 'failed') return job;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('job did not finish');
}

beforeAll(async () => {
  const res = await createDataset(
    new Request('http://x', { method: 'POST', body: JSON.stringify({ name: 'hard', settings: { pixels: 16 } }) }),
  );
  datasetId = (await res.json()).dataset.id;
}, 60_000);

describe('finding 3: bounded work from small inputs', () => {
  it('refuses a 200,000-atom POSCAR.gz of a few KB with 413 naming the atom count', async () => {
    const text = `big\n1.0\n3 0 0\n0 3 0\n0 0 20\nMo\n200000\nDirect\n${'0.1 0.2 0.3\n'.repeat(200_000)}`;
    const gz = gzipSync(strToU8(text), { level: 9 });
    expect(gz.length).toBeLessThan(20_000);
    const res = await send(datasetId, [['Big/POSCAR.gz', gz]]);
    expect(res.status).toBe(413);
    const { error } = await res.json();
    expect(error.code).toBe('too_large');
    expect(error.message).toContain('between 1 and 10000 atoms');
    expect(error.message).toContain('200000');
    expect(error.line).toBe(7);
  });

  it('refuses a LOCPOT.gz whose header declares 640^3 points with 413 before reading its data', async () => {
    const { structure } = smallSurfaceFiles('G');
    const text = `${writePoscar(structure)}\n  640  640  640\n${'0.1 '.repeat(10_000)}\n`;
    const res = await send(datasetId, [['G/LOCPOT.gz', gzipSync(strToU8(text))]]);
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('too_large');
  });

  it('stops a gzip that inflates past EPDI_MAX_INFLATE_RATIO times its size with 413', async () => {
    const { files } = smallSurfaceFiles('Ratio');
    const locpot = files.find(([p]) => p.endsWith('LOCPOT'))![1];
    // 80 MB of blank lines after a valid LOCPOT: ~80 KB of gzip, ratio ~1000 (the old cap was 64 GiB).
    const gz = gzipSync(strToU8(locpot + '\n'.repeat(80 * 1024 ** 2)));
    const res = await send(datasetId, [
      ['Ratio/POSCAR', files[0][1]],
      ['Ratio/LOCPOT.gz', gz],
    ]);
    expect(res.status).toBe(413);
    const { error } = await res.json();
    expect(error.code).toBe('gzip_too_large');
    expect(error.file).toBe('Ratio/LOCPOT.gz');
  });

  it('keeps a slice of a cell with |b| = 1000 |a| within EPDI_MAX_SLICE_PIXELS (was 256 x 256,000)', () => {
    const [w, h] = slicePixels(1, 1000, 256);
    expect(w * h).toBeLessThanOrEqual(512 * 512);
    expect(h / w).toBeCloseTo(1000, -1);
    expect(slicePixels(3, 3, 128)).toEqual([128, 128]);
  });

  it('queues jobs past EPDI_JOB_CONCURRENCY and shows their position', async () => {
    process.env.EPDI_JOB_CONCURRENCY = '1';
    try {
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const first = await jobs.startJob('test-block', {}, () => gate);
      await new Promise((r) => setTimeout(r, 50));
      const second = await jobs.startJob('test-after', {}, async () => 'ok');
      await new Promise((r) => setTimeout(r, 50));
      const view = (await (await jobRoute(new Request('http://x'), ctx({ id: second }))).json()).job;
      expect(view.status).toBe('queued');
      expect(view.position).toBe(1);
      expect((await jobs.getJob(first))!.status).toBe('running');
      release();
      expect((await waitJob(second)).status).toBe('done');
    } finally {
      delete process.env.EPDI_JOB_CONCURRENCY;
    }
  });
});

describe('finding 4: malformed requests answer 4xx with a reason', () => {
  it('meta.json nested 5,000 deep: 422 naming the file', async () => {
    const { files } = smallSurfaceFiles('Deep');
    const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    const res = await send(datasetId, [...files.filter(([p]) => !p.endsWith('meta.json')), ['Deep/meta.json', deep]]);
    expect(res.status).toBe(422);
    const { error } = await res.json();
    expect(error.code).toBe('too_deep');
    expect(error.file).toBe('Deep/meta.json');
  });

  it('a dataset name with a lone UTF-16 surrogate: 400', async () => {
    const res = await createDataset(new Request('http://x', { method: 'POST', body: '{"name":"bad \\ud800 name"}' }));
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toContain('lone UTF-16 surrogate');
  });

  it('/api/weights/%25 (a lone % once decoded by Next.js): 400, not a URIError', async () => {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(process.env.EPDI_WEIGHTS_DIR!, { recursive: true });
    const res = await weightsFile(new Request('http://x/api/weights/%25'), {
      params: Promise.resolve({ path: ['%'] }),
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('bad_path');
  });

  it('slice and grid of a surface without chalcogen atoms: 422 naming the problem', async () => {
    const { structure, dims } = smallSurfaceFiles('Metal');
    const metal = { ...structure, species: structure.species.map(() => 'Mo') };
    const res = await send(datasetId, [
      ['Metal/POSCAR', writePoscar(metal)],
      ['Metal/LOCPOT', writeVolumetric(metal, dims, [new Float32Array(dims[0] * dims[1] * dims[2]).fill(0.5)])],
    ]);
    expect(res.status).toBe(201);
    const body = await res.json();
    if (body.extractJobId) await waitJob(body.extractJobId);
    const id = body.surfaces[0].id;
    for (const route of [slice, gridRoute]) {
      const r = await route(new Request('http://x/?pixels=16'), ctx({ id }));
      expect(r.status).toBe(422);
      expect((await r.json()).error.code).toBe('no_chalcogen_layer');
    }
  });
});

describe('finding 5: re-extraction', () => {
  let surfaceId = '';
  const { files } = smallSurfaceFiles('Again');

  it('a re-upload of a surface whose extraction never finished extracts it again', async () => {
    const first = await (await send(datasetId, files)).json();
    surfaceId = first.surfaces[0].id;
    await waitJob(first.extractJobId);
    await db.surface.update({ where: { id: surfaceId }, data: { extractionJson: null } });
    const again = await send(datasetId, files);
    expect(again.status).toBe(201);
    const body = await again.json();
    expect(body.surfaces[0].unchanged).toBe(true);
    expect(body.extractJobId).not.toBeNull();
    expect((await waitJob(body.extractJobId)).status).toBe('done');
    expect((await db.surface.findUnique({ where: { id: surfaceId } }))!.extractionJson).not.toBeNull();
  });

  it('start-up re-queues an extraction a stopped server interrupted, and only that one', async () => {
    await db.surface.update({ where: { id: surfaceId }, data: { extractionJson: null } });
    await db.job.create({
      data: {
        kind: 'extract',
        datasetId,
        status: 'failed',
        error: 'interrupted: the server stopped before this job finished',
        inputJson: JSON.stringify({ surfaceIds: [surfaceId] }),
      },
    });
    expect(await requeueInterruptedExtractions()).toBe(1);
    await settleJobs(db);
    expect((await db.surface.findUnique({ where: { id: surfaceId } }))!.extractionJson).not.toBeNull();
    expect(await requeueInterruptedExtractions()).toBe(0);
  });

  it('POST /api/surfaces/[id]/extract re-extracts on demand (the page\'s "Extract again")', async () => {
    const res = await extract(new Request('http://x', { method: 'POST' }), ctx({ id: surfaceId }));
    expect(res.status).toBe(202);
    expect((await waitJob((await res.json()).jobId)).status).toBe('done');
  });
});

describe('found by the HTTP fuzzer', () => {
  it('a refused file name followed by a body cut off mid-part answers 400 and does not crash the process', async () => {
    const boundary = 'xyzzy';
    const body = strToU8(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="..%2Fevil"\r\n\r\n${'a'.repeat(100_000)}`,
    );
    const res = await upload(
      new Request('http://x', {
        method: 'POST',
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        body,
      }),
      ctx({ id: datasetId }),
    );
    expect(res.status).toBe(400);
    await new Promise((r) => setTimeout(r, 100)); // an unhandled 'error' event would surface here
  });
});

describe('finding 7: names, paths and headers', () => {
  it('a surface name past 100 characters: 422 (as dataset names)', async () => {
    const name = 'S'.repeat(101);
    const { files } = smallSurfaceFiles(name);
    const res = await send(datasetId, files);
    expect(res.status).toBe(422);
    expect((await res.json()).error.code).toBe('name_too_long');
  });

  it('a 404 of the weights route does not show the server folder', async () => {
    const res = await weightsFile(new Request('http://x'), { params: Promise.resolve({ path: ['nothing.json'] }) });
    expect(res.status).toBe(404);
    const text = await res.text();
    expect(text).not.toContain(temp.dir);
    expect(text).toContain('nothing.json');
  });

  it('scrubs absolute paths but leaves units and fractions', () => {
    expect(scrubPaths('cannot open /srv/app/data/x/LOCPOT now')).toBe('cannot open LOCPOT now');
    expect(scrubPaths('density in e/A^3, 1/2 of it')).toBe('density in e/A^3, 1/2 of it');
  });

  it('sends CSP, X-Frame-Options, X-Content-Type-Options and Referrer-Policy on every path', async () => {
    const { createRequire } = await import('node:module');
    const config = createRequire(import.meta.url)('../../next.config.js') as {
      headers: () => Promise<{ source: string; headers: { key: string; value: string }[] }[]>;
    };
    const rules = await config.headers();
    expect(rules[0].source).toBe('/:path*');
    const h = Object.fromEntries(rules[0].headers.map((x) => [x.key, x.value]));
    expect(h['X-Frame-Options']).toBe('DENY');
    expect(h['X-Content-Type-Options']).toBe('nosniff');
    expect(h['Referrer-Policy']).toBeTruthy();
    expect(h['Content-Security-Policy']).toContain("'wasm-unsafe-eval'");
    expect(h['Content-Security-Policy']).toContain("frame-ancestors 'none'");
  });
});

describe('finding 8: derived views are cached per dataset version', () => {
  it('answers the same profiles object while nothing changed, and a new one after a change', async () => {
    const v1 = await datasetVersion(datasetId);
    const a = await cachedProfiles(datasetId, {});
    const b = await cachedProfiles(datasetId, {});
    expect(b).toBe(a);
    expect(await datasetVersion(datasetId)).toBe(v1);
    const patched = await datasetRoute.PATCH(
      new Request('http://x', { method: 'PATCH', body: JSON.stringify({ muLiReference: 'custom', muLiEv: -2.5 }) }),
      ctx({ id: datasetId }),
    );
    expect(patched.status).toBeLessThan(300);
    expect(await datasetVersion(datasetId)).not.toBe(v1);
    const c = await cachedProfiles(datasetId, {});
    expect(c).not.toBe(a);
  });
});

describe('findings 3, 4 and 7: model import', () => {
  let zip: Uint8Array = new Uint8Array();
  let modelDataset = '';
  beforeAll(async () => {
    const { labelledSurfaceFiles } = await import('./training-files');
    const { GET: batchRoute } = await import('@/app/api/datasets/[id]/epdis/route');
    const { parseEpdiBatch, samplesFromBatch } = await import('@/lib/ml/batch');
    const { fitModel } = await import('@/lib/ml/models');
    const { modelToZip } = await import('@/lib/ml/persist');
    const { isLabelled } = await import('@/lib/ml/types');
    const res = await createDataset(
      new Request('http://x', { method: 'POST', body: JSON.stringify({ name: 'models', settings: { pixels: 16 } }) }),
    );
    modelDataset = (await res.json()).dataset.id;
    const up = await send(modelDataset, labelledSurfaceFiles('MoS2-V').files);
    await waitJob((await up.json()).extractJobId);
    const batch = parseEpdiBatch(
      new Uint8Array(await (await batchRoute(new Request('http://x'), ctx({ id: modelDataset }))).arrayBuffer()),
    );
    const model = await fitModel({ type: 'pixel-ridge', size: 8 }, samplesFromBatch(batch).filter(isLabelled), {
      imageSettings: { rangeEv: batch.header.rangeEv! },
      seed: 1,
    });
    zip = modelToZip(await model.state());
  }, 120_000);

  async function importZip(bytes: Uint8Array, query = ''): Promise<Response> {
    const { POST } = await import('@/app/api/datasets/[id]/models/import/route');
    return POST(
      new Request(`http://x/${query}`, { method: 'POST', body: new Uint8Array(bytes) }),
      ctx({ id: modelDataset }),
    );
  }

  function rezip(edit: (files: Record<string, Uint8Array>) => void): Uint8Array {
    const files = unzipSync(zip);
    edit(files);
    return zipSync(files);
  }

  it('imports the plain zip (the baseline)', async () => {
    expect((await importZip(zip)).status).toBe(201);
  });

  it('refuses a zip-slip entry name instead of storing it for export', async () => {
    const res = await importZip(rezip((f) => (f['../../evil.json'] = strToU8('{}'))));
    expect(res.status).toBe(422);
    expect((await res.json()).error.message).toContain('`..`');
  });

  it('refuses a 64 MiB entry that deflates 1000:1 before inflating it', async () => {
    const res = await importZip(rezip((f) => (f['big.bin'] = new Uint8Array(64 * 1024 ** 2))));
    expect(res.status).toBe(413);
  });

  it('a non-string name or metrics nested 5,000 deep in meta.json: 422, not 500', async () => {
    const meta = (f: Record<string, Uint8Array>) => JSON.parse(strFromU8(f['meta.json'])) as Record<string, unknown>;
    const named = await importZip(rezip((f) => (f['meta.json'] = strToU8(JSON.stringify({ ...meta(f), name: 42 })))));
    expect(named.status).toBe(422);
    const deep = await importZip(
      rezip((f) => {
        const text = JSON.stringify({ ...meta(f), metrics: 0 });
        f['meta.json'] = strToU8(text.replace('"metrics":0', `"metrics":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`));
      }),
    );
    expect(deep.status).toBe(422);
  });

  it('a model name past 100 characters: 422 (as dataset names)', async () => {
    const res = await importZip(zip, `?name=${'m'.repeat(101)}`);
    expect(res.status).toBe(422);
    expect((await res.json()).error.code).toBe('name_too_long');
  });
});
