import { errorResponse, readJson } from '@/lib/server/http';
import { listPredictions, predictionsSchema, replacePredictions } from '@/lib/server/models';

export const dynamic = 'force-dynamic';

export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const { id } = await params;
    return Response.json({ predictions: await listPredictions(id) });
  } catch (err) {
    return errorResponse(err);
  }
}

/**
 * Store predictions computed in the browser: [{ siteId, valueEv, sigmaEv }] (eV), replacing the model's earlier ones
 * in one transaction.
 */
export async function POST(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const { id } = await params;
    const rows = predictionsSchema.parse(await readJson(req));
    return Response.json(await replacePredictions(id, rows), { status: 201 });
  } catch (err) {
    return errorResponse(err);
  }
}
