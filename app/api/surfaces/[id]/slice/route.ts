import { errorResponse } from '@/lib/server/http';
import { floatResponse, potentialSlice, sliceQuerySchema, surfacePotential } from '@/lib/server/potential-views';

/**
 * GET ?heightA=1.5&pixels=128[&format=json]: the vacuum-aligned potential (eV) in the plane heightA (Angstrom) above
 * the top X layer over one cell. Binary body: [uint32 LE header length][JSON SliceHeader][Float32 LE values], values
 * row-major Shape [height, width] (lib/view/slice.ts documents origin, u = a, v = b and pixel centres).
 */
export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const { id } = await params;
    const query = sliceQuerySchema.parse(Object.fromEntries(new URL(req.url).searchParams));
    const potential = await surfacePotential(id);
    const { header, values } = potentialSlice(potential, query.heightA ?? potential.defaultHeightA, query.pixels);
    return floatResponse(header, values, query.format);
  } catch (err) {
    return errorResponse(err);
  }
}
