import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { isGzip } from '@/lib/formats/gzip';
import { inflateCapFor } from '../limits';
import { UploadError } from './errors';

export interface OpenedFile {
  chunks: AsyncIterable<Uint8Array>;
  gzip: boolean;
  /** Bytes of the file (compressed, for gzip) read so far: for progress. */
  sourceBytesRead: () => number;
}

/**
 * The file's bytes as a stream, inflated with Node's zlib when it is gzip (about twice as fast as the isomorphic
 * inflater in lib/formats and without its buffering), with a cap on the inflated size (`maxInflatedBytes`; by default
 * lib/server/limits.ts `inflateCapFor` the file's size: EPDI_MAX_INFLATE_RATIO times it, at most
 * EPDI_MAX_INFLATED_BYTES), so a gzip bomb stops with a 413 after a bounded amount of work.
 *
 * Nothing is read before the caller iterates: the byte count is taken inside the iteration, never by a 'data'
 * listener, which would start the file flowing at once and drop every chunk read before the consumer arrives (a
 * parser loaded with a dynamic import arrives late).
 */
export async function openMaybeGzip(tempPath: string, name: string, maxInflatedBytes?: number): Promise<OpenedFile> {
  const cap = maxInflatedBytes ?? inflateCapFor((await stat(tempPath)).size);
  const head = new Uint8Array(2);
  const handle = await open(tempPath, 'r');
  try {
    await handle.read(head, 0, 2, 0);
  } finally {
    await handle.close();
  }
  const source = createReadStream(tempPath, { highWaterMark: 4 << 20 });
  let read = 0;
  async function* counted(): AsyncGenerator<Buffer> {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      read += chunk.length;
      yield chunk;
    }
  }
  if (!isGzip(head)) return { chunks: counted(), gzip: false, sourceBytesRead: () => read };
  async function* inflated(): AsyncGenerator<Uint8Array> {
    const gunzip = createGunzip({ chunkSize: 1 << 20 });
    pipeline(Readable.from(counted()), gunzip, () => undefined); // errors reach the loop below through gunzip
    let total = 0;
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > cap) {
        source.destroy();
        gunzip.destroy();
        throw new UploadError(
          413,
          'gzip_too_large',
          `${name} inflates to more than ${cap} bytes (limits: EPDI_MAX_INFLATE_RATIO times the compressed size, at most EPDI_MAX_INFLATED_BYTES)`,
          { file: name },
        );
      }
      yield chunk;
    }
  }
  return { chunks: inflated(), gzip: true, sourceBytesRead: () => read };
}
