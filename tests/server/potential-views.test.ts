import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writePoscar } from '@/lib/formats/poscar';
import { writeVolumetric } from '@/lib/formats/volumetric';
import type { Vec3 } from '@/lib/math/mat3';
import { parseFloat32Body } from '@/lib/view/binary-body';
import type { GridHeader, SliceHeader } from '@/lib/view/slice';
import {
  buildMX2Slab,
  evaluatePotential,
  exactVacuumLevel,
  sampleModelOnGrid,
  syntheticPotentialModel,
} from '../fixtures/synthetic';
import { ctx, encodeForm, multipart, setupTempDatabase } from './helpers';

const temp = setupTempDatabase();
afterAll(() => temp.cleanup());

const { POST: createDataset } = await import('@/app/api/datasets/route');
const { POST: upload } = await import('@/app/api/datasets/[id]/uploads/route');
const { GET: jobRoute } = await import('@/app/api/jobs/[id]/route');
const { GET: sliceRoute } = await import('@/app/api/surfaces/[id]/slice/route');
const { GET: gridRoute } = await import('@/app/api/surfaces/[id]/grid/route');

// A 2x2 doped 2H-MoS2 slab with a code offset of +3.7 eV (VASP-like): vacuum alignment must remove it.
const structure = buildMX2Slab({ phase: '2H', supercell: [2, 2], dopant: { species: 'V' } });
const model = syntheticPotentialModel(structure, { offsetEv: 3.7 });
const dims: [number, number, number] = [32, 32, 100];
const topZ = Math.max(...structure.positions.map((p) => p[2]));
let surfaceId = '';

async function waitForJob(id: string): Promise<{ status: string; error: string | null }> {
  for (let i = 0; i < 600; i++) {
    const { job } = await (await jobRoute(new Request('http://x'), ctx({ id }))).json();
    if (job.status === 'done' || job.status === 'failed') return job;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('job did not finish');
}

beforeAll(async () => {
  const res = await createDataset(
    new Request('http://x', { method: 'POST', body: JSON.stringify({ name: 'views', settings: { pixels: 16 } }) }),
  );
  const datasetId = (await res.json()).dataset.id;
  const grid = sampleModelOnGrid(model, dims);
  const files: [string, string][] = [
    ['MoS2-V/POSCAR', writePoscar(structure)],
    ['MoS2-V/LOCPOT', writeVolumetric(structure, dims, [grid.data])],
    ['MoS2-V/meta.json', JSON.stringify({ host: 'MoS2', phase: '2H', dopant: 'V' })],
  ];
  const { body, contentType } = await encodeForm(multipart(files));
  const up = await upload(
    new Request('http://x', { method: 'POST', headers: { 'content-type': contentType }, body }),
    ctx({ id: datasetId }),
  );
  expect(up.status).toBe(201);
  const result = await up.json();
  surfaceId = result.surfaces[0].id;
  expect((await waitForJob(result.extractJobId)).status).toBe('done');
});

async function slice(query: string): Promise<{ header: SliceHeader; values: Float32Array }> {
  const res = await sliceRoute(new Request(`http://x/slice?${query}`), ctx({ id: surfaceId }));
  expect(res.status).toBe(200);
  const { header, values } = parseFloat32Body(new Uint8Array(await res.arrayBuffer()));
  return { header: header as SliceHeader, values };
}

describe('GET /api/surfaces/[id]/slice', () => {
  it('returns the vacuum-aligned analytic potential in the plane 1.5 A above the top S layer', async () => {
    const { header, values } = await slice('heightA=1.5&pixels=24');
    expect([header.width, header.height]).toEqual([24, 24]); // |a| = |b|
    expect(values).toHaveLength(24 * 24);
    expect(header.topXHeightA).toBeCloseTo(topZ, 6);
    expect(header.planeHeightA).toBeCloseTo(topZ + 1.5, 6);
    // The alignment removes the code's offset (the wells' tails in the vacuum middle are far below 1e-3 eV).
    expect(header.shiftEv).toBeCloseTo(-exactVacuumLevel(model), 3);
    let worst = 0;
    for (let r = 0; r < header.height; r++)
      for (let c = 0; c < header.width; c++) {
        const fu = (c + 0.5) / header.width;
        const fv = (r + 0.5) / header.height;
        const p: Vec3 = [0, 1, 2].map((k) => header.origin[k] + fu * header.u[k] + fv * header.v[k]) as Vec3;
        const exact = evaluatePotential(model, p) - exactVacuumLevel(model);
        worst = Math.max(worst, Math.abs(values[c + header.width * r] - exact));
      }
    // Tricubic interpolation of 0.7 A Gaussians on a ~0.2 A grid: measured worst error 6e-4 eV.
    expect(worst).toBeLessThan(3e-3);
    expect(header.maxEv - header.minEv).toBeGreaterThan(0.1); // the map has contrast
  });

  it('changes with the height and defaults to the dataset Li height', async () => {
    const low = await slice('heightA=0.5&pixels=16');
    const high = await slice('heightA=3&pixels=16');
    const byDefault = await slice('pixels=16');
    expect(byDefault.header.heightA).toBe(1.5);
    expect(low.header.minEv).toBeLessThan(high.header.minEv); // deeper wells close to the S atoms
  });

  it('answers JSON on format=json', async () => {
    const res = await sliceRoute(new Request('http://x/slice?pixels=8&format=json'), ctx({ id: surfaceId }));
    const body = await res.json();
    expect(body.width).toBe(8);
    expect(body.values).toHaveLength(64);
  });

  it.each(['heightA=abc', 'pixels=3', 'pixels=9999', 'heightA=100', 'format=xml'])('rejects %s with 422', async (q) => {
    const res = await sliceRoute(new Request(`http://x/slice?${q}`), ctx({ id: surfaceId }));
    expect(res.status).toBe(422);
    expect((await res.json()).error.code).toBe('invalid_request');
  });

  it('answers 404 for an unknown surface', async () => {
    const res = await sliceRoute(new Request('http://x/slice'), ctx({ id: 'nope' }));
    expect(res.status).toBe(404);
  });
});

describe('GET /api/surfaces/[id]/grid', () => {
  it('serves the whole grid, aligned, when it is under the cap', async () => {
    const res = await gridRoute(new Request('http://x/grid?max=128'), ctx({ id: surfaceId }));
    const { header, values } = parseFloat32Body(new Uint8Array(await res.arrayBuffer()));
    const h = header as GridHeader;
    expect(h.dims).toEqual(dims);
    const [a, b, c] = h.lattice;
    for (const [i, j, k] of [
      [0, 0, 0],
      [5, 17, 60],
      [31, 3, 99],
    ]) {
      const p = [0, 1, 2].map((x) => (i / dims[0]) * a[x] + (j / dims[1]) * b[x] + (k / dims[2]) * c[x]) as Vec3;
      const exact = evaluatePotential(model, p) - exactVacuumLevel(model);
      expect(values[i + dims[0] * (j + dims[1] * k)]).toBeCloseTo(exact, 2);
    }
  });

  it('down-samples to at most max points per axis and keeps the mean', async () => {
    const full = parseFloat32Body(
      new Uint8Array(
        await (await gridRoute(new Request('http://x/grid?max=128'), ctx({ id: surfaceId }))).arrayBuffer(),
      ),
    );
    const res = await gridRoute(new Request('http://x/grid?max=16'), ctx({ id: surfaceId }));
    const { header, values } = parseFloat32Body(new Uint8Array(await res.arrayBuffer()));
    expect((header as GridHeader).dims).toEqual([16, 16, 16]);
    expect((header as GridHeader).sourceDims).toEqual(dims);
    const mean = (v: Float32Array) => v.reduce((s, x) => s + x, 0) / v.length;
    expect(mean(values)).toBeCloseTo(mean(full.values), 3);
  });

  it('rejects max below 4 with 422', async () => {
    expect((await gridRoute(new Request('http://x/grid?max=2'), ctx({ id: surfaceId }))).status).toBe(422);
  });
});
