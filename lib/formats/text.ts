/**
 * Byte/text helpers shared by the readers and writers: decoding, splitting into lines, a line chunker for streaming
 * scans of large text files (OUTCAR, vasprun.xml) that never holds more than one chunk plus one partial line, and its
 * opposite for writers (`joinLineChunks`).
 */
import { FormatError } from './errors';
import { gunzipCapped, isGzip, DEFAULT_MAX_DECOMPRESSED_BYTES } from './gzip';

const utf8 = new TextDecoder('utf-8');

/** Bytes or a string in; a string out (UTF-8; gzip input is inflated first, capped at `maxBytes`). */
export function toText(input: string | Uint8Array, opts: { fileName?: string; maxBytes?: number } = {}): string {
  if (typeof input === 'string') return input;
  const bytes = isGzip(input)
    ? gunzipCapped(input, opts.maxBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES, opts.fileName)
    : input;
  return utf8.decode(bytes);
}

/** Decode ASCII/latin1 bytes [s, e) (header lines of volumetric files). */
export function latin1(buf: Uint8Array, s: number, e: number): string {
  let out = '';
  for (let p = s; p < e; p += 4096) {
    out += String.fromCharCode(...buf.subarray(p, Math.min(e, p + 4096)));
  }
  return out;
}

/** Lines in, strings of about `linesPerChunk` LF-terminated lines out (a large grid file never becomes one string). */
export function* joinLineChunks(lines: Iterable<string>, linesPerChunk: number): Generator<string> {
  let buf: string[] = [];
  for (const line of lines) {
    buf.push(line);
    if (buf.length >= linesPerChunk) {
      yield `${buf.join('\n')}\n`;
      buf = [];
    }
  }
  if (buf.length) yield `${buf.join('\n')}\n`;
}

/** Split on LF, dropping a CR before it (CRLF files). */
export function splitLines(text: string): string[] {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l.endsWith('\r')) lines[i] = l.slice(0, -1);
  }
  return lines;
}

/** Whitespace tokens of a line (spaces, tabs, CR). */
export function tokens(line: string): string[] {
  const t = line.trim();
  return t === '' ? [] : t.split(/\s+/);
}

/**
 * Turns byte chunks into text made of whole lines: `push` returns the complete lines received so far (ending in
 * '\n'), `finish` the remainder. Decodes UTF-8 across chunk boundaries. `maxLine` bounds a line with no newline (binary
 * garbage) so memory stays bounded.
 */
export class LineChunker {
  private readonly decoder = new TextDecoder('utf-8');
  private rest = '';
  /** Lines completed so far (0-based count of '\n' seen before the current text). */
  linesBefore = 0;
  constructor(
    private readonly maxLine = 1 << 20,
    private readonly fileName?: string,
  ) {}

  push(chunk: Uint8Array): string {
    const text = this.rest + this.decoder.decode(chunk, { stream: true });
    const cut = text.lastIndexOf('\n');
    if (cut < 0) {
      this.rest = text;
      if (text.length > this.maxLine) {
        throw new FormatError('bad_header', 'line too long (binary data?)', {
          fileName: this.fileName,
          line: this.linesBefore + 1,
          expected: `a text line shorter than ${this.maxLine} characters`,
        });
      }
      return '';
    }
    this.rest = text.slice(cut + 1);
    return text.slice(0, cut + 1);
  }

  finish(): string {
    const text = this.rest + this.decoder.decode();
    this.rest = '';
    return text;
  }
}
