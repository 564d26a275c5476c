import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { setupTempDatabase } from './helpers';

const temp = setupTempDatabase();
afterAll(() => temp.cleanup());

const { db } = await import('@/lib/server/db');
const { blobDb } = await import('@/lib/server/blob-db');
const { writeGridChunks } = await import('@/lib/server/grid-store');
const { recoverAfterRestart } = await import('@/lib/server/startup');
const { UPLOAD_TEMP_FOLDER, UPLOAD_TEMP_MARKER, uploadTempRoot } = await import('@/lib/server/upload/config');

/** EPDI_UPLOAD_TMP as the user set it: a folder that may hold other things (issue 15: /tmp was wiped). */
const parent = (): string => process.env.EPDI_UPLOAD_TMP!;

describe('start-up recovery after a crash', () => {
  it('empties the app-owned upload temp folder and removes orphan grid chunks, and fails interrupted jobs', async () => {
    const owned = uploadTempRoot();
    expect(owned).toBe(path.join(parent(), 'epdi-lab-uploads'));
    const leftover = path.join(owned, 'some-upload');
    mkdirSync(leftover, { recursive: true });
    writeFileSync(path.join(leftover, 'f00000'), 'partial');
    // Chunks written just before a store transaction that never ran: no Grid row points at them.
    await writeGridChunks('never-committed', new Float32Array(10).fill(1));
    const job = await db.job.create({ data: { kind: 'upload', status: 'running' } });

    await recoverAfterRestart();

    expect(readdirSync(owned)).toEqual(['.epdi-lab-temp']);
    const count = blobDb().prepare('SELECT COUNT(*) AS n FROM "GridChunk"').get() as { n: number };
    expect(count.n).toBe(0);
    const after = await db.job.findUniqueOrThrow({ where: { id: job.id } });
    expect(after.status).toBe('failed');
    expect(after.error).toContain('interrupted');
  });

  it('leaves everything else in EPDI_UPLOAD_TMP alone', async () => {
    const owned = uploadTempRoot();
    writeFileSync(path.join(parent(), 'thesis.tex'), 'not ours');
    mkdirSync(path.join(parent(), 'other-app'), { recursive: true });
    writeFileSync(path.join(parent(), 'other-app', 'state.json'), '{}');
    mkdirSync(path.join(owned, 'upload-1', 'sub'), { recursive: true });
    writeFileSync(path.join(owned, 'upload-1', 'sub', 'f00001'), 'partial');
    writeFileSync(path.join(owned, 'loose-file'), 'partial');

    await recoverAfterRestart();

    expect(readFileSync(path.join(parent(), 'thesis.tex'), 'utf8')).toBe('not ours');
    expect(readFileSync(path.join(parent(), 'other-app', 'state.json'), 'utf8')).toBe('{}');
    expect(readdirSync(parent()).sort()).toEqual(['epdi-lab-uploads', 'other-app', 'thesis.tex']);
    expect(readdirSync(owned)).toEqual(['.epdi-lab-temp']);
  });

  it('creates the owned folder with its marker when EPDI_UPLOAD_TMP is a fresh folder', async () => {
    const before = process.env.EPDI_UPLOAD_TMP;
    process.env.EPDI_UPLOAD_TMP = path.join(temp.dir, 'fresh', 'tmp');
    try {
      await recoverAfterRestart();
      expect(UPLOAD_TEMP_FOLDER).toBe('epdi-lab-uploads');
      expect(UPLOAD_TEMP_MARKER).toBe('.epdi-lab-temp');
      expect(readdirSync(parent())).toEqual(['epdi-lab-uploads']);
      expect(readdirSync(path.join(parent(), 'epdi-lab-uploads'))).toEqual(['.epdi-lab-temp']);
    } finally {
      process.env.EPDI_UPLOAD_TMP = before;
    }
  });

  it('never empties a folder of that name that the app did not create (no marker)', async () => {
    const before = process.env.EPDI_UPLOAD_TMP;
    process.env.EPDI_UPLOAD_TMP = path.join(temp.dir, 'foreign');
    const folder = path.join(parent(), 'epdi-lab-uploads');
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, 'keep.txt'), 'someone else made this folder');
    try {
      await recoverAfterRestart();
      expect(existsSync(path.join(folder, 'keep.txt'))).toBe(true);
      expect(existsSync(path.join(folder, '.epdi-lab-temp'))).toBe(false);
    } finally {
      process.env.EPDI_UPLOAD_TMP = before;
    }
  });
});
