import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { setupTempDatabase } from './helpers';

const temp = setupTempDatabase();
afterAll(() => temp.cleanup());

const { db } = await import('@/lib/server/db');
const { blobDb } = await import('@/lib/server/blob-db');
const { writeGridChunks } = await import('@/lib/server/grid-store');
const { recoverAfterRestart } = await import('@/lib/server/startup');

describe('start-up recovery after a crash', () => {
  it('removes the upload temp folder and orphan grid chunks, and fails interrupted jobs', async () => {
    const leftover = path.join(process.env.EPDI_UPLOAD_TMP!, 'some-upload');
    mkdirSync(leftover, { recursive: true });
    writeFileSync(path.join(leftover, 'f00000'), 'partial');
    // Chunks written just before a store transaction that never ran: no Grid row points at them.
    await writeGridChunks('never-committed', new Float32Array(10).fill(1));
    const job = await db.job.create({ data: { kind: 'upload', status: 'running' } });

    await recoverAfterRestart();

    expect(existsSync(process.env.EPDI_UPLOAD_TMP!)).toBe(false);
    const count = blobDb().prepare('SELECT COUNT(*) AS n FROM "GridChunk"').get() as { n: number };
    expect(count.n).toBe(0);
    const after = await db.job.findUniqueOrThrow({ where: { id: job.id } });
    expect(after.status).toBe('failed');
    expect(after.error).toContain('interrupted');
  });
});
