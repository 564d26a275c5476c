import { errorResponse, HttpError } from '@/lib/server/http';
import { fileResponse, resolveInside, wasmDir } from '@/lib/server/weights';

export const dynamic = 'force-dynamic';

/** The tfjs wasm backend's binaries, served from node_modules so the browser never reaches a CDN. */
export async function GET(_req: Request, { params }: { params: Promise<{ file: string }> }): Promise<Response> {
  try {
    const { file } = await params;
    if (!/^tfjs-backend-wasm[a-z-]*\.wasm$/.test(file)) throw new HttpError(404, 'not_found', `${file} is not a tfjs wasm binary`);
    return await fileResponse(await resolveInside(wasmDir(), [file]), { cache: 'public, max-age=86400' });
  } catch (err) {
    return errorResponse(err);
  }
}
