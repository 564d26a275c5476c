import { errorResponse, readJson } from '@/lib/server/http';
import { startServerTraining, trainServerSchema } from '@/lib/server/train-server';

export const dynamic = 'force-dynamic';

/**
 * Train a closed-form model (descriptor-gp, pixel-ridge, mep-linear, mean) in Node as a job; the job stores the model
 * and its predictions for every unlabelled site. Body: { spec: { type }, name?, seed?, protocol? }. 202 { jobId }.
 */
export async function POST(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const { id } = await params;
    const input = trainServerSchema.parse(await readJson(req));
    const jobId = await startServerTraining(id, input);
    return Response.json({ jobId }, { status: 202 });
  } catch (err) {
    return errorResponse(err);
  }
}
