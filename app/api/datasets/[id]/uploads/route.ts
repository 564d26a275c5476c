import { z } from 'zod';
import { getDataset } from '@/lib/server/datasets';
import { errorResponse, HttpError } from '@/lib/server/http';
import { importUpload } from '@/lib/server/upload/import-upload';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const querySchema = z.object({ job: z.uuid().optional() });

/**
 * Multipart upload of surface files and folders (file names are URL-encoded relative paths). The body is streamed
 * to disk, never buffered; everything is stored in one transaction or nothing is. `?job=<uuid>` names the progress
 * job so the client can poll /api/jobs/<uuid> while the server parses.
 */
export async function POST(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const { id } = await params;
    const query = querySchema.parse(Object.fromEntries(new URL(req.url).searchParams));
    if (!(await getDataset(id))) throw new HttpError(404, 'no_dataset', `dataset ${id} does not exist`);
    if (!req.body) throw new HttpError(400, 'no_body', 'the upload has no body');
    const result = await importUpload(id, req.body, req.headers.get('content-type') ?? '', { jobId: query.job });
    return Response.json(result, { status: 201 });
  } catch (err) {
    return errorResponse(err);
  }
}
