import { afterAll, describe, expect, it } from 'vitest';
import { ctx, setupTempDatabase } from './helpers';

const temp = setupTempDatabase();
afterAll(() => temp.cleanup());

const { GET: listRoute, POST: createRoute } = await import('@/app/api/datasets/route');
const { GET: getRoute, DELETE: deleteRoute, PATCH: patchRoute } = await import('@/app/api/datasets/[id]/route');

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

/** Issue 15 finding 6: mu_Li = 1e308 was accepted and made every barrier 0. */
describe('mu_Li range', () => {
  const patch = (id: string, body: unknown): Promise<Response> =>
    patchRoute(
      new Request('http://x', { method: 'PATCH', body: typeof body === 'string' ? body : JSON.stringify(body) }),
      ctx({ id }),
    );

  it.each([
    ['1e308', 1e308],
    ['+1 eV', 1],
    ['-10.001 eV', -10.001],
    ['-1e308', -1e308],
  ])('refuses mu_Li = %s at creation with 422 and a message naming mu_Li', async (_label, muLiEv) => {
    const res = await createRoute(post({ name: `mu ${muLiEv}`, muLiReference: 'custom', muLiEv }));
    expect(res.status).toBe(422);
    const { error } = await res.json();
    expect(error.message).toContain('mu_Li (muLiEv) must be between -10 and 0 eV');
    expect(error.issues[0].path).toEqual(['muLiEv']);
  });

  it('refuses an overflowing literal (1e400 parses to Infinity) at creation', async () => {
    const res = await createRoute(post('{"name": "mu inf", "muLiEv": 1e400}'));
    expect(res.status).toBe(422);
    expect((await res.json()).error.message).toMatch(/mu_Li/);
  });

  it('accepts the ends of the range and bcc Li (-1.9 eV)', async () => {
    for (const [name, muLiEv] of [
      ['mu lo', -10],
      ['mu hi', 0],
      ['mu bcc', -1.9],
    ] as const) {
      const res = await createRoute(post({ name, muLiEv }));
      expect(res.status).toBe(201);
      expect((await res.json()).dataset.muLiEv).toBe(muLiEv);
    }
  });

  it.each([
    ['1e308', 1e308],
    ['+1 eV', 1],
  ])('refuses a switch to mu_Li = %s with 422 naming mu_Li, and keeps the old value', async (_label, muLiEv) => {
    const { dataset } = await (await createRoute(post({ name: `switch ${muLiEv}`, muLiEv: -1.9 }))).json();
    const res = await patch(dataset.id, { muLiReference: 'custom', muLiEv });
    expect(res.status).toBe(422);
    expect((await res.json()).error.message).toContain('mu_Li (muLiEv) must be between -10 and 0 eV');
    const after = await (await getRoute(new Request('http://x'), ctx({ id: dataset.id }))).json();
    expect(after.dataset.muLiEv).toBe(-1.9);
  });

  it('accepts a switch within the range', async () => {
    const { dataset } = await (await createRoute(post({ name: 'switch ok', muLiEv: -1.9 }))).json();
    const res = await patch(dataset.id, { muLiReference: 'atom', muLiEv: -0.2 });
    expect(res.status).toBe(200);
    expect((await res.json()).dataset.muLiEv).toBe(-0.2);
  });
});
