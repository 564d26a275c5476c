import { errorResponse, readJson } from '@/lib/server/http';
import { newSurfaceSchema, startNewSurface } from '@/lib/server/new-surface-server';

export const dynamic = 'force-dynamic';

/**
 * Run a new-surface protocol (leave one surface out, leave one dopant out, train/test) with k = 0..3 shots on the
 * dataset as a job; the job's result is the same table as `epdi evaluate`. Body: { protocol, shots?, models?, seed? }.
 * 202 { jobId }.
 */
export async function POST(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const { id } = await params;
    const input = newSurfaceSchema.parse(await readJson(req));
    const jobId = await startNewSurface(id, input);
    return Response.json({ jobId }, { status: 202 });
  } catch (err) {
    return errorResponse(err);
  }
}
