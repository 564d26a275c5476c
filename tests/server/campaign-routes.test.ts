/**
 * Campaign routes: POST /api/datasets/[id]/campaigns answers a .zip (read back with Python's zipfile: every file,
 * submit.sh executable, the manifest's input hashes equal to sha256 of the files), the campaign is listed with its
 * progress, and POST /api/campaigns/[id]/import of the unrun folder reports every calculation as not run.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ctx, datasetWithSurfaces, setupTempDatabase } from './helpers';
import { smallSurfaceFiles } from './surface-files';

const temp = setupTempDatabase();
const work = mkdtempSync(path.join(os.tmpdir(), 'epdi-campaign-routes-'));
afterAll(() => {
  temp.cleanup();
  rmSync(work, { recursive: true, force: true });
});

const { POST: exportRoute, GET: listRoute } = await import('@/app/api/datasets/[id]/campaigns/route');
const { POST: importRoute } = await import('@/app/api/campaigns/[id]/import/route');
const hasPython = spawnSync('/usr/bin/python3', ['-c', 'import zipfile'], { stdio: 'ignore' }).status === 0;

let datasetId = '';
beforeAll(async () => {
  datasetId = await datasetWithSurfaces('campaign-routes', smallSurfaceFiles('MoS2-V').files);
}, 120_000);

const post = (body: unknown): Request =>
  new Request('http://x', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('campaign routes', () => {
  it('should answer a zip of the campaign folder and list the campaign as exported', async () => {
    const res = await exportRoute(
      post({ engine: 'vasp', next: 2, slurm: { partition: 'debug' } }),
      ctx({ id: datasetId }),
    );
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toBe('application/zip');
    const id = res.headers.get('x-campaign-id')!;
    const zip = path.join(work, 'c.zip');
    writeFileSync(zip, new Uint8Array(await res.arrayBuffer()));
    if (hasPython) {
      const check = `
import hashlib, json, stat, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
top = z.namelist()[0].split('/')[0]
m = json.loads(z.read(top + '/manifest.json'))
bad = [c['id'] + '/' + p for c in m['calculations'] for p, h in c['inputs'].items()
       if hashlib.sha256(z.read(top + '/' + c['folder'] + '/' + p)).hexdigest() != h]
mode = z.getinfo(top + '/submit.sh').external_attr >> 16
print(json.dumps({'top': top, 'n': len(m['calculations']), 'bad': bad, 'exec': bool(mode & stat.S_IXUSR),
                  'potcar': [n for n in z.namelist() if n.endswith('/POTCAR')]}))`;
      const out = JSON.parse(execFileSync('/usr/bin/python3', ['-c', check, zip], { encoding: 'utf8' }));
      expect(out).toEqual({ top: `campaign-${id}`, n: 2, bad: [], exec: true, potcar: [] });
    }
    const list = (await (await listRoute(new Request('http://x'), ctx({ id: datasetId }))).json()) as {
      campaigns: { id: string; status: string; total: number; returned: number }[];
    };
    expect(list.campaigns.map((c) => [c.id, c.status, c.returned, c.total])).toEqual([[id, 'exported', 0, 2]]);

    const { readFileSync } = await import('node:fs');
    const imp = await importRoute(new Request('http://x', { method: 'POST', body: readFileSync(zip) }), ctx({ id }));
    expect(imp.status).toBe(200);
    const { report } = (await imp.json()) as { report: { status: string; calculations: { status: string }[] } };
    expect(report.calculations.map((c) => c.status)).toEqual(['not-run', 'not-run']);
    expect(report.status).toBe('exported');
  });

  it('should refuse a bad selection and a body that is no archive', async () => {
    const res = await exportRoute(post({ engine: 'vasp', sites: ['MoS2-V:nowhere'] }), ctx({ id: datasetId }));
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /no site or hop named nowhere/,
    );
    const bad = await importRoute(
      new Request('http://x', { method: 'POST', body: 'not an archive' }),
      ctx({ id: 'x' }),
    );
    expect(bad.status).toBe(422);
  });

  it('should refuse bad GPAW NEB options with a 422 naming the key, storing no campaign', async () => {
    const before = (await (await listRoute(new Request('http://x'), ctx({ id: datasetId }))).json()) as { campaigns: unknown[] };
    for (const [gpaw, key] of [
      [{ neb_images: 0 }, 'neb_images'],
      [{ neb_fmax_eV_A: -1 }, 'neb_fmax_eV_A'],
      [{ neb_spring: 1 }, 'neb_spring'],
    ] as const) {
      const res = await exportRoute(post({ engine: 'gpaw', next: 1, neb: true, gpaw }), ctx({ id: datasetId }));
      expect(res.status).toBe(422);
      expect(((await res.json()) as { error: { message: string } }).error.message).toContain(key);
    }
    const after = (await (await listRoute(new Request('http://x'), ctx({ id: datasetId }))).json()) as { campaigns: unknown[] };
    expect(after.campaigns.length).toBe(before.campaigns.length);
  });
});
