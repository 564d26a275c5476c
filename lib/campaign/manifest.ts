/**
 * manifest.json of a campaign: what was asked, of which surface, under which names, with which inputs. The import
 * matches every result to its calculation through it and refuses results whose inputs differ from the hashes here.
 */
import { z } from 'zod';
import { sha256Hex } from '../profile/export-json';
import type { Engine } from './types';

/** SHA-256 of text (UTF-8) or bytes, lower-case hex (lib/profile's one implementation). */
export function hashOf(data: Uint8Array | string): Promise<string> {
  return sha256Hex(typeof data === 'string' ? new TextEncoder().encode(data) : data);
}

export const MANIFEST_FORMAT = 'epdi-campaign/1';

const vec3 = z.tuple([z.number(), z.number(), z.number()]);
const namedSite = z.object({ appId: z.string(), name: z.string(), kind: z.string(), position: vec3 });

export const manifestCalculationSchema = z.object({
  /** Unique within the campaign, also the folder name under calcs/. */
  id: z.string().regex(/^[A-Za-z0-9._@-]+$/),
  /** The Slurm array task that runs it. */
  index: z.number().int().min(0),
  folder: z.string(),
  kind: z.enum(['relax', 'neb']),
  surface: z.object({ id: z.string(), name: z.string() }),
  /** relax: the site; neb: the saddle (bridge) of the hop. */
  site: namedSite,
  hop: z.object({ appId: z.string(), from: namedSite, to: namedSite }).nullable(),
  /** The label name the result is stored under (the relaxed site, or the NEB's saddle). */
  labelName: z.string(),
  /** NEB: the run name on the surface. */
  nebName: z.string().nullable(),
  /** NEB: images between the end points. */
  images: z.number().int().nullable(),
  why: z.string(),
  /** sha256 of each input file, by path relative to the calculation folder. */
  inputs: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)),
});
export type ManifestCalculation = z.infer<typeof manifestCalculationSchema>;

export const manifestSchema = z.object({
  format: z.literal(MANIFEST_FORMAT),
  id: z.string().min(1),
  createdAt: z.string(),
  dataset: z.object({ id: z.string(), name: z.string() }),
  muLi: z.object({
    kind: z.string(),
    valueEv: z.number().nullable(),
    source: z.string(),
    note: z.string().nullable(),
    text: z.string(),
  }),
  engine: z.enum(['vasp', 'gpaw']),
  selection: z.string(),
  /** Engine settings as used (VASP options and INCAR template, or the GPAW settings dict), plus Slurm resources. */
  settings: z.record(z.string(), z.unknown()),
  /** GPAW: sha256 of the scripts/dft files shipped under code/scripts/dft/. */
  code: z.record(z.string(), z.string()),
  calculations: z.array(manifestCalculationSchema),
});
export type Manifest = z.infer<typeof manifestSchema>;

/** Parse manifest.json text; throws Error naming the first problem. */
export function parseManifest(text: string): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`manifest.json is not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`manifest.json: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}

/** A folder/calculation name from free text: letters, digits, '.', '_', '-', '@'. */
export function safeName(text: string): string {
  return text.replace(/[^A-Za-z0-9._@-]+/g, '_').replace(/^_+|_+$/g, '') || 'x';
}

/** `sha256sum` check-file text (two spaces between hash and path), paths sorted. */
export function sha256sumText(hashes: Record<string, string>): string {
  return (
    Object.keys(hashes)
      .sort()
      .map((p) => `${hashes[p]}  ${p}`)
      .join('\n') + '\n'
  );
}

export const ENGINE_TEXT: Record<Engine, string> = { vasp: 'VASP', gpaw: 'GPAW' };
