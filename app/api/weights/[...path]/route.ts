import { decodeSegment, errorResponse, HttpError } from '@/lib/server/http';
import { fileResponse, resolveInside, weightsDir } from '@/lib/server/weights';
import { existsSync } from 'node:fs';

export const dynamic = 'force-dynamic';

/** A file of the weights directory (model.json, shards), streamed; path traversal is refused. */
export async function GET(_req: Request, { params }: { params: Promise<{ path: string[] }> }): Promise<Response> {
  try {
    const { path: segments } = await params;
    const root = weightsDir();
    if (!existsSync(root)) throw new HttpError(404, 'no_weights', 'the weights directory does not exist (set EPDI_WEIGHTS_DIR)');
    return await fileResponse(await resolveInside(root, segments.map(decodeSegment)));
  } catch (err) {
    return errorResponse(err);
  }
}
