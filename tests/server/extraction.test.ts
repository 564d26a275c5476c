import { decode } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ctx, encodeForm, multipart, setupTempDatabase } from './helpers';
import { smallSurfaceFiles } from './surface-files';

const temp = setupTempDatabase();
afterAll(() => temp.cleanup());

const { POST: createDataset } = await import('@/app/api/datasets/route');
const { POST: upload } = await import('@/app/api/datasets/[id]/uploads/route');
const { GET: jobRoute } = await import('@/app/api/jobs/[id]/route');
const { GET: surfaceRoute } = await import('@/app/api/surfaces/[id]/route');
const { GET: epdiRoute } = await import('@/app/api/sites/[id]/epdi/route');
const { GET: batchRoute } = await import('@/app/api/datasets/[id]/epdis/route');
const { parseEpdiBatch } = await import('@/lib/server/epdi-batch');
const { GET: mepRoute } = await import('@/app/api/datasets/[id]/mep-correlation/route');

let datasetId = '';
let surfaceId = '';

async function waitForJob(id: string): Promise<{ status: string; error: string | null; result: unknown }> {
  for (let i = 0; i < 600; i++) {
    const { job } = await (await jobRoute(new Request('http://x'), ctx({ id }))).json();
    if (job.status === 'done' || job.status === 'failed') return job;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('job did not finish');
}

beforeAll(async () => {
  const res = await createDataset(
    new Request('http://x', { method: 'POST', body: JSON.stringify({ name: 'extraction', settings: { pixels: 16 } }) }),
  );
  datasetId = (await res.json()).dataset.id;
  const { files } = smallSurfaceFiles();
  const { body, contentType } = await encodeForm(multipart(files));
  const up = await upload(
    new Request('http://x', { method: 'POST', headers: { 'content-type': contentType }, body }),
    ctx({ id: datasetId }),
  );
  expect(up.status).toBe(201);
  const result = await up.json();
  surfaceId = result.surfaces[0].id;
  const job = await waitForJob(result.extractJobId);
  expect(job.error).toBeNull();
  expect(job.status).toBe('done');
});

describe('extraction after upload', () => {
  it('finds the 9 T_M, 9 H and 27 bridge sites of a 3x3 2H slab with 27 hops (one per bridge) and matches the label', async () => {
    const { surface } = await (await surfaceRoute(new Request('http://x'), ctx({ id: surfaceId }))).json();
    const count = (kind: string) => surface.sites.filter((s: { kind: string }) => s.kind === kind).length;
    expect([count('T_M'), count('H'), count('bridge')]).toEqual([9, 9, 27]);
    expect(surface.hops).toHaveLength(27);
    // labels.csv puts Li above metal 0 (the dopant): E_b = E_total - E_slab - mu_Li = -190.5 + 188.0 + 1.9.
    const labelled = surface.sites.filter((s: { eBindingEv: number | null }) => s.eBindingEv !== null);
    expect(labelled).toHaveLength(1);
    expect(labelled[0].kind).toBe('T_M');
    expect(labelled[0].eBindingEv).toBeCloseTo(-0.6, 9);
    expect(surface.unmatchedLabels).toEqual([]);
    expect(surface.sites.every((s: { mepV: number }) => Number.isFinite(s.mepV))).toBe(true);
  });

  it('serves an EPDI as a PNG of the dataset pixel size', async () => {
    const { surface } = await (await surfaceRoute(new Request('http://x'), ctx({ id: surfaceId }))).json();
    const res = await epdiRoute(new Request('http://x/epdi'), ctx({ id: surface.sites[0].id }));
    expect(res.headers.get('content-type')).toBe('image/png');
    const png = decode(new Uint8Array(await res.arrayBuffer()));
    expect([png.width, png.height]).toEqual([16, 16]);
  });

  it('returns every EPDI in one binary batch whose header lists the sites', async () => {
    const res = await batchRoute(new Request('http://x'), ctx({ id: datasetId }));
    const { header, potentials } = parseEpdiBatch(new Uint8Array(await res.arrayBuffer()));
    expect(header.count).toBe(45);
    expect(header.pixels).toBe(16);
    expect(potentials).toHaveLength(45 * 16 * 16);
    expect(header.rangeEv![1]).toBeGreaterThan(header.rangeEv![0]);
    expect(potentials.every((v) => Number.isFinite(v))).toBe(true);
  });

  it('reports MEP vs E_b per host, with no fit below three labelled points', async () => {
    const { hosts } = await (await mepRoute(new Request('http://x'), ctx({ id: datasetId }))).json();
    expect(hosts).toHaveLength(1);
    expect(hosts[0]).toMatchObject({ host: 'MoS2', fit: null });
    expect(hosts[0].points).toEqual([expect.objectContaining({ kind: 'T_M', eBindingEv: expect.closeTo(-0.6, 9) })]);
  });
});
