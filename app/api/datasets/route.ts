import { createDataset, listDatasets } from '@/lib/server/datasets';
import { errorResponse, readJson } from '@/lib/server/http';

export async function GET(): Promise<Response> {
  try {
    return Response.json({ datasets: await listDatasets() });
  } catch (err) {
    return errorResponse(err);
  }
}

export async function POST(req: Request): Promise<Response> {
  try {
    const dataset = await createDataset(await readJson(req));
    return Response.json({ dataset }, { status: 201 });
  } catch (err) {
    return errorResponse(err);
  }
}
