import { csvStream } from '@/lib/profile';
import { errorResponse, HttpError } from '@/lib/server/http';
import { EXPORT_FILES, exportLines, exportSidecar, type ExportFile } from '@/lib/server/profile-exports';
import { parseProfilesQuery } from '@/lib/server/profiles';
import { cachedProfiles } from '@/lib/server/profiles-cache';

/**
 * GET /api/datasets/[id]/export/profiles.csv | barriers.csv | sites.csv, streamed as an attachment (plain RFC 4180,
 * header on line 1; columns: lib/profile/csv-columns.ts), and beside each its JSON sidecar profiles.json |
 * barriers.json | sites.json (dataset, mu_Li record, model, column units and descriptions, input file hashes,
 * notes). Query as /profiles: `surfaces=id,id`, `model=<id>|none`, `samples=21`; a sidecar describes the CSV of the
 * same query.
 */
export async function GET(
  req: Request,
  { params }: { params: Promise<{ id: string; file: string }> },
): Promise<Response> {
  try {
    const { id, file } = await params;
    const match = /^(\w+)\.(csv|json)$/.exec(file);
    const name = match?.[1] as ExportFile | undefined;
    if (!match || !name || !EXPORT_FILES.includes(name)) {
      throw new HttpError(
        404,
        'no_export',
        `no export named '${file}' (profiles.csv, barriers.csv, sites.csv and their .json sidecars)`,
      );
    }
    const query = parseProfilesQuery(new URL(req.url));
    const result = await cachedProfiles(id, query);
    if (match[2] === 'json') {
      return Response.json(exportSidecar(result, name), {
        headers: { 'content-disposition': `attachment; filename="${name}.json"`, 'cache-control': 'no-store' },
      });
    }
    return new Response(csvStream(exportLines(result, name)), {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${name}.csv"`,
        'cache-control': 'no-store',
      },
    });
  } catch (err) {
    return errorResponse(err);
  }
}
