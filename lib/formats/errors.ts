/**
 * Errors of the formats layer. Every reader throws a `FormatError` with a literal `code`, the file name it was given,
 * the 1-based line where the problem was found (when known) and what it expected there, so callers (route handlers,
 * CLI, jobs) can map it without parsing messages. `formatErrorMessage` renders one for people.
 */
export type FormatErrorCode =
  | 'unexpected_eof' // the input ended before the format was complete
  | 'bad_number' // a token that should be a number is not one (or is NaN/Inf, or VASP's ***** overflow)
  | 'bad_header' // a header line has the wrong shape
  | 'bad_value' // a well-formed value that is not allowed (unknown kind, negative count, ...)
  | 'too_large' // a grid or a decompressed stream beyond the configured limits or the bytes present
  | 'wrong_count' // more or fewer items than announced
  | 'missing_file' // a NEB folder or file that should be there is not
  | 'unsupported' // a valid variant of the format that we do not read
  | 'unknown_format'; // not a format we recognise

export interface FormatErrorInit {
  fileName?: string;
  /** 1-based line number in the (decompressed) text. */
  line?: number;
  /** What the reader expected, in words: "3 grid dimensions". */
  expected?: string;
  /** What it found instead (shortened). */
  got?: string;
}

export class FormatError extends Error {
  readonly code: FormatErrorCode;
  readonly fileName?: string;
  readonly line?: number;
  readonly expected?: string;
  readonly got?: string;
  constructor(code: FormatErrorCode, message: string, init: FormatErrorInit = {}) {
    super(message);
    this.name = 'FormatError';
    this.code = code;
    this.fileName = init.fileName;
    this.line = init.line;
    this.expected = init.expected;
    this.got = init.got;
  }
}

/** `x is FormatError` guard for `unknown` caught values. */
export function isFormatError(value: unknown): value is FormatError {
  return value instanceof FormatError;
}

/** Shorten a token for messages: at most 40 visible characters, control bytes escaped. */
export function shortToken(token: string): string {
  const clean = token.replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return clean.length > 40 ? `${clean.slice(0, 37)}...` : clean;
}

/**
 * One line for people: "LOCPOT line 12: expected 3 grid dimensions, got 'abc'".
 * Falls back to the message when the error carries no `expected`.
 */
export function formatErrorMessage(e: FormatError): string {
  const where = [e.fileName, e.line !== undefined ? `line ${e.line}` : undefined].filter(Boolean).join(' ');
  const what =
    e.expected !== undefined
      ? `expected ${e.expected}${e.got !== undefined ? `, got '${shortToken(e.got)}'` : ''}`
      : e.message;
  return where ? `${where}: ${what}` : what;
}
