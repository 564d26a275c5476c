import { db } from './db';
import { datasetEpdiRange, epdiValues } from './sites';

export interface EpdiBatchSite {
  id: string;
  surfaceId: string;
  surface: string;
  host: string | null;
  dopant: string | null;
  name: string;
  kind: string;
  symmetryGroup: number | null;
  dopantDistanceA: number | null;
  mepV: number | null;
  eBindingEv: number | null;
}

export interface EpdiBatchHeader {
  pixels: number;
  count: number;
  /** The dataset's one value range (eV) for mapping potentials to [0, 1]. */
  rangeEv: [number, number] | null;
  sites: EpdiBatchSite[];
}

/**
 * All EPDIs of a dataset as one binary body for training in the browser:
 * [uint32 LE header byte length][header JSON, UTF-8, space-padded to a multiple of 4][Float32 LE potentials].
 * Potentials: Shape [count, pixels, pixels], eV, vacuum-aligned, sites in header order.
 */
export async function epdiBatch(datasetId: string): Promise<Uint8Array> {
  const rows = await db.site.findMany({
    where: { surface: { datasetId }, epdi: { not: null } },
    orderBy: [{ surface: { name: 'asc' } }, { name: 'asc' }],
    select: {
      id: true,
      name: true,
      kind: true,
      symmetryGroup: true,
      dopantDistanceA: true,
      mepV: true,
      epdi: true,
      epdiPixels: true,
      surface: { select: { id: true, name: true, host: true, dopant: true } },
      labels: { orderBy: { createdAt: 'desc' }, take: 1, select: { eBindingEv: true } },
    },
  });
  const pixels = rows[0]?.epdiPixels ?? 0;
  const mixed = rows.find((r) => r.epdiPixels !== pixels);
  if (mixed)
    throw new Error(`EPDIs of this dataset have different sizes (${pixels} and ${mixed.epdiPixels}): re-extract`);
  const range = await datasetEpdiRange(datasetId);
  const header: EpdiBatchHeader = {
    pixels,
    count: rows.length,
    rangeEv: range ? [range.minEv, range.maxEv] : null,
    sites: rows.map((r) => ({
      id: r.id,
      surfaceId: r.surface.id,
      surface: r.surface.name,
      host: r.surface.host,
      dopant: r.surface.dopant,
      name: r.name,
      kind: r.kind,
      symmetryGroup: r.symmetryGroup,
      dopantDistanceA: r.dopantDistanceA,
      mepV: r.mepV,
      eBindingEv: r.labels[0]?.eBindingEv ?? null,
    })),
  };
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 4) * 4;
  if (padded !== json.length) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(4 + json.length + rows.length * pixels * pixels * 4);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 4);
  const data = new Float32Array(out.buffer, 4 + json.length, rows.length * pixels * pixels);
  rows.forEach((r, i) => data.set(epdiValues(r.epdi!), i * pixels * pixels));
  return out;
}

/** Read a batch body back (browser and tests). */
export function parseEpdiBatch(bytes: Uint8Array): { header: EpdiBatchHeader; potentials: Float32Array } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + headerLength))) as EpdiBatchHeader;
  const copy = bytes.slice(4 + headerLength);
  return { header, potentials: new Float32Array(copy.buffer, 0, header.count * header.pixels * header.pixels) };
}
