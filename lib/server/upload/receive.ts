import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import busboy from 'busboy';
import { MAX_FILES_PER_UPLOAD } from './config';
import { UploadError } from './errors';

export interface ReceivedFile {
  /** Relative path as the user sent it (folder uploads keep their folders), '/'-separated. */
  path: string;
  tempPath: string;
  bytes: number;
  sha256: string;
}

export interface ReceivedUpload {
  files: ReceivedFile[];
  fields: Record<string, string>;
}

/**
 * A safe relative path from a multipart filename: the client sends `encodeURIComponent(relativePath)` so folders
 * survive; '..', absolute paths and empty segments are refused.
 */
export function sanitizeRelativePath(raw: string): string {
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    decoded = raw;
  }
  const parts = decoded
    .replace(/\\/g, '/')
    .split('/')
    .filter((p) => p !== '' && p !== '.');
  if (parts.length === 0) throw new UploadError(400, 'bad_path', 'a file has no name', { file: raw });
  if (parts.some((p) => p === '..' || p.includes('\0'))) {
    throw new UploadError(400, 'bad_path', `refused path '${decoded}'`, { file: decoded });
  }
  return parts.join('/');
}

/**
 * Stream a multipart/form-data body to files under `dir`, never holding a file in memory. Rejects with an
 * UploadError: 413 when a file exceeds `maxFileBytes` (the partial file is left for the caller's cleanup), 400 when
 * the body is cut off or malformed, 400 for duplicate paths.
 */
export async function receiveMultipart(
  body: ReadableStream<Uint8Array>,
  contentType: string,
  dir: string,
  maxFileBytes: number,
): Promise<ReceivedUpload> {
  if (!contentType.startsWith('multipart/form-data')) {
    throw new UploadError(415, 'not_multipart', 'send the files as multipart/form-data');
  }
  await mkdir(dir, { recursive: true });
  const files: ReceivedFile[] = [];
  const fields: Record<string, string> = {};
  const writes: Promise<void>[] = [];
  const seen = new Set<string>();

  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { 'content-type': contentType },
      limits: { fileSize: maxFileBytes, files: MAX_FILES_PER_UPLOAD, fields: 100, fieldSize: 1 << 20 },
    });
  } catch (err) {
    throw new UploadError(400, 'bad_multipart', err instanceof Error ? err.message : 'malformed multipart body');
  }

  const done = new Promise<void>((resolve, reject) => {
    parser.on('field', (name, value) => {
      fields[name] = value;
    });
    parser.on('file', (_field, stream, info) => {
      let rel: string;
      try {
        rel = sanitizeRelativePath(info.filename ?? '');
        if (seen.has(rel))
          throw new UploadError(400, 'duplicate_path', `'${rel}' appears twice in the upload`, { file: rel });
      } catch (err) {
        // Drained, not written: its 'error' (a body cut off after this part) must not go unhandled and crash the
        // process (issue 15, found by npm run fuzz:http).
        stream.on('error', () => undefined);
        stream.resume();
        reject(err);
        return;
      }
      seen.add(rel);
      const tempPath = path.join(/*turbopackIgnore: true*/ dir, 'f' + String(files.length).padStart(5, '0'));
      const hash = createHash('sha256');
      const record: ReceivedFile = { path: rel, tempPath, bytes: 0, sha256: '' };
      files.push(record);
      stream.on('data', (chunk: Buffer) => {
        record.bytes += chunk.length;
        hash.update(chunk);
      });
      stream.on('limit', () => {
        reject(
          new UploadError(413, 'file_too_large', `'${rel}' is larger than the limit of ${maxFileBytes} bytes`, {
            file: rel,
          }),
        );
      });
      const write = pipeline(stream, createWriteStream(tempPath)).then(() => {
        record.sha256 = hash.digest('hex');
      });
      // Observed here so that a body cut off mid-file does not leave an unhandled rejection behind.
      write.catch(() => undefined);
      writes.push(write);
    });
    parser.on('filesLimit', () =>
      reject(new UploadError(413, 'too_many_files', `more than ${MAX_FILES_PER_UPLOAD} files in one upload`)),
    );
    parser.on('error', (err: Error) =>
      reject(new UploadError(400, 'upload_incomplete', `the upload was cut off or malformed: ${err.message}`)),
    );
    parser.on('close', () => resolve());
  });

  const source = Readable.fromWeb(body as unknown as WebReadableStream<Uint8Array>);
  source.on('error', (err) => parser.destroy(err));
  source.pipe(parser);
  await done;
  const results = await Promise.allSettled(writes);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed && failed.status === 'rejected') {
    throw new UploadError(400, 'upload_incomplete', `a file could not be received: ${String(failed.reason)}`);
  }
  if (files.length === 0) throw new UploadError(400, 'no_files', 'the upload holds no files');
  return { files, fields };
}
