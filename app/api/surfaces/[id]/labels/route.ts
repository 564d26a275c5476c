import { z } from 'zod';
import { errorResponse, HttpError } from '@/lib/server/http';
import { addLabelsToSurface } from '@/lib/server/upload/add-labels';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const querySchema = z.object({ job: z.uuid().optional() });

/**
 * Multipart upload of labels for a stored surface: labels.csv, sites/<name>/(CONTCAR|POSCAR) + OUTCAR and NEB folders
 * neb/<name>/00..NN or <name>/00..NN (.gz accepted; file names are URL-encoded relative paths). Streamed to disk,
 * appended in one transaction or not at all, then the surface is re-extracted. `?job=<uuid>` names the progress job.
 */
export async function POST(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const { id } = await params;
    const query = querySchema.parse(Object.fromEntries(new URL(req.url).searchParams));
    if (!req.body) throw new HttpError(400, 'no_body', 'the upload has no body');
    const result = await addLabelsToSurface(id, req.body, req.headers.get('content-type') ?? '', { jobId: query.job });
    return Response.json(result, { status: 201 });
  } catch (err) {
    return errorResponse(err);
  }
}
