/**
 * Recognise a file's format from its name AND its first bytes (pass at least the first 4 KiB; more helps POSCARs with
 * many atoms). Gzip input is detected by magic and its head inflated for the content test.
 * Content wins when it is decisive; the name decides between look-alikes (POSCAR vs a volumetric head cut short).
 */
import { Gunzip } from 'fflate';
import { isGzip } from './gzip';
import { parseFortranNumber, parseIntToken } from './numbers';
import { parsePoscarLines, poscarLineCount } from './poscar';
import { splitLines, tokens } from './text';
import { volumetricKindFromName } from './volumetric';

export type SniffedFormat =
  | 'poscar'
  | 'volumetric'
  | 'outcar'
  | 'vasprun'
  | 'cube'
  | 'labels-csv'
  | 'neb-energy'
  | 'meta-json'
  | 'unknown';

export interface SniffResult {
  format: SniffedFormat;
  gzip: boolean;
  /** What decided: content, name, or both agreeing. */
  by: 'content' | 'name' | 'both' | 'none';
}

function inflateHead(head: Uint8Array, max = 1 << 16): Uint8Array {
  const parts: Uint8Array[] = [];
  let n = 0;
  try {
    const g = new Gunzip((c) => {
      if (n < max) {
        parts.push(c);
        n += c.length;
      }
    });
    for (let p = 0; p < head.length && n < max; p += 1024) g.push(head.subarray(p, Math.min(head.length, p + 1024)));
  } catch {
    /* a cut or corrupt stream: use what came out */
  }
  const out = new Uint8Array(Math.min(n, max));
  let o = 0;
  for (const c of parts) {
    const take = Math.min(c.length, out.length - o);
    out.set(c.subarray(0, take), o);
    o += take;
    if (o >= out.length) break;
  }
  return out;
}

function byName(name: string): SniffedFormat {
  const base = (name.split(/[\\/]/).pop() ?? '').replace(/\.gz$/i, '');
  const upper = base.toUpperCase();
  if (/^(POSCAR|CONTCAR)/.test(upper) || /\.(vasp|poscar)$/i.test(base)) return 'poscar';
  if (volumetricKindFromName(base) !== 'unknown') return 'volumetric';
  if (upper.startsWith('OUTCAR')) return 'outcar';
  if (/vasprun.*\.xml$/i.test(base)) return 'vasprun';
  if (/\.(cube|cub)$/i.test(base)) return 'cube';
  if (/labels.*\.csv$/i.test(base)) return 'labels-csv';
  if (base === 'energy') return 'neb-energy';
  if (/^meta\.json$/i.test(base)) return 'meta-json';
  return 'unknown';
}

function isCubeHead(lines: string[]): boolean {
  if (lines.length < 6) return false;
  const rows = lines.slice(2, 6).map(tokens);
  return rows.every(
    (t) => t.length >= 4 && !Number.isNaN(parseIntToken(t[0])) && t.slice(1, 4).every((x) => !Number.isNaN(parseFortranNumber(x))),
  );
}

/** 'volumetric' when a full POSCAR header is followed by a dims line, 'poscar' when it parses, else undefined. */
function poscarOrVolumetric(lines: string[]): SniffedFormat | undefined {
  try {
    const n = poscarLineCount(lines);
    if (n === undefined || lines.length < n) return undefined;
    const r = parsePoscarLines(lines, 0);
    let i = r.nextLine;
    while (i < lines.length && lines[i].trim() === '') i++;
    if (i < lines.length) {
      const t = tokens(lines[i]);
      const isDims = t.length === 3 && t.every((x) => /^\d+$/.test(x));
      if (isDims && i + 1 < lines.length) return 'volumetric';
      if (isDims && i === lines.length - 1) return undefined; // cut at the dims line: let the name decide
    }
    return 'poscar';
  } catch {
    return undefined;
  }
}

function byContent(head: Uint8Array, cut: boolean): SniffedFormat | undefined {
  if (head.length === 0) return undefined;
  let bin = 0;
  const sample = Math.min(head.length, 4096);
  for (let i = 0; i < sample; i++) {
    const c = head[i];
    if (c === 0 || (c < 32 && c !== 9 && c !== 10 && c !== 13)) bin++;
  }
  if (bin > 0) return 'unknown';
  const text = new TextDecoder('utf-8').decode(head);
  const trimmed = text.trimStart();
  if (trimmed.startsWith('<?xml') || trimmed.startsWith('<modeling')) return text.includes('<modeling') ? 'vasprun' : undefined;
  if (trimmed.startsWith('{')) return 'meta-json';
  if (/^\s*vasp\.\d/.test(text) || /running on\s+\d+\s+total cores/.test(text) || /POSCAR\s*=/.test(text.slice(0, 4096))) {
    return 'outcar';
  }
  let lines = splitLines(text);
  if (cut && lines.length > 1) lines = lines.slice(0, -1); // the last line may be cut
  const first = lines[0]?.replace(/^\uFEFF/, '') ?? '';
  if (/^\s*"?site"?\s*,/.test(first) && /(^|,)\s*"?kind"?\s*(,|$)/.test(first)) return 'labels-csv';
  const nonEmpty = text.trim().split(/\s+/);
  if (nonEmpty.length === 1 && !Number.isNaN(parseFortranNumber(nonEmpty[0]))) return 'neb-energy';
  const pv = poscarOrVolumetric(lines);
  if (pv) return pv;
  if (isCubeHead(lines)) return 'cube';
  return undefined;
}

/**
 * Sniff `name` + `head` (the first bytes of the file). `complete` says whether `head` is the whole file
 * (default: true when shorter than 64 KiB).
 */
export function sniffFormat(name: string, head: Uint8Array, complete = head.length < 1 << 16): SniffResult {
  const gzip = isGzip(head);
  const content = byContent(gzip ? inflateHead(head) : head, gzip || !complete);
  const named = byName(name);
  if (content && content !== 'unknown') {
    // A cube head also parses as numbers; a POSCAR-like head named .cube is a cube.
    if (named === 'cube' && (content === 'poscar' || content === 'volumetric')) return { format: 'cube', gzip, by: 'name' };
    return { format: content, gzip, by: content === named ? 'both' : 'content' };
  }
  if (content === 'unknown') return { format: 'unknown', gzip, by: 'content' };
  return named === 'unknown' ? { format: 'unknown', gzip, by: 'none' } : { format: named, gzip, by: 'name' };
}
