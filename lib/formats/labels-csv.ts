/**
 * labels.csv of a surface folder: one row per computed Li position.
 *
 * Header (first non-comment line; column order free, names case-sensitive):
 *   site        free identifier of the site (text, required, unique)
 *   kind        T_M | H | H_X | T_X | bridge | other (required)
 *   x, y, z     Cartesian position of Li in Angstrom (required, finite)
 *   E_total_eV  total energy of slab + Li in eV (required column; a cell may be empty when E_b_eV is given)
 *   E_b_eV      binding energy in eV (optional column)
 *   method      free text, e.g. "relax", "neb", "gpaw-pbe" (optional)
 *   note        free text (optional)
 *   anything else is kept per row in `extra` (e.g. surface).
 * Every row needs E_total_eV or E_b_eV. RFC 4180 quoting ("a, b" and "" for a quote), CRLF or LF, blank lines and
 * lines starting with '#' skipped. Errors carry the 1-based line of the file.
 */
import { FormatError } from './errors';
import { parseFortranNumber } from './numbers';
import { toText } from './text';

export const SITE_KINDS = ['T_M', 'H', 'H_X', 'T_X', 'bridge', 'other'] as const;
export type SiteKind = (typeof SITE_KINDS)[number];

export function isSiteKind(value: unknown): value is SiteKind {
  return typeof value === 'string' && (SITE_KINDS as readonly string[]).includes(value);
}

export interface LabelRow {
  site: string;
  kind: SiteKind;
  /** Cartesian Angstrom. */
  x: number;
  y: number;
  z: number;
  totalEnergyEv?: number;
  bindingEnergyEv?: number;
  method?: string;
  note?: string;
  /** Other columns, by header name. */
  extra: Record<string, string>;
  /** 1-based line in the file. */
  line: number;
}

export const LABELS_REQUIRED_COLUMNS = ['site', 'kind', 'x', 'y', 'z', 'E_total_eV'] as const;
const KNOWN = new Set(['site', 'kind', 'x', 'y', 'z', 'E_total_eV', 'E_b_eV', 'method', 'note']);

/** Split CSV text into records of fields with the 1-based line each record starts on. */
export function csvRecords(text: string, fileName?: string): { fields: string[]; line: number }[] {
  const out: { fields: string[]; line: number }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let fieldStarted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
    } else if (c === ',') {
      fields.push(field);
      field = '';
      fieldStarted = false;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      fields.push(field);
      out.push({ fields, line: start });
      fields = [];
      field = '';
      fieldStarted = false;
      line++;
      start = line;
    } else {
      field += c;
      fieldStarted = true;
    }
  }
  if (quoted) {
    throw new FormatError('unexpected_eof', 'unterminated quoted field', { fileName, line: start, expected: 'a closing quote' });
  }
  if (field !== '' || fields.length) {
    fields.push(field);
    out.push({ fields, line: start });
  }
  return out;
}

function csvQuote(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Read labels.csv (bytes or text). */
export function parseLabelsCsv(input: Uint8Array | string, opts: { fileName?: string } = {}): LabelRow[] {
  const f = opts.fileName;
  const text = toText(input, { fileName: f }).replace(/^\uFEFF/, '');
  const records = csvRecords(text, f).filter((r) => !(r.fields.length === 1 && r.fields[0].trim() === '') && !r.fields[0].startsWith('#'));
  if (records.length === 0) {
    throw new FormatError('unexpected_eof', 'empty labels file', { fileName: f, line: 1, expected: `a header ${LABELS_REQUIRED_COLUMNS.join(',')}` });
  }
  const header = records[0].fields.map((h) => h.trim());
  const missing = LABELS_REQUIRED_COLUMNS.filter((c) => !header.includes(c));
  const dup = header.find((h, i) => header.indexOf(h) !== i);
  if (missing.length || dup !== undefined) {
    throw new FormatError('bad_header', missing.length ? `missing columns ${missing.join(', ')}` : `duplicate column ${dup}`, {
      fileName: f,
      line: records[0].line,
      expected: `a header with ${LABELS_REQUIRED_COLUMNS.join(',')} (optional E_b_eV,method,note; each column once)`,
      got: header.join(','),
    });
  }
  const col = (name: string): number => header.indexOf(name);
  const rows: LabelRow[] = [];
  const seen = new Map<string, number>();
  for (const r of records.slice(1)) {
    const line = r.line;
    if (r.fields.length !== header.length) {
      throw new FormatError('wrong_count', `row has ${r.fields.length} fields`, { fileName: f, line, expected: `${header.length} fields`, got: r.fields.join(',') });
    }
    const get = (name: string): string | undefined => (col(name) >= 0 ? r.fields[col(name)].trim() : undefined);
    const number = (name: string, required: boolean): number | undefined => {
      const s = get(name);
      if (s === undefined || s === '') {
        if (required) throw new FormatError('bad_number', `empty ${name}`, { fileName: f, line, expected: `a number in ${name}`, got: '' });
        return undefined;
      }
      const v = parseFortranNumber(s);
      if (Number.isNaN(v)) throw new FormatError('bad_number', `bad ${name}`, { fileName: f, line, expected: `a finite number in ${name}`, got: s });
      return v;
    };
    const site = get('site')!;
    if (site === '') throw new FormatError('bad_value', 'empty site id', { fileName: f, line, expected: 'a site identifier' });
    if (seen.has(site)) {
      throw new FormatError('bad_value', `duplicate site '${site}'`, { fileName: f, line, expected: `a site id not used before (line ${seen.get(site)})`, got: site });
    }
    seen.set(site, line);
    const kind = get('kind')!;
    if (!isSiteKind(kind)) throw new FormatError('bad_value', `unknown kind '${kind}'`, { fileName: f, line, expected: `one of ${SITE_KINDS.join('|')}`, got: kind });
    const totalEnergyEv = number('E_total_eV', false);
    const bindingEnergyEv = number('E_b_eV', false);
    if (totalEnergyEv === undefined && bindingEnergyEv === undefined) {
      throw new FormatError('bad_value', 'no energy', { fileName: f, line, expected: 'E_total_eV or E_b_eV' });
    }
    const extra: Record<string, string> = {};
    header.forEach((h, k) => {
      if (!KNOWN.has(h)) extra[h] = r.fields[k];
    });
    const row: LabelRow = { site, kind, x: number('x', true)!, y: number('y', true)!, z: number('z', true)!, extra, line };
    if (totalEnergyEv !== undefined) row.totalEnergyEv = totalEnergyEv;
    if (bindingEnergyEv !== undefined) row.bindingEnergyEv = bindingEnergyEv;
    const method = get('method');
    const note = get('note');
    if (method) row.method = method;
    if (note) row.note = note;
    rows.push(row);
  }
  return rows;
}

/** Write labels.csv: the required columns, E_b_eV/method/note, then extra columns in first-seen order. */
export function writeLabelsCsv(rows: Omit<LabelRow, 'line'>[]): string {
  const extras: string[] = [];
  for (const r of rows) for (const k of Object.keys(r.extra)) if (!extras.includes(k)) extras.push(k);
  const head = [...LABELS_REQUIRED_COLUMNS, 'E_b_eV', 'method', 'note', ...extras];
  const lines = [head.join(',')];
  for (const r of rows) {
    const n = (v: number | undefined): string => (v === undefined ? '' : String(v));
    lines.push(
      [r.site, r.kind, String(r.x), String(r.y), String(r.z), n(r.totalEnergyEv), n(r.bindingEnergyEv), r.method ?? '', r.note ?? '', ...extras.map((k) => r.extra[k] ?? '')]
        .map(csvQuote)
        .join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}
