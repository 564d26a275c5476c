import { expect, test } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

/** A second server of our own (its own port, database and temp folder) that this test may kill -9. */
function startServer(port: number, dir: string): ChildProcess {
  return spawn(process.execPath, ['scripts/start.mjs'], {
    env: {
      ...process.env,
      PORT: String(port),
      DATABASE_URL: `file:${path.join(dir, 'crash.db')}`,
      EPDI_UPLOAD_TMP: path.join(dir, 'uploads-tmp'),
    },
    stdio: 'ignore',
    detached: true,
  });
}

async function waitUntilUp(base: string): Promise<void> {
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(`${base}/api/datasets`)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('server did not start');
}

function killTree(child: ChildProcess): void {
  // start.mjs runs `next start` as a child: kill the whole process group at once, like a crash.
  if (child.pid) process.kill(-child.pid, 'SIGKILL');
}

test.describe('crash recovery', () => {
  test('should leave no partial rows and no temp files after kill -9 during an upload', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'epdi-crash-'));
    const port = 3190;
    const base = `http://127.0.0.1:${port}`;
    let server = startServer(port, dir);
    try {
      await waitUntilUp(base);
      const created = await fetch(`${base}/api/datasets`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'crash' }),
      });
      const { dataset } = await created.json();

      // Send a multipart upload slowly and never finish it.
      const boundary = 'crashboundary';
      const jobId = crypto.randomUUID();
      const req = http.request(`${base}/api/datasets/${dataset.id}/uploads?job=${jobId}`, {
        method: 'POST',
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      });
      req.on('error', () => undefined);
      req.write(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="S%2FLOCPOT"\r\n` +
          'Content-Type: application/octet-stream\r\n\r\n',
      );
      const chunk = ' 0.12345678901E+00'.repeat(4000) + '\n';
      for (let i = 0; i < 20; i++) {
        req.write(chunk);
        await new Promise((r) => setTimeout(r, 50));
      }
      // The app's own folder inside EPDI_UPLOAD_TMP (lib/server/upload/config.ts), less its marker file.
      const tempRoot = path.join(dir, 'uploads-tmp', 'epdi-lab-uploads');
      const leftovers = (): string[] =>
        existsSync(tempRoot) ? readdirSync(tempRoot).filter((n) => n !== '.epdi-lab-temp') : [];
      await expect.poll(() => leftovers().length).toBeGreaterThan(0);

      killTree(server);
      req.destroy();

      server = startServer(port, dir);
      await waitUntilUp(base);
      expect(leftovers()).toEqual([]);
      const surfaces = await (await fetch(`${base}/api/datasets/${dataset.id}/surfaces`)).json();
      expect(surfaces.surfaces).toEqual([]);
      const { job } = await (await fetch(`${base}/api/jobs/${jobId}`)).json();
      expect(job).toMatchObject({ status: 'failed', error: expect.stringContaining('interrupted') });
    } finally {
      killTree(server);
    }
  });
});
