import { getDataset } from '@/lib/server/datasets';
import { errorResponse, HttpError } from '@/lib/server/http';
import { mepCorrelation } from '@/lib/server/mep-correlation';

/** MEP vs E_b per host family: points, Pearson r and the linear fit. */
export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const { id } = await params;
    if (!(await getDataset(id))) throw new HttpError(404, 'no_dataset', `dataset ${id} does not exist`);
    return Response.json({ hosts: await mepCorrelation(id) });
  } catch (err) {
    return errorResponse(err);
  }
}
