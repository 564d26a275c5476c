import { errorResponse, HttpError, readBodyBytes } from '@/lib/server/http';
import { maxModelBytes } from '@/lib/server/limits';
import { importModel } from '@/lib/server/models';

export const dynamic = 'force-dynamic';

/**
 * Import a model zip exported earlier: the raw zip as the body (`?name=` optional), or multipart with a `model` file
 * (and optional `name` field).
 */
export async function POST(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const { id } = await params;
    const url = new URL(req.url);
    let name = url.searchParams.get('name') ?? undefined;
    let bytes: Uint8Array;
    const max = maxModelBytes(); // EPDI_MAX_MODEL_BYTES: refused before the body is read whole
    const declared = Number(req.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > max + 64 * 1024) {
      throw new HttpError(413, 'body_too_large', `the model upload (${declared} bytes) exceeds ${max} bytes`);
    }
    if ((req.headers.get('content-type') ?? '').startsWith('multipart/form-data')) {
      const form = await req.formData();
      const file = form.get('model') ?? form.get('file');
      if (!(file instanceof Blob)) throw new HttpError(422, 'no_model_file', 'the `model` field (a zip) is missing');
      const n = form.get('name');
      if (typeof n === 'string' && n.trim()) name = n;
      bytes = new Uint8Array(await file.arrayBuffer());
    } else {
      bytes = await readBodyBytes(req, max);
    }
    if (bytes.byteLength === 0) throw new HttpError(422, 'no_model_file', 'the request has no zip');
    const model = await importModel(id, bytes, name);
    return Response.json({ model }, { status: 201 });
  } catch (err) {
    return errorResponse(err);
  }
}
