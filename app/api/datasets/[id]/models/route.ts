import { errorResponse, HttpError } from '@/lib/server/http';
import { createModel, listModels, modelMetaSchema } from '@/lib/server/models';

export const dynamic = 'force-dynamic';

/** The dataset's models, newest first, with metrics and prediction counts. */
export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const { id } = await params;
    return Response.json({ models: await listModels(id) });
  } catch (err) {
    return errorResponse(err);
  }
}

/**
 * Store a model trained in the browser. multipart/form-data with `model` (the zip from lib/ml modelToZip) and `meta`
 * (JSON: name, spec, metrics, trainingSiteIds, backend, settings).
 */
export async function POST(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const { id } = await params;
    let form: FormData;
    try {
      form = await req.formData();
    } catch {
      throw new HttpError(400, 'bad_form', 'send multipart/form-data with a `model` zip and a `meta` JSON field');
    }
    const file = form.get('model');
    const metaText = form.get('meta');
    if (!(file instanceof Blob)) throw new HttpError(422, 'no_model_file', 'the `model` field (a zip) is missing');
    if (typeof metaText !== 'string') throw new HttpError(422, 'no_meta', 'the `meta` field (JSON) is missing');
    let raw: unknown;
    try {
      raw = JSON.parse(metaText);
    } catch {
      throw new HttpError(400, 'bad_json', 'the `meta` field is not valid JSON');
    }
    const meta = modelMetaSchema.parse(raw);
    const model = await createModel(id, new Uint8Array(await file.arrayBuffer()), meta);
    return Response.json({ model }, { status: 201 });
  } catch (err) {
    return errorResponse(err);
  }
}
