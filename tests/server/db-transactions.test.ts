/**
 * One SQLite connection serves the whole process (better-sqlite3 through Prisma's adapter). An interactive
 * transaction spans awaits; a write made elsewhere meanwhile (a job's progress or status, another upload's grid rows)
 * must not become part of it: when that transaction rolls back (a 409 upload, a 404 inside), the other write has to
 * survive. Found by the HTTP fuzzer: an extraction job's 'failed' status was rolled back with another job's
 * transaction and the job read 'running' for ever.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { setupTempDatabase } from './helpers';

const temp = setupTempDatabase();
const { db } = await import('@/lib/server/db');
afterAll(async () => {
  await db.$disconnect();
  temp.cleanup();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('writes beside an interactive transaction', () => {
  it('a write made while another transaction is open survives that transaction rolling back', async () => {
    const job = await db.job.create({ data: { kind: 'extract', status: 'running', inputJson: '{}' } });
    let inside = false;
    const rolledBack = db
      .$transaction(async (tx) => {
        await tx.dataset.create({ data: { name: 'rolled back', settingsJson: '{}' } });
        inside = true;
        await sleep(200); // the transaction waits on something (a parse, a file) while others run
        throw new Error('409 inside the transaction');
      })
      .catch((e: Error) => e.message);
    while (!inside) await sleep(5);
    await db.job.update({ where: { id: job.id }, data: { status: 'failed', error: 'no chalcogen atoms' } });
    expect(await rolledBack).toBe('409 inside the transaction');
    expect(await db.dataset.count({ where: { name: 'rolled back' } })).toBe(0);
    const after = await db.job.findUniqueOrThrow({ where: { id: job.id } });
    expect(after.status).toBe('failed');
    expect(after.error).toBe('no chalcogen atoms');
  });

  it('a read made while another transaction is open does not see rows that transaction then rolls back', async () => {
    let inside = false;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const tx = db
      .$transaction(async (t) => {
        await t.dataset.create({ data: { name: 'ghost', settingsJson: '{}' } });
        inside = true;
        await gate;
        throw new Error('rolled back');
      })
      .catch((e: Error) => e.message);
    while (!inside) await sleep(5);
    const seen = db.dataset.count({ where: { name: 'ghost' } }).then((n) => n);
    await sleep(50); // long enough for the read to run, were it allowed to, inside the open transaction
    release();
    expect(await tx).toBe('rolled back');
    expect(await seen).toBe(0);
  });
});
