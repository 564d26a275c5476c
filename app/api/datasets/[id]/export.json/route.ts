import { errorResponse } from '@/lib/server/http';
import { profilesJsonExport } from '@/lib/server/profile-exports';
import { parseProfilesQuery } from '@/lib/server/profiles';
import { cachedProfiles } from '@/lib/server/profiles-cache';

/**
 * GET /api/datasets/[id]/export.json: the records of profiles/barriers/sites.csv plus provenance (settings, mu_Li
 * record, model, SHA-256 of every uploaded file; the same as the CSV sidecars export/<name>.json), each column's unit
 * and description, NEB summary and doping effects. Query as /profiles.
 */
export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const { id } = await params;
    const result = await cachedProfiles(id, parseProfilesQuery(new URL(req.url)));
    return Response.json(profilesJsonExport(result), {
      headers: { 'content-disposition': 'attachment; filename="export.json"', 'cache-control': 'no-store' },
    });
  } catch (err) {
    return errorResponse(err);
  }
}
