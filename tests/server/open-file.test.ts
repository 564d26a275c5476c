/**
 * openMaybeGzip hands over every byte of a received file, plain or gzipped, even when its consumer starts late (a
 * parser behind a dynamic import): a late consumer used to lose the first chunks.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { openMaybeGzip } from '@/lib/server/upload/open-file';

const dir = mkdtempSync(path.join(os.tmpdir(), 'epdi-open-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// 10 MB of numbered lines: more than two 4 MB read chunks, so a dropped chunk shows as missing lines.
const lines = Array.from({ length: 1_000_000 }, (_, i) => `line ${String(i).padStart(7, '0')}`);
const text = `${lines.join('\n')}\n`;

async function readAll(chunks: AsyncIterable<Uint8Array>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of chunks) parts.push(Buffer.from(c));
  return Buffer.concat(parts).toString('utf8');
}

describe('openMaybeGzip', () => {
  it.each([
    ['plain', Buffer.from(text)],
    ['gzip', gzipSync(text)],
  ])('%s: a consumer that starts 300 ms late still gets every byte', async (kind, bytes) => {
    const file = path.join(dir, `late-${kind}`);
    writeFileSync(file, bytes);
    const opened = await openMaybeGzip(file, 'x/potential.cube');
    expect(opened.gzip).toBe(kind === 'gzip');
    await new Promise((r) => setTimeout(r, 300));
    const back = await readAll(opened.chunks);
    expect(back.length).toBe(text.length);
    expect(back === text).toBe(true);
    expect(opened.sourceBytesRead()).toBe(bytes.length);
  });

  it('a gzip that inflates past the cap is a 413 naming the file', async () => {
    const file = path.join(dir, 'bomb.gz');
    writeFileSync(file, gzipSync(Buffer.alloc(8 << 20)));
    const opened = await openMaybeGzip(file, 'S/LOCPOT.gz', 1 << 20);
    await expect(readAll(opened.chunks)).rejects.toMatchObject({ status: 413, code: 'gzip_too_large', file: 'S/LOCPOT.gz' });
  });

  it('a corrupt gzip stream fails instead of hanging', async () => {
    const file = path.join(dir, 'corrupt.gz');
    const good = gzipSync(text);
    writeFileSync(file, Buffer.concat([good.subarray(0, 1000), Buffer.alloc(1000, 7)]));
    const opened = await openMaybeGzip(file, 'S/LOCPOT.gz');
    await expect(readAll(opened.chunks)).rejects.toThrow();
  });
});
