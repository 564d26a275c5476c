import { errorResponse } from '@/lib/server/http';
import { weightsRegistry } from '@/lib/server/weights';

export const dynamic = 'force-dynamic';

/** The backbone registry: which pretrained backbones are present, which are missing and why. */
export async function GET(): Promise<Response> {
  try {
    return Response.json(await weightsRegistry());
  } catch (err) {
    return errorResponse(err);
  }
}
