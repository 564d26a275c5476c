import { z } from 'zod';
import { errorResponse } from '@/lib/server/http';
import { downsampledPotential, floatResponse, gridQuerySchema, surfacePotential } from '@/lib/server/potential-views';

const querySchema = gridQuerySchema.extend({ format: z.enum(['binary', 'json']).default('binary') });

/**
 * GET ?max=64[&format=json]: the vacuum-aligned potential (eV) down-sampled to at most `max` points per axis, for the
 * isosurface worker. Binary body: [uint32 LE header length][JSON GridHeader (dims, lattice)][Float32 LE values],
 * x fastest, point (i, j, k) at fractional (i/nx, j/ny, k/nz).
 */
export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const { id } = await params;
    const query = querySchema.parse(Object.fromEntries(new URL(req.url).searchParams));
    const { header, values } = downsampledPotential(await surfacePotential(id), query.max);
    return floatResponse(header, values, query.format);
  } catch (err) {
    return errorResponse(err);
  }
}
