import { getDataset, listSurfaces } from '@/lib/server/datasets';
import { errorResponse, HttpError } from '@/lib/server/http';

export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const { id } = await params;
    if (!(await getDataset(id))) throw new HttpError(404, 'no_dataset', `dataset ${id} does not exist`);
    return Response.json({ surfaces: await listSurfaces(id) });
  } catch (err) {
    return errorResponse(err);
  }
}
