import { readFile } from 'node:fs/promises';
import type { Structure } from '@/lib/structure/structure';
import { isFormatError, formatErrorMessage } from '@/lib/formats/errors';
import { parsePoscar } from '@/lib/formats/poscar';
import { parseOutcarStream, requireFinalEnergy, type OutcarSummary } from '@/lib/formats/outcar';
import { parseVasprunStream, type VasprunSummary } from '@/lib/formats/vasprun';
import { gunzipCapped, isGzip } from '@/lib/formats/gzip';
import { checkJsonValue, HttpError } from '../http';
import { MAX_META_JSON_BYTES, maxAtoms } from '../limits';
import { UploadError } from './errors';
import { openMaybeGzip } from './open-file';
import type { ReceivedFile } from './receive';

/**
 * Readers of one received file (plain or gzip, whatever its name), each turning a parser's FormatError into an
 * UploadError (4xx) that names the file and line. Small text files are read whole; OUTCAR and vasprun.xml, which
 * reach GBs, are streamed (inflated by Node's zlib with a cap, ./open-file.ts).
 */

/** Turn a parser's FormatError (or any error) into an UploadError that names the file and line. */
export function asUploadError(err: unknown, file: string): UploadError {
  if (err instanceof UploadError) return err;
  if (isFormatError(err)) {
    const status = err.code === 'too_large' ? 413 : 422;
    return new UploadError(status, err.code, formatErrorMessage(err), { file: err.fileName ?? file, line: err.line });
  }
  return new UploadError(422, 'unreadable', `${file}: ${err instanceof Error ? err.message : String(err)}`, { file });
}

/**
 * A small file's bytes, inflated when gzip (with `maxBytes` as the cap on the inflated size). 413 for a plain file
 * over `maxBytes` or a gzip one that inflates beyond it, 422 for corrupt gzip data.
 */
export async function readSmall(file: ReceivedFile, maxBytes = 64 * 1024 ** 2): Promise<Uint8Array> {
  if (file.bytes > maxBytes && !/\.gz$/i.test(file.path)) {
    throw new UploadError(413, 'file_too_large', `${file.path} is too large for its kind (${file.bytes} bytes)`, {
      file: file.path,
    });
  }
  const raw = new Uint8Array(await readFile(file.tempPath));
  if (!isGzip(raw)) return raw;
  try {
    return gunzipCapped(raw, maxBytes, file.path);
  } catch (err) {
    throw asUploadError(err, file.path);
  }
}

export async function readStructure(file: ReceivedFile): Promise<Structure> {
  const bytes = await readSmall(file);
  try {
    return parsePoscar(bytes, { fileName: file.path, maxAtoms: maxAtoms() }).structure;
  } catch (err) {
    throw asUploadError(err, file.path);
  }
}

/**
 * A small JSON file (meta.json): at most MAX_META_JSON_BYTES, nested at most EPDI_MAX_JSON_DEPTH deep, no lone
 * surrogates (JSON.stringify of a document nested 5,000 deep overflows the stack when it is stored). 422 naming the
 * file otherwise.
 */
export async function readJsonFile(file: ReceivedFile): Promise<unknown> {
  const bytes = await readSmall(file, MAX_META_JSON_BYTES);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (err) {
    throw new UploadError(422, 'bad_json', `${file.path}: ${err instanceof Error ? err.message : 'invalid JSON'}`, {
      file: file.path,
    });
  }
  try {
    checkJsonValue(json, file.path);
  } catch (err) {
    if (err instanceof HttpError) throw new UploadError(422, err.code, err.message, { file: file.path });
    throw err;
  }
  return json;
}

/** An OUTCAR (plain or gzip) streamed through the scanner. */
export async function readOutcar(file: ReceivedFile): Promise<OutcarSummary> {
  try {
    const { chunks } = await openMaybeGzip(file.tempPath, file.path);
    return await parseOutcarStream(chunks, { fileName: file.path });
  } catch (err) {
    throw asUploadError(err, file.path);
  }
}

/** A vasprun.xml (plain or gzip) streamed through the scanner. */
export async function readVasprun(file: ReceivedFile): Promise<VasprunSummary> {
  try {
    const { chunks } = await openMaybeGzip(file.tempPath, file.path);
    return await parseVasprunStream(chunks, { fileName: file.path });
  } catch (err) {
    throw asUploadError(err, file.path);
  }
}

/** The final energy(sigma->0) of an OUTCAR; 422 naming the file when no ionic step finished. */
export async function readOutcarEnergy(file: ReceivedFile): Promise<number> {
  const summary = await readOutcar(file);
  try {
    return requireFinalEnergy(summary, file.path);
  } catch (err) {
    throw asUploadError(err, file.path);
  }
}
