/**
 * JSON export: the same records as the three CSV files (keys = the CSV column names, units in the keys), plus
 * provenance: the app, the mu_Li record, the model, the settings and the SHA-256 of every input file, so a figure
 * can be traced back to its inputs; `columns` gives each column's unit and description, as the CSV sidecars do
 * (./csv-sidecar.ts `csvSidecar`). Records are built eagerly (use the CSV generators to stream very large sets).
 * Schema 2: barriers gain from/saddle/to_site_id, sites gain dataset, surface, site_id and z_plane_A (site = the
 * user's label name where known), columns gain `unit`.
 */
import {
  BARRIER_COLUMNS,
  PROFILE_COLUMNS,
  SITE_COLUMNS,
  csvColumnsDoc,
  csvRecord,
  exportMuLi,
  type BarrierCsvRow,
  type ExportMuLi,
  type FileHash,
  type MuLiLike,
  type ProfileCsvRow,
  type SiteCsvRow,
} from './csv';
import type { DopingEffect } from './doping';
import type { NebOverall } from './neb-compare';

export const EXPORT_SCHEMA_VERSION = 2;

export interface ModelProvenance {
  id: string;
  backbone?: string;
  head?: string;
  [key: string]: unknown;
}

export interface ExportInput {
  dataset: string;
  /** The dataset's mu_Li record (see `MuLiLike`); null when unknown or mixed. */
  muLi: MuLiLike | null;
  /** The app's one-line statement of `muLi`. */
  muLiDescription?: string;
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
type ColumnDoc = ReturnType<typeof csvColumnsDoc>[number];

export interface JsonExport {
  schemaVersion: number;
  provenance: {
    app: 'epdi-lab';
    generatedAt: string;
    dataset: string;
    muLi: ExportMuLi | null;
    model: ModelProvenance | null;
    settings: Record<string, unknown>;
    files: FileHash[];
    notes: string[];
  };
  columns: {
    profiles: ColumnDoc[];
    barriers: ColumnDoc[];
    sites: ColumnDoc[];
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
      muLi: input.muLi ? exportMuLi(input.muLi, input.muLiDescription) : null,
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
