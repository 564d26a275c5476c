import { db } from '@/lib/server/db';
import { startExtraction } from '@/lib/server/extraction';
import { errorResponse, HttpError } from '@/lib/server/http';

/** Re-run site finding, MEPs and EPDIs of a surface with its dataset's current settings (a background job). */
export async function POST(_req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const { id } = await params;
    const surface = await db.surface.findUnique({ where: { id }, select: { datasetId: true } });
    if (!surface) throw new HttpError(404, 'no_surface', `surface ${id} does not exist`);
    const jobId = await startExtraction(surface.datasetId, [id]);
    return Response.json({ jobId }, { status: 202 });
  } catch (err) {
    return errorResponse(err);
  }
}
