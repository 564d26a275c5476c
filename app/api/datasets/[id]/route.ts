import { deleteDataset, getDataset } from '@/lib/server/datasets';
import { errorResponse, HttpError } from '@/lib/server/http';

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
