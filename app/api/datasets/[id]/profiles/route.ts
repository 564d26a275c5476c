import { errorResponse } from '@/lib/server/http';
import { parseProfilesQuery } from '@/lib/server/profiles';
import { cachedProfiles } from '@/lib/server/profiles-cache';

/**
 * Hop profiles, barriers (with their knots' sources), NEB comparisons, percolating barriers and doping effects of a
 * dataset. Query: `surfaces=id,id` (selection), `model=<id>|none` (default: latest model), `samples=21`.
 */
export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const { id } = await params;
    const query = parseProfilesQuery(new URL(req.url));
    return Response.json({ profiles: await cachedProfiles(id, query) });
  } catch (err) {
    return errorResponse(err);
  }
}
