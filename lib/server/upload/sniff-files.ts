import { open } from 'node:fs/promises';
import { sniffFormat, type SniffedFormat } from '@/lib/formats/sniff';
import type { ReceivedFile } from './receive';

/** Sniff every received file from its first 64 KiB (decompressed when gzip): path -> format. */
export async function sniffReceivedFiles(files: ReceivedFile[]): Promise<Map<string, SniffedFormat>> {
  const out = new Map<string, SniffedFormat>();
  const head = Buffer.alloc(1 << 16);
  for (const f of files) {
    const handle = await open(f.tempPath, 'r');
    try {
      const { bytesRead } = await handle.read(head, 0, head.length, 0);
      out.set(f.path, sniffFormat(f.path, head.subarray(0, bytesRead), bytesRead === f.bytes).format);
    } finally {
      await handle.close();
    }
  }
  return out;
}
