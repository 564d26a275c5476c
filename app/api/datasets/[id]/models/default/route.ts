import { startDefaultModel } from '@/lib/server/default-model';
import { errorResponse } from '@/lib/server/http';

export const dynamic = 'force-dynamic';

/**
 * Choose and store the dataset's default model (lib/server/default-model.ts: leave one surface out with >= 3 labelled
 * surfaces, else the paper split) as a job; it is then refitted after every extraction. No body. 202 { jobId }.
 */
export async function POST(_req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const { id } = await params;
    return Response.json({ jobId: await startDefaultModel(id) }, { status: 202 });
  } catch (err) {
    return errorResponse(err);
  }
}
