/**
 * JSON export: the same records as the three CSV files (keys = the CSV column names, units in the keys), plus
 * provenance: the app, the mu_Li reference, the model, the settings and the SHA-256 of every input file, so a figure
 * can be traced back to its inputs. Records are built eagerly (use the CSV generators to stream very large sets).
 */
import type { MuLiReference } from './binding';
import { describeReference } from './binding';
import {
  BARRIER_COLUMNS,
  PROFILE_COLUMNS,
  SITE_COLUMNS,
  csvColumnsDoc,
  csvRecord,
  type BarrierCsvRow,
  type ProfileCsvRow,
  type SiteCsvRow,
} from './csv';
import type { DopingEffect } from './doping';
import type { NebOverall } from './neb-compare';

export const EXPORT_SCHEMA_VERSION = 1;

export interface FileHash {
  /** Path as the user gave it (relative to the surface folder where possible). */
  path: string;
  sha256: string;
  bytes?: number;
}

export interface ModelProvenance {
  id: string;
  backbone?: string;
  head?: string;
  [key: string]: unknown;
}

export interface ExportInput {
  dataset: string;
  muLi: MuLiReference | null;
  model: ModelProvenance | null;
  settings?: Record<string, unknown>;
  files?: readonly FileHash[];
  /** ISO 8601 time stamp; pass one for reproducible output (tests), else now. */
  generatedAt?: string;
  notes?: readonly string[];
  profiles?: Iterable<ProfileCsvRow>;
  barriers?: Iterable<BarrierCsvRow>;
  sites?: Iterable<SiteCsvRow>;
  nebSummary?: NebOverall | null;
  doping?: readonly DopingEffect[];
}

type Rec = Record<string, string | number | null>;

export interface JsonExport {
  schemaVersion: number;
  provenance: {
    app: 'epdi-lab';
    generatedAt: string;
    dataset: string;
    muLi: (MuLiReference & { description: string }) | null;
    model: ModelProvenance | null;
    settings: Record<string, unknown>;
    files: FileHash[];
    notes: string[];
  };
  columns: {
    profiles: { name: string; description: string }[];
    barriers: { name: string; description: string }[];
    sites: { name: string; description: string }[];
  };
  profiles: Rec[];
  barriers: Rec[];
  sites: Rec[];
  nebSummary: NebOverall | null;
  doping: DopingEffect[];
}

export function buildJsonExport(input: ExportInput): JsonExport {
  const map = <Row>(columns: Parameters<typeof csvRecord<Row>>[0], rows: Iterable<Row> | undefined): Rec[] =>
    rows ? Array.from(rows, (r) => csvRecord(columns, r)) : [];
  return {
    schemaVersion: EXPORT_SCHEMA_VERSION,
    provenance: {
      app: 'epdi-lab',
      generatedAt: input.generatedAt ?? new Date().toISOString(),
      dataset: input.dataset,
      muLi: input.muLi ? { ...input.muLi, description: describeReference(input.muLi) } : null,
      model: input.model,
      settings: input.settings ?? {},
      files: [...(input.files ?? [])],
      notes: [...(input.notes ?? [])],
    },
    columns: {
      profiles: csvColumnsDoc('profiles'),
      barriers: csvColumnsDoc('barriers'),
      sites: csvColumnsDoc('sites'),
    },
    profiles: map(PROFILE_COLUMNS, input.profiles),
    barriers: map(BARRIER_COLUMNS, input.barriers),
    sites: map(SITE_COLUMNS, input.sites),
    nebSummary: input.nebSummary ?? null,
    doping: [...(input.doping ?? [])],
  };
}

/** Lower-case hex SHA-256 of some bytes (Web Crypto: browsers and Node >= 20 alike). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
