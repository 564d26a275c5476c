/**
 * The JSON sidecar of each CSV file (`<name>.json`, `csvSidecar`): the layout version, dataset, mu_Li record
 * (`exportMuLi`, shared with export.json), model, columns with units and descriptions, SHA-256 of the input files and
 * notes. The CSV files themselves are written by ./csv.ts.
 */
import { describeReference, type MuLiReference } from './binding';
import { csvColumnsDoc, type CsvFile } from './csv-columns';

/** Version of the CSV layout, in the sidecar's `format` (v1 had a `#` comment line before the header). */
export const CSV_LAYOUT_VERSION = 2;

export interface FileHash {
  /** Path as the user gave it (relative to the surface folder where possible). */
  path: string;
  sha256: string;
  bytes?: number;
}

/**
 * A dataset's mu_Li record as a caller has it: lib/pipeline's record `{kind, valueEv, source, note}` (value null
 * when unset) or a lib/profile `MuLiReference` `{kind, muLiEv, note?}`.
 */
export type MuLiLike =
  MuLiReference | { kind: string; valueEv: number | null; source?: string | null; note?: string | null };

/** The mu_Li record as the sidecars and export.json state it: reference kind, value (eV), where it came from. */
export interface ExportMuLi {
  kind: string;
  /** eV per Li atom; null when the record has no value. */
  muLiEv: number | null;
  /** Where the value came from (e.g. 'dataset', 'option', 'meta.json'); null when not recorded. */
  source: string | null;
  note: string | null;
  /** One line, as the rest of the app shows it. */
  description: string;
}

/** `MuLiLike` -> `ExportMuLi`; `description` is the app's one-line text when the caller has it. */
export function exportMuLi(muLi: MuLiLike, description?: string): ExportMuLi {
  if ('muLiEv' in muLi) {
    return {
      kind: muLi.kind,
      muLiEv: muLi.muLiEv,
      source: null,
      note: muLi.note ?? null,
      description: description ?? describeReference(muLi),
    };
  }
  const extra = [muLi.source, muLi.note].filter(Boolean).join('; ');
  const value = muLi.valueEv === null ? 'mu_Li not set' : `mu_Li = ${muLi.valueEv} eV`;
  return {
    kind: muLi.kind,
    muLiEv: muLi.valueEv,
    source: muLi.source ?? null,
    note: muLi.note ?? null,
    description: description ?? `${muLi.kind} (${value}${extra ? `; ${oneLine(extra)}` : ''})`,
  };
}

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}

/** Provenance of an export (the sidecar's and export.json's input). */
export interface CsvHeaderInfo {
  dataset: string;
  /** The dataset's mu_Li record; null or absent = unknown or mixed. */
  muLi?: MuLiLike | null;
  /** The app's one-line statement of `muLi` (else one is made up from the record). */
  muLiDescription?: string;
  modelId?: string | null;
  /** Extra provenance, e.g. "re-referenced from atom to bcc". */
  note?: string;
}

export interface CsvSidecarInfo extends CsvHeaderInfo {
  /** The model that made the predictions; wins over `modelId`. */
  model?: { id: string; name?: string | null } | null;
  /** SHA-256 of the input files. */
  files?: readonly FileHash[];
  notes?: readonly string[];
  /** ISO 8601 time stamp; pass one for reproducible output (tests), else now. */
  generatedAt?: string;
}

/** The JSON sidecar of one CSV file (`<name>.json`). */
export interface CsvSidecar {
  format: string;
  file: string;
  dataset: string;
  /** Null when the dataset has no mu_Li record. */
  muLi: ExportMuLi | null;
  model: { id: string; name: string | null } | null;
  /** How the file is written, for readers that want to be explicit. */
  csv: {
    encoding: 'utf-8';
    delimiter: ',';
    quoteChar: '"';
    lineTerminator: '\n';
    header: true;
    emptyCell: string;
    formulaPrefix: string;
  };
  columns: { name: string; unit: string | null; description: string }[];
  files: FileHash[];
  notes: string[];
  generatedAt: string;
}

function exportMuLiValue(muLi: MuLiLike): number | null {
  return 'muLiEv' in muLi ? muLi.muLiEv : muLi.valueEv;
}

/** `sites` -> `sites.json`. */
export function csvSidecarName(file: CsvFile): string {
  return `${file}.json`;
}

/** The JSON sidecar of `<file>.csv`: format, dataset, mu_Li record, model, columns with units, file hashes, notes. */
export function csvSidecar(file: CsvFile, info: CsvSidecarInfo): CsvSidecar {
  const model = info.model
    ? { id: info.model.id, name: info.model.name ?? null }
    : info.modelId
      ? { id: info.modelId, name: null }
      : null;
  const notes = [...(info.notes ?? [])];
  if (info.note) notes.push(info.note);
  if (!info.muLi || exportMuLiValue(info.muLi) === null) {
    notes.push('binding energies are on an unknown or mixed mu_Li reference');
  }
  return {
    format: `epdi-lab ${file}.csv v${CSV_LAYOUT_VERSION}`,
    file: `${file}.csv`,
    dataset: info.dataset,
    muLi: info.muLi ? exportMuLi(info.muLi, info.muLiDescription) : null,
    model,
    csv: {
      encoding: 'utf-8',
      delimiter: ',',
      quoteChar: '"',
      lineTerminator: '\n',
      header: true,
      emptyCell: 'not available',
      formulaPrefix: "'",
    },
    columns: csvColumnsDoc(file),
    files: (info.files ?? []).map((f) => ({ ...f })),
    notes: [...new Set(notes)],
    generatedAt: info.generatedAt ?? new Date().toISOString(),
  };
}
