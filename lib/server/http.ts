import { ZodError } from 'zod';
import { formatErrorMessage, isFormatError } from '@/lib/formats/errors';
import { SurfaceError } from '@/lib/surface/errors';
import { maxJsonBytes, maxJsonDepth } from './limits';
import { UploadError } from './upload/errors';

export interface ErrorBody {
  error: { code: string; message: string; file?: string; line?: number; issues?: unknown };
}

/**
 * Absolute paths in a message for the client become their last component: an error never shows where the server
 * keeps its files (`/srv/app/data/uploads-tmp/x/LOCPOT` -> `LOCPOT`). A path is a `/` that starts a word followed by
 * at least two segments; `e/A^3` or `1/2` are left alone.
 */
export function scrubPaths(message: string): string {
  return message.replace(
    /(?<![\w.~-])(?:[A-Za-z]:)?[\\/](?:[^\s\\/'"`:;,()[\]{}<>]+[\\/])+([^\s\\/'"`:;,()[\]{}<>]*)/g,
    (_, last: string) => (last === '' ? '<folder>' : last),
  );
}

function json(body: ErrorBody, status: number): Response {
  const error = { ...body.error, message: scrubPaths(body.error.message) };
  if (error.file !== undefined) error.file = scrubPaths(error.file);
  return Response.json({ error }, { status });
}

/** Turn a thrown value into a JSON response: 4xx for the client's mistakes, 500 (logged) for ours. */
export function errorResponse(err: unknown): Response {
  if (err instanceof UploadError) return json({ error: err.toJSON() }, err.status);
  if (err instanceof ZodError) {
    const issue = err.issues[0];
    const where = issue?.path?.length ? `${issue.path.join('.')}: ` : '';
    return json(
      {
        error: {
          code: 'invalid_request',
          message: `${where}${issue?.message ?? 'invalid request'}`,
          issues: err.issues,
        },
      },
      422,
    );
  }
  if (err instanceof HttpError) return json({ error: { code: err.code, message: err.message } }, err.status);
  if (isFormatError(err)) {
    return json(
      { error: { code: err.code, message: formatErrorMessage(err), file: err.fileName, line: err.line } },
      err.code === 'too_large' ? 413 : 422,
    );
  }
  if (err instanceof SurfaceError) return json({ error: { code: err.code, message: err.message } }, 422);
  // Request.formData() / .json() of a malformed body (undici): the client's mistake, not ours.
  if (
    err instanceof TypeError &&
    /Failed to parse body as FormData|Body is unusable|Unexpected end of form/i.test(err.message)
  ) {
    return json({ error: { code: 'bad_body', message: `the request body could not be read: ${err.message}` } }, 400);
  }
  console.error(err);
  return json({ error: { code: 'internal', message: 'internal error' } }, 500);
}

/** A plain HTTP error with a status and code, for route handlers and repositories. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/**
 * Check parsed JSON for what the database and JSON.stringify cannot take back: nesting deeper than `maxDepth`
 * (JSON.stringify overflows the stack near 5,000) and strings with a lone UTF-16 surrogate ("\ud800" is valid JSON but
 * no valid UTF-8). Throws HttpError 400 naming the place; `what` names the document (e.g. "meta.json").
 */
export function checkJsonValue(value: unknown, what = 'the request body', maxDepth = maxJsonDepth()): void {
  // Iterative walk: a recursive one would overflow on the very input it guards against.
  const stack: { v: unknown; depth: number; path: string }[] = [{ v: value, depth: 0, path: '' }];
  while (stack.length) {
    const { v, depth, path } = stack.pop()!;
    if (typeof v === 'string') {
      if (!v.isWellFormed()) {
        throw new HttpError(
          400,
          'bad_string',
          `${what}${path ? ` at ${path}` : ''}: a string holds a lone UTF-16 surrogate`,
        );
      }
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth >= maxDepth) {
      throw new HttpError(
        400,
        'too_deep',
        `${what} is nested deeper than ${maxDepth} levels${path ? ` (at ${path})` : ''}`,
      );
    }
    if (Array.isArray(v)) v.forEach((x, i) => stack.push({ v: x, depth: depth + 1, path: `${path}[${i}]` }));
    else
      for (const [k, x] of Object.entries(v)) {
        if (!k.isWellFormed()) throw new HttpError(400, 'bad_string', `${what}: a key holds a lone UTF-16 surrogate`);
        stack.push({ v: x, depth: depth + 1, path: path ? `${path}.${k}` : k });
      }
  }
}

/** Parse JSON text with the depth and string checks; 400 naming `what` when it is not JSON. */
export function parseJsonText(text: string, what = 'the request body'): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const detail = err instanceof Error ? `: ${err.message}` : '';
    throw new HttpError(400, 'bad_json', `${what} is not valid JSON${detail}`);
  }
  checkJsonValue(value, what);
  return value;
}

/** The request body's bytes, refused with 413 past `maxBytes` (read as it streams: nothing beyond is buffered). */
export async function readBodyBytes(req: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(req.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    throw new HttpError(413, 'body_too_large', `the request body (${declared} bytes) exceeds ${maxBytes} bytes`);
  }
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new HttpError(413, 'body_too_large', `the request body exceeds ${maxBytes} bytes`);
    }
    parts.push(value);
  }
  const bytes = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    bytes.set(p, o);
    o += p.length;
  }
  return bytes;
}

/** The request body as UTF-8 text, refused with 413 past `maxBytes` and 400 when it is not UTF-8. */
export async function readBodyText(req: Request, maxBytes = maxJsonBytes()): Promise<string> {
  const bytes = await readBodyBytes(req, maxBytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new HttpError(400, 'bad_encoding', 'the request body is not valid UTF-8');
  }
}

/**
 * Parse a JSON body: 400 for malformed JSON, nesting deeper than EPDI_MAX_JSON_DEPTH or a lone surrogate in a
 * string, 413 past EPDI_MAX_JSON_BYTES.
 */
export async function readJson(req: Request): Promise<unknown> {
  return parseJsonText(await readBodyText(req));
}

/** A dynamic route segment decoded once more (weights paths); 400 for a malformed %-escape instead of a URIError. */
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, 'bad_path', `malformed %-escape in the path segment '${segment.slice(0, 100)}'`);
  }
}
