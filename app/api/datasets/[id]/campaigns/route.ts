import { z } from 'zod';
import { exportCampaign } from '@/lib/server/campaigns/export';
import { listCampaigns } from '@/lib/server/campaigns/import';
import { campaignZip } from '@/lib/server/campaigns/zip';
import { errorResponse, HttpError } from '@/lib/server/http';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const bodySchema = z.object({
  engine: z.enum(['vasp', 'gpaw']),
  next: z.number().int().min(1).max(500).optional(),
  sites: z.array(z.string().min(1).max(200)).max(500).optional(),
  neb: z.boolean().optional(),
  model: z.string().max(200).optional(),
  slurm: z
    .object({
      partition: z.string().max(100).optional(),
      time: z
        .string()
        .regex(/^[0-9:-]{1,20}$/)
        .optional(),
      nodes: z.number().int().min(1).max(10000).optional(),
      ntasks: z.number().int().min(1).max(1000000).optional(),
      cpusPerTask: z.number().int().min(1).max(1024).optional(),
      account: z.string().max(100).optional(),
      modules: z.array(z.string().max(200)).max(50).optional(),
      pythonCommand: z.string().max(500).optional(),
      vaspCommand: z.string().max(500).optional(),
    })
    .strict()
    .optional(),
  vasp: z
    .object({
      encutEv: z.number().min(100).max(2000).optional(),
      functional: z.enum(['PBE', 'PBEsol', 'RPBE']).optional(),
      vdw: z.enum(['none', 'D3', 'D3BJ']).optional(),
      dipoleCorrection: z.boolean().optional(),
      kpoints: z
        .tuple([z.number().int().min(1).max(50), z.number().int().min(1).max(50), z.number().int().min(1).max(50)])
        .optional(),
      liXyFree: z.boolean().optional(),
      nebImages: z.number().int().min(1).max(20).optional(),
      incarTemplate: z.string().max(100_000).nullable().optional(),
    })
    .strict()
    .optional(),
  gpaw: z.record(z.string(), z.union([z.string(), z.number(), z.array(z.number())])).optional(),
});

/** Campaigns of the dataset, newest first, with their progress. */
export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const { id } = await params;
    return Response.json({ campaigns: await listCampaigns(id) });
  } catch (err) {
    return errorResponse(err);
  }
}

/** Export a campaign (JSON options) and answer its folder as a .zip download; the campaign is recorded as 'exported'. */
export async function POST(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const { id } = await params;
    let raw: unknown;
    try {
      raw = await req.json();
    } catch {
      throw new HttpError(400, 'bad_json', 'send the campaign options as JSON');
    }
    const body = bodySchema.parse(raw);
    const folder = await exportCampaign(id, body);
    const zip = campaignZip(folder);
    return new Response(zip as Uint8Array<ArrayBuffer>, {
      status: 201,
      headers: {
        'content-type': 'application/zip',
        'content-disposition': `attachment; filename="campaign-${folder.manifest.id}.zip"`,
        'x-campaign-id': folder.manifest.id,
      },
    });
  } catch (err) {
    if (err instanceof Error && err.name === 'SelectionError')
      return errorResponse(new HttpError(422, 'bad_selection', err.message));
    return errorResponse(err);
  }
}
