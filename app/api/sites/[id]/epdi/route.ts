import { z } from 'zod';
import { COLORMAPS } from '@/lib/epdi/settings';
import { potentialsToRgb, rgbToPng } from '@/lib/epdi/colormap';
import { db } from '@/lib/server/db';
import { errorResponse, HttpError } from '@/lib/server/http';
import { datasetEpdiRange, epdiValues } from '@/lib/server/sites';

const querySchema = z.object({ colormap: z.enum(COLORMAPS).optional() });

/**
 * A site's EPDI as PNG, coloured with the dataset's one value range (never a per-image range) and its colormap
 * (`?colormap=` overrides). The range used is in the X-EPDI-Range-eV header.
 */
export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const { id } = await params;
    const query = querySchema.parse(Object.fromEntries(new URL(req.url).searchParams));
    const site = await db.site.findUnique({
      where: { id },
      select: {
        epdi: true,
        epdiPixels: true,
        surface: { select: { datasetId: true, dataset: { select: { settingsJson: true } } } },
      },
    });
    if (!site) throw new HttpError(404, 'no_site', `site ${id} does not exist`);
    if (!site.epdi || !site.epdiPixels) throw new HttpError(404, 'no_epdi', `site ${id} has no EPDI yet`);
    const range = await datasetEpdiRange(site.surface.datasetId);
    const settings = JSON.parse(site.surface.dataset.settingsJson) as { colormap?: (typeof COLORMAPS)[number] };
    const colormap = query.colormap ?? settings.colormap ?? 'grey';
    const n = site.epdiPixels;
    const png = rgbToPng(potentialsToRgb(epdiValues(site.epdi), [range!.minEv, range!.maxEv], colormap), n, n);
    return new Response(new Uint8Array(png), {
      headers: {
        'content-type': 'image/png',
        'cache-control': 'no-cache',
        'x-epdi-range-ev': `${range!.minEv},${range!.maxEv}`,
      },
    });
  } catch (err) {
    return errorResponse(err);
  }
}
