import { afterAll, describe, expect, it } from 'vitest';
import { ctx, setupTempDatabase } from './helpers';

const temp = setupTempDatabase();
afterAll(() => temp.cleanup());

const { GET: listRoute, POST: createRoute } = await import('@/app/api/datasets/route');
const { GET: getRoute, DELETE: deleteRoute } = await import('@/app/api/datasets/[id]/route');

function post(body: unknown): Request {
  return new Request('http://localhost/api/datasets', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('datasets API', () => {
  it('creates a dataset with default extraction settings and lists it', async () => {
    const res = await createRoute(post({ name: 'Doped MoS2' }));
    expect(res.status).toBe(201);
    const { dataset } = await res.json();
    expect(dataset.settings).toEqual({ heightA: 1.5, mepRadiusA: 1, windowA: 6.4, pixels: 64, colormap: 'grey' });
    expect(dataset.muLiReference).toBe('bcc');
    const list = await (await listRoute()).json();
    expect(list.datasets.map((d: { name: string }) => d.name)).toEqual(['Doped MoS2']);
  });

  it('refuses a dataset name that already exists with 409 and stores nothing', async () => {
    const res = await createRoute(post({ name: 'Doped MoS2' }));
    expect(res.status).toBe(409);
    expect((await res.json()).error.code).toBe('dataset_exists');
    expect((await (await listRoute()).json()).datasets).toHaveLength(1);
  });

  it('answers 422 with the issue for invalid settings and 400 for malformed JSON', async () => {
    const bad = await createRoute(post({ name: 'x', settings: { pixels: 5000 } }));
    expect(bad.status).toBe(422);
    expect((await bad.json()).error.issues[0].path).toEqual(['settings', 'pixels']);
    const malformed = await createRoute(post('{"name": '));
    expect(malformed.status).toBe(400);
  });

  it('deletes a dataset and then answers 404 for it', async () => {
    const { dataset } = await (await createRoute(post({ name: 'to delete' }))).json();
    expect((await deleteRoute(new Request('http://x'), ctx({ id: dataset.id }))).status).toBe(204);
    expect((await getRoute(new Request('http://x'), ctx({ id: dataset.id }))).status).toBe(404);
    expect((await deleteRoute(new Request('http://x'), ctx({ id: dataset.id }))).status).toBe(404);
  });
});
