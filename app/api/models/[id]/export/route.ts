import { errorResponse } from '@/lib/server/http';
import { modelZip } from '@/lib/server/models';

export const dynamic = 'force-dynamic';

/** The stored model zip (tfjs artefacts + meta.json), byte for byte, as a download. */
export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const { id } = await params;
    const { bytes, fileName } = await modelZip(id);
    return new Response(new Uint8Array(bytes), {
      headers: {
        'content-type': 'application/zip',
        'content-length': String(bytes.byteLength),
        'content-disposition': `attachment; filename="${fileName}"`,
      },
    });
  } catch (err) {
    return errorResponse(err);
  }
}
