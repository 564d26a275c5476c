import { ZodError } from 'zod';
import { UploadError } from './upload/errors';

export interface ErrorBody {
  error: { code: string; message: string; file?: string; line?: number; issues?: unknown };
}

/** Turn a thrown value into a JSON response: 4xx for the client's mistakes, 500 (logged) for ours. */
export function errorResponse(err: unknown): Response {
  if (err instanceof UploadError) {
    return Response.json({ error: err.toJSON() } satisfies ErrorBody, { status: err.status });
  }
  if (err instanceof ZodError) {
    return Response.json(
      { error: { code: 'invalid_request', message: err.issues[0]?.message ?? 'invalid request', issues: err.issues } },
      { status: 422 },
    );
  }
  if (err instanceof HttpError) {
    return Response.json({ error: { code: err.code, message: err.message } } satisfies ErrorBody, {
      status: err.status,
    });
  }
  console.error(err);
  return Response.json({ error: { code: 'internal', message: 'internal error' } } satisfies ErrorBody, { status: 500 });
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

/** Parse a JSON body, mapping malformed JSON to a 400. */
export async function readJson(req: Request): Promise<unknown> {
  try {
    return await req.json();
  } catch {
    throw new HttpError(400, 'bad_json', 'the request body is not valid JSON');
  }
}
