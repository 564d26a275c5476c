import { csvStream } from '@/lib/profile';
import { errorResponse, HttpError } from '@/lib/server/http';
import { EXPORT_FILES, exportLines, type ExportFile } from '@/lib/server/profile-exports';
import { assembleProfiles, parseProfilesQuery } from '@/lib/server/profiles';

/**
 * GET /api/datasets/[id]/export/profiles.csv | barriers.csv | sites.csv, streamed as an attachment. Columns:
 * lib/profile/csv.ts. Query as /profiles: `surfaces=id,id`, `model=<id>|none`, `samples=21`.
 */
export async function GET(
  req: Request,
  { params }: { params: Promise<{ id: string; file: string }> },
): Promise<Response> {
  try {
    const { id, file } = await params;
    const name = file.replace(/\.csv$/, '') as ExportFile;
    if (!file.endsWith('.csv') || !EXPORT_FILES.includes(name)) {
      throw new HttpError(404, 'no_export', `no export named '${file}' (profiles.csv, barriers.csv, sites.csv)`);
    }
    const query = parseProfilesQuery(new URL(req.url));
    const result = await assembleProfiles(id, query);
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
