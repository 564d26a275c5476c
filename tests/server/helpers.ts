import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '..', '..');

/**
 * A fresh SQLite database (migrated with the committed migrations) and upload temp folder for one test file.
 * Call before importing anything from lib/server (the Prisma client reads DATABASE_URL once).
 */
export function setupTempDatabase(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'epdi-test-'));
  process.env.DATABASE_URL = `file:${path.join(dir, 'test.db')}`;
  process.env.EPDI_UPLOAD_TMP = path.join(dir, 'uploads-tmp');
  execFileSync(
    process.execPath,
    [path.join(repoRoot, 'node_modules', 'prisma', 'build', 'index.js'), 'migrate', 'deploy'],
    {
      cwd: repoRoot,
      env: process.env,
      stdio: 'pipe',
    },
  );
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A multipart body from (relative path, content) pairs, the way the browser's UploadPanel sends it. */
export function multipart(files: [string, string | Uint8Array][], fields: Record<string, string> = {}): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const [p, content] of files) {
    const part = typeof content === 'string' ? content : new Uint8Array(content);
    form.append('file', new Blob([part]), encodeURIComponent(p));
  }
  return form;
}

/** Serialise a FormData into a body + content type, as a fetch would. */
export async function encodeForm(form: FormData): Promise<{ body: Uint8Array<ArrayBuffer>; contentType: string }> {
  const req = new Request('http://x/', { method: 'POST', body: form });
  return { body: new Uint8Array(await req.arrayBuffer()), contentType: req.headers.get('content-type')! };
}

export function ctx<T extends Record<string, string>>(params: T): { params: Promise<T> } {
  return { params: Promise.resolve(params) };
}

export const fixturesDir = path.join(repoRoot, 'tests', 'fixtures');

/**
 * Create a dataset, upload surface files into it and wait for the extraction job; returns the dataset id. Imports
 * the routes lazily, so call it after setupTempDatabase.
 */
export async function datasetWithSurfaces(
  name: string,
  files: [string, string][],
  settings: Record<string, unknown> = {},
): Promise<string> {
  const { POST: createDataset } = await import('@/app/api/datasets/route');
  const { POST: upload } = await import('@/app/api/datasets/[id]/uploads/route');
  const { GET: jobRoute } = await import('@/app/api/jobs/[id]/route');
  const created = await createDataset(
    new Request('http://x', { method: 'POST', body: JSON.stringify({ name, settings }) }),
  );
  const datasetId = (await created.json()).dataset.id as string;
  const { body, contentType } = await encodeForm(multipart(files));
  const up = await upload(
    new Request('http://x', { method: 'POST', headers: { 'content-type': contentType }, body }),
    ctx({ id: datasetId }),
  );
  if (up.status !== 201) throw new Error(`upload answered ${up.status}: ${await up.text()}`);
  const jobId = (await up.json()).extractJobId as string;
  for (let i = 0; i < 1200; i++) {
    const { job } = await (await jobRoute(new Request('http://x'), ctx({ id: jobId }))).json();
    if (job.status === 'done') return datasetId;
    if (job.status === 'failed') throw new Error(`extraction failed: ${job.error}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('extraction did not finish');
}
