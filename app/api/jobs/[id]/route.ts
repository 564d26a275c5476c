import { errorResponse, HttpError } from '@/lib/server/http';
import { getJob } from '@/lib/server/jobs';

export const dynamic = 'force-dynamic';

export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const { id } = await params;
    const job = await getJob(id);
    if (!job) throw new HttpError(404, 'no_job', `job ${id} does not exist`);
    return Response.json({ job });
  } catch (err) {
    return errorResponse(err);
  }
}
