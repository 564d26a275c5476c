import { unzipSync, zipSync, strToU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ctx, encodeForm, multipart, setupTempDatabase } from './helpers';
import { labelledSurfaceFiles } from './training-files';

const temp = setupTempDatabase();
afterAll(() => temp.cleanup());

const { POST: createDataset } = await import('@/app/api/datasets/route');
const { POST: upload } = await import('@/app/api/datasets/[id]/uploads/route');
const { GET: jobRoute } = await import('@/app/api/jobs/[id]/route');
const { GET: batchRoute } = await import('@/app/api/datasets/[id]/epdis/route');
const modelsRoute = await import('@/app/api/datasets/[id]/models/route');
const { POST: importRoute } = await import('@/app/api/datasets/[id]/models/import/route');
const { POST: trainServer } = await import('@/app/api/datasets/[id]/models/train-server/route');
const modelRoute = await import('@/app/api/models/[id]/route');
const { GET: exportRoute } = await import('@/app/api/models/[id]/export/route');
const predictionsRoute = await import('@/app/api/models/[id]/predictions/route');
const weightsFile = await import('@/app/api/weights/[...path]/route');
const { GET: wasmRoute } = await import('@/app/api/tfjs-wasm/[file]/route');
const { parseEpdiBatch, samplesFromBatch } = await import('@/lib/ml/batch');
const { fitModel } = await import('@/lib/ml/models');
const { modelToZip, modelFromZip } = await import('@/lib/ml/persist');
const { isLabelled } = await import('@/lib/ml/types');

let datasetId = '';
let otherDatasetId = '';
let zip: Uint8Array = new Uint8Array();
let trainIds: string[] = [];
let unlabelledIds: string[] = [];

async function waitForJob(id: string): Promise<{ status: string; error: string | null; result: unknown }> {
  for (let i = 0; i < 1200; i++) {
    const { job } = await (await jobRoute(new Request('http://x'), ctx({ id }))).json();
    if (job.status === 'done' || job.status === 'failed') return job;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('job did not finish');
}

async function newDataset(name: string): Promise<string> {
  const res = await createDataset(new Request('http://x', { method: 'POST', body: JSON.stringify({ name, settings: { pixels: 16 } }) }));
  return (await res.json()).dataset.id;
}

function modelForm(bytes: Uint8Array, meta: unknown): Promise<{ body: Uint8Array<ArrayBuffer>; contentType: string }> {
  const form = new FormData();
  form.append('model', new Blob([new Uint8Array(bytes)]), 'model.zip');
  form.append('meta', JSON.stringify(meta));
  return encodeForm(form);
}

async function postModel(id: string, bytes: Uint8Array, meta: unknown): Promise<Response> {
  const { body, contentType } = await modelForm(bytes, meta);
  return modelsRoute.POST(new Request('http://x', { method: 'POST', headers: { 'content-type': contentType }, body }), ctx({ id }));
}

const postJson = (body: unknown) => new Request('http://x', { method: 'POST', body: JSON.stringify(body) });

beforeAll(async () => {
  datasetId = await newDataset('models');
  otherDatasetId = await newDataset('models other');
  const { files } = labelledSurfaceFiles();
  const { body, contentType } = await encodeForm(multipart(files));
  const up = await upload(new Request('http://x', { method: 'POST', headers: { 'content-type': contentType }, body }), ctx({ id: datasetId }));
  expect(up.status).toBe(201);
  const job = await waitForJob((await up.json()).extractJobId);
  expect(job.error).toBeNull();
  // Train the way the browser does: batch -> samples -> fit -> zip.
  const batch = parseEpdiBatch(new Uint8Array(await (await batchRoute(new Request('http://x'), ctx({ id: datasetId }))).arrayBuffer()));
  const samples = samplesFromBatch(batch);
  const train = samples.filter(isLabelled);
  unlabelledIds = samples.filter((s) => !isLabelled(s)).map((s) => s.id);
  const model = await fitModel({ type: 'pixel-ridge', size: 8 }, train, { imageSettings: { rangeEv: batch.header.rangeEv! }, seed: 1 });
  trainIds = model.trainIds;
  zip = modelToZip(await model.state());
}, 120_000);

describe('models API', () => {
  let modelId = '';

  it('reads labelled hollows and bridges from the EPDI batch as samples with the window size', async () => {
    const batch = parseEpdiBatch(new Uint8Array(await (await batchRoute(new Request('http://x'), ctx({ id: datasetId }))).arrayBuffer()));
    const samples = samplesFromBatch(batch);
    expect(samples).toHaveLength(45);
    expect(samples.filter(isLabelled)).toHaveLength(18 + 12);
    expect(samples.filter((s) => s.isSaddle)).toHaveLength(27);
    expect(samples.every((s) => s.kind !== 'bridge' || s.isSaddle)).toBe(true);
    expect(samples[0].windowAngstrom).toBe(6.4);
    expect(unlabelledIds).toHaveLength(15);
  });

  it('stores a model zip and lists it with its metrics', async () => {
    const res = await postModel(datasetId, zip, {
      name: 'ridge test',
      spec: { type: 'pixel-ridge', size: 8 },
      metrics: { maeEv: 0.01 },
      trainingSiteIds: trainIds,
      backend: 'cpu',
    });
    expect(res.status).toBe(201);
    const { model } = await res.json();
    modelId = model.id;
    expect(model).toMatchObject({ name: 'ridge test', head: 'pixel-ridge', backbone: 'none', backend: 'cpu', trainingSiteCount: 30, trainingSiteMatch: null });
    // Stored with training-sites.csv added (models-training-sites.test.ts checks its content).
    expect(model.bytes).toBeGreaterThan(zip.byteLength);
    const list = await (await modelsRoute.GET(new Request('http://x'), ctx({ id: datasetId }))).json();
    expect(list.models).toHaveLength(1);
    expect(list.models[0]).toMatchObject({ id: modelId, metrics: { maeEv: 0.01 }, predictions: 0 });
  });

  it('exports the stored zip: the uploaded entries byte for byte, plus training-sites.csv', async () => {
    const res = await exportRoute(new Request('http://x'), ctx({ id: modelId }));
    expect(res.headers.get('content-type')).toBe('application/zip');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="ridge_test.zip"');
    const bytes = new Uint8Array(await res.arrayBuffer());
    const { model } = await (await modelRoute.GET(new Request('http://x'), ctx({ id: modelId }))).json();
    expect(bytes.byteLength).toBe(model.bytes);
    const exported = unzipSync(bytes);
    const uploaded = unzipSync(zip);
    expect(Object.keys(exported).sort()).toEqual([...Object.keys(uploaded), 'training-sites.csv'].sort());
    for (const [name, entry] of Object.entries(uploaded)) expect(exported[name]).toEqual(entry);
    // The same bytes on a second export.
    expect(new Uint8Array(await (await exportRoute(new Request('http://x'), ctx({ id: modelId }))).arrayBuffer())).toEqual(bytes);
  });

  it('imports an exported zip into another dataset, taking name and spec from meta.json', async () => {
    const res = await importRoute(new Request('http://x/import', { method: 'POST', body: new Uint8Array(zip) }), ctx({ id: otherDatasetId }));
    expect(res.status).toBe(201);
    const { model } = await res.json();
    // The other dataset has no surfaces: none of the 30 training sites is found there.
    expect(model).toMatchObject({
      name: 'pixel-ridge(8)',
      head: 'pixel-ridge',
      trainingSiteCount: 30,
      matchedTrainingSites: 0,
      trainingSiteMatch: { total: 30, byId: 0, byName: 0, byAppSite: 0, unmatched: 30, csv: false },
    });
    const back = await exportRoute(new Request('http://x'), ctx({ id: model.id }));
    expect(modelFromZip(new Uint8Array(await back.arrayBuffer())).spec).toEqual({ type: 'pixel-ridge', size: 8 });
  });

  it('stores predictions and replaces them on the next post', async () => {
    const first = unlabelledIds.map((siteId, i) => ({ siteId, valueEv: -1 - i / 100, sigmaEv: 0.05 }));
    let res = await predictionsRoute.POST(postJson(first), ctx({ id: modelId }));
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ stored: 15, replaced: 0 });
    const second = unlabelledIds.slice(0, 5).map((siteId) => ({ siteId, valueEv: -2, sigmaEv: null }));
    res = await predictionsRoute.POST(postJson(second), ctx({ id: modelId }));
    expect(await res.json()).toEqual({ stored: 5, replaced: 15 });
    const { predictions } = await (await predictionsRoute.GET(new Request('http://x'), ctx({ id: modelId }))).json();
    expect(predictions).toHaveLength(5);
    expect(predictions.every((p: { valueEv: number; sigmaEv: number | null }) => p.valueEv === -2 && p.sigmaEv === null)).toBe(true);
  });

  it.each([
    ['a missing value', [{ siteId: 'x' }]],
    ['a non-finite value', '[{"siteId":"x","valueEv":"NaN"}]'],
    ['a negative sigma', [{ siteId: 'x', valueEv: 1, sigmaEv: -1 }]],
    ['not an array', { siteId: 'x', valueEv: 1 }],
  ])('rejects predictions with %s (422)', async (_name, body) => {
    const req = new Request('http://x', { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) });
    const res = await predictionsRoute.POST(req, ctx({ id: modelId }));
    expect(res.status).toBe(422);
  });

  it('rejects predictions for sites of another dataset (422) and for an unknown model (404)', async () => {
    let res = await predictionsRoute.POST(postJson([{ siteId: 'not-a-site', valueEv: 1 }]), ctx({ id: modelId }));
    expect(res.status).toBe(422);
    expect((await res.json()).error.code).toBe('unknown_sites');
    res = await predictionsRoute.POST(postJson([]), ctx({ id: 'nope' }));
    expect(res.status).toBe(404);
  });

  it('rejects a broken zip, a spec mismatch and unknown training sites (422), an unknown dataset (404)', async () => {
    const meta = { name: 'x', spec: { type: 'pixel-ridge' }, trainingSiteIds: [] };
    let res = await postModel(datasetId, strToU8('not a zip'), meta);
    expect(res.status).toBe(422);
    expect((await res.json()).error.code).toBe('bad_model_file');
    res = await postModel(datasetId, zipSync({ 'a.txt': strToU8('x') }), meta);
    expect(res.status).toBe(422);
    res = await postModel(datasetId, zip, { ...meta, spec: { type: 'descriptor-gp' } });
    expect((await res.json()).error.code).toBe('spec_mismatch');
    res = await postModel(datasetId, zip, { ...meta, trainingSiteIds: ['ghost'] });
    expect((await res.json()).error.code).toBe('unknown_sites');
    res = await postModel(datasetId, zip, { ...meta, spec: { type: 'frozen-ridge' } });
    expect(res.status).toBe(422);
    res = await postModel('nope', zip, meta);
    expect(res.status).toBe(404);
    expect((await exportRoute(new Request('http://x'), ctx({ id: 'nope' }))).status).toBe(404);
  });

  it('deletes a model with its predictions, then answers 404', async () => {
    const res = await modelRoute.DELETE(new Request('http://x', { method: 'DELETE' }), ctx({ id: modelId }));
    expect(await res.json()).toEqual({ deleted: modelId });
    expect((await modelRoute.GET(new Request('http://x'), ctx({ id: modelId }))).status).toBe(404);
    expect((await modelRoute.DELETE(new Request('http://x', { method: 'DELETE' }), ctx({ id: modelId }))).status).toBe(404);
  });

  it('trains an anchored model on the server when asked', async () => {
    const res = await trainServer(postJson({ spec: { type: 'mean', anchor: 'endpoints' }, protocol: { kind: 'none' } }), ctx({ id: datasetId }));
    expect(res.status).toBe(202);
    const job = await waitForJob((await res.json()).jobId);
    expect(job.error).toBeNull();
    expect((job.result as { model: string }).model).toBe('mean/anchored');
    await modelRoute.DELETE(new Request('http://x', { method: 'DELETE' }), ctx({ id: (job.result as { modelId: string }).modelId }));
  }, 60_000);

  it('trains a descriptor GP in a server job and stores a prediction with sigma for every unlabelled site', async () => {
    const res = await trainServer(postJson({ spec: { type: 'descriptor-gp' }, protocol: { kind: 'paper', fraction: 0.5, repeats: 3 } }), ctx({ id: datasetId }));
    expect(res.status).toBe(202);
    const job = await waitForJob((await res.json()).jobId);
    expect(job.error).toBeNull();
    const result = job.result as { modelId: string; predictions: number; nTrain: number; comparison: { results: { model: string; maeEv: { mean: number } }[] } };
    expect(result.predictions).toBe(15);
    expect(result.nTrain).toBe(30);
    expect(result.comparison.results.map((r) => r.model)).toEqual(['descriptor-gp', 'mean', 'mep-linear', 'pixel-ridge(16)', 'mean/anchored']);
    const gp = result.comparison.results[0].maeEv.mean;
    const mean = result.comparison.results[1].maeEv.mean;
    expect(gp).toBeLessThan(mean);
    const { predictions } = await (await predictionsRoute.GET(new Request('http://x'), ctx({ id: result.modelId }))).json();
    expect(new Set(predictions.map((p: { siteId: string }) => p.siteId))).toEqual(new Set(unlabelledIds));
    expect(predictions.every((p: { sigmaEv: number | null }) => p.sigmaEv !== null && p.sigmaEv > 0)).toBe(true);
  }, 120_000);

  it('refuses convolutional and backbone specs on the server (422) and unknown datasets (404)', async () => {
    expect((await trainServer(postJson({ spec: { type: 'cnn' } }), ctx({ id: datasetId }))).status).toBe(422);
    expect((await trainServer(postJson({ spec: { type: 'descriptor-gp', backbone: 'darknet-tiny' } }), ctx({ id: datasetId }))).status).toBe(422);
    expect((await trainServer(postJson({ spec: { type: 'mean' } }), ctx({ id: 'nope' }))).status).toBe(404);
    expect((await trainServer(postJson({ spec: { type: 'mean', anchor: 'bogus' } }), ctx({ id: datasetId }))).status).toBe(422);
  });
});

describe('weights and wasm files', () => {
  const get = (segments: string[]) => weightsFile.GET(new Request('http://x'), { params: Promise.resolve({ path: segments }) });

  it.each([[['..', 'weights', 'PROVENANCE.md']], [['darknet-tiny-imagenet', '..', '..', 'main', 'package.json']], [['%2e%2e', 'x']], [['a/../../b']]])(
    'refuses path traversal %j',
    async (segments) => {
      const res = await get(segments);
      expect(res.status).toBe(400);
      expect((await res.json()).error.code).toBe('bad_path');
    },
  );

  it('answers 404 naming the missing file', async () => {
    const res = await get(['no-such-backbone', 'model.json']);
    expect(res.status).toBe(404);
    expect((await res.json()).error.message).toMatch(/no-such-backbone\/model\.json/);
  });

  it('streams the tfjs wasm binary and refuses other names', async () => {
    const res = await wasmRoute(new Request('http://x'), ctx({ file: 'tfjs-backend-wasm-simd.wasm' }));
    expect(res.headers.get('content-type')).toBe('application/wasm');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.subarray(0, 4)]).toEqual([0x00, 0x61, 0x73, 0x6d]);
    expect((await wasmRoute(new Request('http://x'), ctx({ file: 'package.json' }))).status).toBe(404);
  });
});

describe('backbone registry', () => {
  it('lists the shipped backbones as present and a missing weights folder with the reason', async () => {
    const { GET } = await import('@/app/api/weights/route');
    const before = process.env.EPDI_WEIGHTS_DIR;
    try {
      process.env.EPDI_WEIGHTS_DIR = temp.dir + '/no-weights-here';
      const missing = await (await GET()).json();
      expect(missing.present).toBe(false);
      expect(missing.backbones.every((b: { available: boolean; missing: string }) => !b.available && /does not exist/.test(b.missing))).toBe(true);
    } finally {
      if (before === undefined) delete process.env.EPDI_WEIGHTS_DIR;
      else process.env.EPDI_WEIGHTS_DIR = before;
    }
    const reg = await (await GET()).json();
    if (reg.present) expect(reg.backbones.find((b: { name: string }) => b.name === 'darknet-tiny')?.available).toBe(true);
  });
});
