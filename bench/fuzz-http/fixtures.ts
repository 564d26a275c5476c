/**
 * What the route fuzzer needs in its temporary database: a dataset with an extracted, labelled surface, a model with
 * predictions, a surface without chalcogen atoms (upload accepts it, extraction cannot find layers), and the files
 * and zips its multipart bodies mutate. Call after tests/server/helpers.ts setupTempDatabase (lib/server reads
 * DATABASE_URL once, at import).
 */
import { writePoscar } from '@/lib/formats/poscar';
import { writeVolumetric } from '@/lib/formats/volumetric';
import { encodeForm, multipart } from '../../tests/server/helpers';
import { smallSurfaceFiles } from '../../tests/server/surface-files';
import { labelledSurfaceFiles } from '../../tests/server/training-files';

export interface FuzzFixtures {
  datasetIds: string[];
  surfaceIds: string[];
  siteIds: string[];
  modelIds: string[];
  jobIds: string[];
  /** A surface folder (relative path, bytes) for multipart bodies. */
  surfaceFiles: [string, Uint8Array][];
  /** A model zip as the browser exports it. */
  modelZip: Uint8Array;
}

const ctx = <T extends Record<string, string>>(params: T) => ({ params: Promise.resolve(params) });

async function waitJob(id: string): Promise<void> {
  const { db } = await import('@/lib/server/db');
  for (let i = 0; i < 1200; i++) {
    const job = await db.job.findUnique({ where: { id }, select: { status: true } });
    if (job && (job.status === 'done' || job.status === 'failed')) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`fuzz fixtures: job ${id} did not finish`);
}

async function upload(
  datasetId: string,
  files: [string, string][],
): Promise<{ extractJobId: string | null; surfaces: { id: string }[] }> {
  const { POST } = await import('@/app/api/datasets/[id]/uploads/route');
  const { body, contentType } = await encodeForm(multipart(files));
  const res = await POST(
    new Request('http://x', { method: 'POST', headers: { 'content-type': contentType }, body }),
    ctx({ id: datasetId }),
  );
  if (res.status !== 201) throw new Error(`fuzz fixtures: upload answered ${res.status}: ${await res.text()}`);
  return res.json();
}

export async function createFuzzFixtures(): Promise<FuzzFixtures> {
  const { POST: createDataset } = await import('@/app/api/datasets/route');
  const { GET: batchRoute } = await import('@/app/api/datasets/[id]/epdis/route');
  const modelsRoute = await import('@/app/api/datasets/[id]/models/route');
  const { parseEpdiBatch, samplesFromBatch } = await import('@/lib/ml/batch');
  const { fitModel } = await import('@/lib/ml/models');
  const { modelToZip } = await import('@/lib/ml/persist');
  const { isLabelled } = await import('@/lib/ml/types');
  const { db } = await import('@/lib/server/db');

  const datasetIds: string[] = [];
  for (const name of ['fuzz main', 'fuzz other']) {
    const res = await createDataset(
      new Request('http://x', { method: 'POST', body: JSON.stringify({ name, settings: { pixels: 16 } }) }),
    );
    datasetIds.push((await res.json()).dataset.id);
  }
  const main = await upload(datasetIds[0], labelledSurfaceFiles('MoS2-V').files);
  await waitJob(main.extractJobId!);

  // A metal-only slab: accepted at upload, no chalcogen layer for extraction or the potential views.
  const { structure, dims } = smallSurfaceFiles('Metal');
  const metal = { ...structure, species: structure.species.map(() => 'Mo') };
  const metalFiles: [string, string][] = [
    ['Metal/POSCAR', writePoscar(metal)],
    ['Metal/LOCPOT', writeVolumetric(metal, dims, [new Float32Array(dims[0] * dims[1] * dims[2]).fill(0.5)])],
  ];
  const bare = await upload(datasetIds[1], metalFiles);
  if (bare.extractJobId) await waitJob(bare.extractJobId);

  // A model trained the way the browser does: batch -> samples -> fit -> zip, then stored with its predictions.
  const batch = parseEpdiBatch(
    new Uint8Array(await (await batchRoute(new Request('http://x'), ctx({ id: datasetIds[0] }))).arrayBuffer()),
  );
  const samples = samplesFromBatch(batch);
  const model = await fitModel({ type: 'pixel-ridge', size: 8 }, samples.filter(isLabelled), {
    imageSettings: { rangeEv: batch.header.rangeEv! },
    seed: 1,
  });
  const modelZip = modelToZip(await model.state());
  const form = new FormData();
  form.append('model', new Blob([new Uint8Array(modelZip)]), 'model.zip');
  form.append('meta', JSON.stringify({ name: 'fuzz model', trainIds: model.trainIds }));
  const { body, contentType } = await encodeForm(form);
  const created = await modelsRoute.POST(
    new Request('http://x', { method: 'POST', headers: { 'content-type': contentType }, body }),
    ctx({ id: datasetIds[0] }),
  );
  const modelIds: string[] = [];
  if (created.status === 201) modelIds.push(((await created.json()) as { model: { id: string } }).model.id);

  const surfaceIds = [...main.surfaces, ...bare.surfaces].map((s) => s.id);
  const siteIds = (await db.site.findMany({ select: { id: true }, take: 5 })).map((s) => s.id);
  const jobIds = (await db.job.findMany({ select: { id: true }, take: 5 })).map((j) => j.id);
  const encoder = new TextEncoder();
  return {
    datasetIds,
    surfaceIds,
    siteIds,
    modelIds,
    jobIds,
    surfaceFiles: smallSurfaceFiles('Fz').files.map(([p, c]) => [p, encoder.encode(c)]),
    modelZip,
  };
}
