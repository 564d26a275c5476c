import { deleteDataset, getDataset } from '@/lib/server/datasets';
import { errorResponse, HttpError, readJson } from '@/lib/server/http';
import { switchMuLi } from '@/lib/server/mu-li';

interface Context {
  params: Promise<{ id: string }>;
}

export async function GET(_req: Request, { params }: Context): Promise<Response> {
  try {
    const { id } = await params;
    const dataset = await getDataset(id);
    if (!dataset) throw new HttpError(404, 'no_dataset', `dataset ${id} does not exist`);
    return Response.json({ dataset });
  } catch (err) {
    return errorResponse(err);
  }
}

export async function DELETE(_req: Request, { params }: Context): Promise<Response> {
  try {
    const { id } = await params;
    await deleteDataset(id);
    return new Response(null, { status: 204 });
  } catch (err) {
    return errorResponse(err);
  }
}

/**
 * Switch the mu_Li reference: body `{ muLiReference: 'bcc'|'atom'|'custom', muLiEv: number, note?: string }`.
 * Recomputes every stored binding energy (lib/server/mu-li.ts) and answers what changed.
 */
export async function PATCH(req: Request, { params }: Context): Promise<Response> {
  try {
    const { id } = await params;
    return Response.json(await switchMuLi(id, await readJson(req)));
  } catch (err) {
    return errorResponse(err);
  }
}
