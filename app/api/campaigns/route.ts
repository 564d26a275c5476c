import { listCampaigns } from '@/lib/server/campaigns/import';
import { errorResponse } from '@/lib/server/http';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** Every campaign, newest first, with its progress and per-calculation results. */
export async function GET(): Promise<Response> {
  try {
    return Response.json({ campaigns: await listCampaigns() });
  } catch (err) {
    return errorResponse(err);
  }
}
