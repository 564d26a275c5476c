import { errorResponse } from '@/lib/server/http';
import { deleteModel, getModel } from '@/lib/server/models';

export const dynamic = 'force-dynamic';

export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const { id } = await params;
    return Response.json({ model: await getModel(id) });
  } catch (err) {
    return errorResponse(err);
  }
}

/** Delete a model and (by cascade) its predictions. */
export async function DELETE(_req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const { id } = await params;
    await deleteModel(id);
    return Response.json({ deleted: id });
  } catch (err) {
    return errorResponse(err);
  }
}
