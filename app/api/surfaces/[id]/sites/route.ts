import { errorResponse, HttpError } from '@/lib/server/http';
import { getSurfaceDetail } from '@/lib/server/sites';

/** The site list of a surface as JSON. */
export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const { id } = await params;
    const surface = await getSurfaceDetail(id);
    if (!surface) throw new HttpError(404, 'no_surface', `surface ${id} does not exist`);
    return Response.json({ sites: surface.sites, hops: surface.hops, unmatchedLabels: surface.unmatchedLabels });
  } catch (err) {
    return errorResponse(err);
  }
}
