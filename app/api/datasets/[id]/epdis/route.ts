import { epdiBatch } from '@/lib/server/epdi-batch';
import { getDataset } from '@/lib/server/datasets';
import { errorResponse, HttpError } from '@/lib/server/http';

/** Every EPDI of the dataset as one binary body (see lib/server/epdi-batch.ts for the layout). */
export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const { id } = await params;
    if (!(await getDataset(id))) throw new HttpError(404, 'no_dataset', `dataset ${id} does not exist`);
    const body = await epdiBatch(id);
    return new Response(new Uint8Array(body), { headers: { 'content-type': 'application/octet-stream' } });
  } catch (err) {
    return errorResponse(err);
  }
}
