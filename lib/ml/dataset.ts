/**
 * The samples file (`epdi evaluate samples.json`): what lib/epdi extraction or the DB export writes for lib/ml.
 *
 *   { "format": "epdi-samples", "version": 1,
 *     "settings": { ...EPDI settings: height, window, pixels, radius... (hashed into feature-cache keys) },
 *     "samples": [ { "id": "MoS2-V/T_M_0", "surfaceId": "MoS2-V", "kind": "T_M", "isSaddle": false,
 *                    "pixels": 64, "windowAngstrom": 6.4, "mepEv": -1.23, "eBindingEv": -0.87 | null,
 *                    "dopantDistanceAngstrom": 3.1, "descriptors": { "mep_r1.5_h1.5_eV": -1.1 },
 *                    "epdi": "<base64 of little-endian float32, pixels*pixels values, row-major, x fastest>" } ] }
 *
 * `epdi` may also be a plain number array. Parsing is pure (text in, samples out).
 */
import { z } from 'zod';
import { MlError } from './errors';
import { hashJson } from './rng';
import { SITE_KINDS, type Sample, type SiteKind } from './types';

const sampleSchema = z.object({
  id: z.string().min(1),
  surfaceId: z.string().min(1),
  kind: z.enum(SITE_KINDS as [SiteKind, ...SiteKind[]]),
  isSaddle: z.boolean(),
  pixels: z.number().int().positive(),
  windowAngstrom: z.number().positive().optional(),
  mepEv: z.number(),
  eBindingEv: z.number().nullable().optional(),
  dopantDistanceAngstrom: z.number().nullable().optional(),
  descriptors: z.record(z.string(), z.number()).optional(),
  epdi: z.union([z.string(), z.array(z.number())]),
});

const fileSchema = z.object({
  format: z.literal('epdi-samples'),
  version: z.literal(1),
  settings: z.record(z.string(), z.unknown()).optional(),
  samples: z.array(sampleSchema),
});

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function bytesToBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i];
    const b = i + 1 < bytes.length ? bytes[i + 1] : 0;
    const c = i + 2 < bytes.length ? bytes[i + 2] : 0;
    out += B64[a >> 2] + B64[((a & 3) << 4) | (b >> 4)];
    out += i + 1 < bytes.length ? B64[((b & 15) << 2) | (c >> 6)] : '=';
    out += i + 2 < bytes.length ? B64[c & 63] : '=';
  }
  return out;
}

export function base64ToBytes(s: string): Uint8Array {
  const clean = s.replace(/[^A-Za-z0-9+/]/g, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let o = 0;
  for (let i = 0; i < clean.length; i += 4) {
    const v = [0, 1, 2, 3].map((k) => (i + k < clean.length ? B64.indexOf(clean[i + k]) : 0));
    const n = (v[0] << 18) | (v[1] << 12) | (v[2] << 6) | v[3];
    if (o < out.length) out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

function float32FromBase64(s: string): Float32Array {
  const bytes = base64ToBytes(s);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.byteLength >> 2);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(4 * i, true);
  return out;
}

function float32ToBase64(a: Float32Array): string {
  const bytes = new Uint8Array(a.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < a.length; i++) view.setFloat32(4 * i, a[i], true);
  return bytesToBase64(bytes);
}

export interface SamplesFile {
  settings: Record<string, unknown>;
  settingsHash: string;
  samples: Sample[];
}

/** Parse a samples file; MlError('bad_samples') with the first problem. */
export function parseSamplesFile(text: string, name = 'samples.json'): SamplesFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new MlError('bad_samples', 'not valid JSON', name);
  }
  const r = fileSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new MlError('bad_samples', `${issue.path.join('.')}: ${issue.message}`, name);
  }
  const ids = new Set<string>();
  const samples = r.data.samples.map((s): Sample => {
    if (ids.has(s.id)) throw new MlError('bad_samples', `duplicate sample id ${s.id}`, name);
    ids.add(s.id);
    const epdi = typeof s.epdi === 'string' ? float32FromBase64(s.epdi) : Float32Array.from(s.epdi);
    if (epdi.length !== s.pixels * s.pixels) throw new MlError('bad_samples', `sample ${s.id}: epdi has ${epdi.length} values, expected ${s.pixels}^2`, name);
    return {
      id: s.id,
      surfaceId: s.surfaceId,
      kind: s.kind,
      isSaddle: s.isSaddle,
      pixels: s.pixels,
      windowAngstrom: s.windowAngstrom,
      mepEv: s.mepEv,
      eBindingEv: s.eBindingEv ?? undefined,
      dopantDistanceAngstrom: s.dopantDistanceAngstrom ?? undefined,
      descriptors: s.descriptors,
      epdi,
    };
  });
  const settings = r.data.settings ?? {};
  return { settings, settingsHash: hashJson(settings), samples };
}

export function serialiseSamplesFile(samples: readonly Sample[], settings: Record<string, unknown> = {}): string {
  return JSON.stringify({
    format: 'epdi-samples',
    version: 1,
    settings,
    samples: samples.map((s) => ({
      id: s.id,
      surfaceId: s.surfaceId,
      kind: s.kind,
      isSaddle: s.isSaddle,
      pixels: s.pixels,
      windowAngstrom: s.windowAngstrom,
      mepEv: s.mepEv,
      eBindingEv: s.eBindingEv ?? null,
      dopantDistanceAngstrom: s.dopantDistanceAngstrom ?? null,
      descriptors: s.descriptors,
      epdi: float32ToBase64(s.epdi),
    })),
  });
}
