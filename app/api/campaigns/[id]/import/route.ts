import { z } from 'zod';
import { importCampaignResults } from '@/lib/server/campaigns/import';
import { readArchiveBytes } from '@/lib/server/campaigns/read';
import { errorResponse, HttpError } from '@/lib/server/http';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** Largest results archive accepted in one request (bytes); large engine files are excluded by collect. */
const MAX_ARCHIVE_BYTES = 1024 ** 3;

/** `?retrain=1`: after the import, retrain the dataset's default model and report how the barriers moved. */
const querySchema = z.object({ retrain: z.enum(['0', '1', 'true', 'false']).optional() });

/**
 * Import a results archive (collect.sh's .tar.gz, `epdi campaign collect`'s .zip, or the campaign folder zipped) into
 * campaign `id`: the body is the archive's bytes. Answers the per-calculation report; results of another campaign
 * are refused calculation by calculation. `?retrain=1` retrains the dataset's default model afterwards and adds
 * `report.retrain` (each hop's barriers and sigmas before and after, largest moves first).
 */
export async function POST(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const { id } = await params;
    const url = new URL(req.url);
    const query = querySchema.parse({ retrain: url.searchParams.get('retrain') ?? undefined });
    const retrain = query.retrain === '1' || query.retrain === 'true';
    const length = Number(req.headers.get('content-length') ?? 0);
    if (length > MAX_ARCHIVE_BYTES)
      throw new HttpError(413, 'too_large', `a results archive may hold ${MAX_ARCHIVE_BYTES} bytes`);
    const bytes = new Uint8Array(await req.arrayBuffer());
    if (bytes.length === 0) throw new HttpError(400, 'no_body', 'send the results archive as the request body');
    if (bytes.length > MAX_ARCHIVE_BYTES)
      throw new HttpError(413, 'too_large', `a results archive may hold ${MAX_ARCHIVE_BYTES} bytes`);
    let files: Map<string, Uint8Array>;
    try {
      files = readArchiveBytes(bytes);
    } catch (err) {
      throw new HttpError(422, 'bad_archive', err instanceof Error ? err.message : String(err));
    }
    return Response.json({ report: await importCampaignResults(files, { campaignId: id, retrain }) });
  } catch (err) {
    return errorResponse(err);
  }
}
