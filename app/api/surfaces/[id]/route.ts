import { errorResponse, HttpError } from '@/lib/server/http';
import { getSurfaceDetail } from '@/lib/server/sites';

/** A surface: structure, sites (kind, position, MEP, DFT and predicted E_b), hops, unmatched labels. */
export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const { id } = await params;
    const surface = await getSurfaceDetail(id);
    if (!surface) throw new HttpError(404, 'no_surface', `surface ${id} does not exist`);
    return Response.json({ surface });
  } catch (err) {
    return errorResponse(err);
  }
}
