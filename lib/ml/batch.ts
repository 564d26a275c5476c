/**
 * The EPDI batch body (GET /api/datasets/[id]/epdis) read back into samples. Pure: the server writes it
 * (lib/server/epdi-batch.ts), the browser's training worker and the Node training job read it here.
 *
 * Layout: [uint32 LE header byte length][header JSON, UTF-8, space-padded to a multiple of 4][Float32 LE potentials].
 * Potentials: `Shape: [count, pixels, pixels]`, eV, vacuum-aligned, row-major x fastest, sites in header order.
 */
import { SITE_KINDS, type Sample, type SiteKind } from './types';

export interface EpdiBatchSite {
  id: string;
  surfaceId: string;
  surface: string;
  host: string | null;
  dopant: string | null;
  name: string;
  kind: string;
  symmetryGroup: number | null;
  /** Bridges: symmetry groups of the two minima the hop joins (null when unknown). */
  hopEndGroups?: [number, number] | null;
  dopantDistanceA: number | null;
  mepV: number | null;
  eBindingEv: number | null;
  /** Surface-level descriptors (e.g. host levels against the vacuum, lib/ml/host-levels.ts). */
  descriptors?: Record<string, number>;
  /** Site features for the new-surface models (lib/ml/site-features.ts), from inputs only. */
  siteFeatures?: Record<string, number>;
}

export interface EpdiBatchHeader {
  pixels: number;
  count: number;
  /** The dataset's one value range (eV) for mapping potentials to [0, 1]. */
  rangeEv: [number, number] | null;
  /** Edge of the square EPDI window in Angstrom (the dataset's extraction setting), when known. */
  windowA?: number | null;
  sites: EpdiBatchSite[];
}

/** Encode a header and the potentials into one body (the server's side of the format). */
export function encodeEpdiBatch(header: EpdiBatchHeader, fill: (potentials: Float32Array) => void): Uint8Array {
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 4) * 4;
  if (padded !== json.length) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const values = header.count * header.pixels * header.pixels;
  const out = new Uint8Array(4 + json.length + values * 4);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 4);
  fill(new Float32Array(out.buffer, 4 + json.length, values));
  return out;
}

/** Read a batch body back (browser, worker, Node job and tests). */
export function parseEpdiBatch(bytes: Uint8Array): { header: EpdiBatchHeader; potentials: Float32Array } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + headerLength))) as EpdiBatchHeader;
  const copy = bytes.slice(4 + headerLength);
  return { header, potentials: new Float32Array(copy.buffer, 0, header.count * header.pixels * header.pixels) };
}

const groupKey = (surfaceId: string, group: number): string => `${surfaceId}#${group}`;

const isSiteKind = (k: string): k is SiteKind => (SITE_KINDS as readonly string[]).includes(k);

/**
 * Samples for lib/ml from a parsed batch: sample id = site id; bridges are the saddles; the MEP (V, i.e. eV per unit
 * charge) is the sample's `mepEv`. Sites without an MEP take their EPDI's mean as a stand-in.
 */
export function samplesFromBatch(batch: { header: EpdiBatchHeader; potentials: Float32Array }): Sample[] {
  const { header, potentials } = batch;
  const px = header.pixels * header.pixels;
  const mepOfGroup = new Map<string, number>();
  header.sites.forEach((s) => {
    if (s.symmetryGroup !== null && s.mepV !== null && Number.isFinite(s.mepV)) mepOfGroup.set(groupKey(s.surfaceId, s.symmetryGroup), s.mepV);
  });
  return header.sites.map((s, i): Sample => {
    const epdi = potentials.subarray(i * px, (i + 1) * px);
    const kind: SiteKind = isSiteKind(s.kind) ? s.kind : 'other';
    let mepEv = s.mepV;
    if (mepEv === null || !Number.isFinite(mepEv)) mepEv = epdi.reduce((a, b) => a + b, 0) / Math.max(px, 1);
    const ends: [string, string] | undefined = s.hopEndGroups ? [groupKey(s.surfaceId, s.hopEndGroups[0]), groupKey(s.surfaceId, s.hopEndGroups[1])] : undefined;
    return {
      id: s.id,
      surfaceId: s.surfaceId,
      kind,
      isSaddle: kind === 'bridge',
      epdi,
      pixels: header.pixels,
      windowAngstrom: header.windowA ?? undefined,
      mepEv,
      dopantDistanceAngstrom: s.dopantDistanceA ?? undefined,
      eBindingEv: s.eBindingEv ?? undefined,
      siteGroup: s.symmetryGroup === null ? undefined : groupKey(s.surfaceId, s.symmetryGroup),
      descriptors: s.descriptors && Object.keys(s.descriptors).length ? s.descriptors : undefined,
      hopEnds: ends,
      ...(s.siteFeatures ? { siteFeatures: s.siteFeatures } : {}),
      hopEndsMepEv: ends && mepOfGroup.has(ends[0]) && mepOfGroup.has(ends[1]) ? (mepOfGroup.get(ends[0])! + mepOfGroup.get(ends[1])!) / 2 : undefined,
    };
  });
}
