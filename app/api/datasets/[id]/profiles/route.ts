import { errorResponse } from '@/lib/server/http';
import { assembleProfiles, parseProfilesQuery } from '@/lib/server/profiles';

/**
 * Hop profiles, barriers (with their knots' sources), NEB comparisons, percolating barriers and doping effects of a
 * dataset. Query: `surfaces=id,id` (selection), `model=<id>|none` (default: latest model), `samples=21`.
 */
export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const { id } = await params;
    const query = parseProfilesQuery(new URL(req.url));
    return Response.json({ profiles: await assembleProfiles(id, query) });
  } catch (err) {
    return errorResponse(err);
  }
}
