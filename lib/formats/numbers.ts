/**
 * Number reading for Fortran-written text: a strict token parser for headers and a fast byte-level scanner that fills a
 * preallocated Float32Array from chunks of a volumetric data block (the hot loop of every LOCPOT/CHGCAR/cube read).
 *
 * Accepted forms: 1.234E+00, 0.1234E-01, -.76E+01, 1.234e-5, 1.234D+00 (Fortran double), 1.234-100 and 1.234+100
 * (Fortran drops the E when the exponent needs three digits), integers, any amount of spaces/tabs/CR/LF between values.
 * Refused: VASP's ***** field overflow, NaN/Infinity, values outside the float32 range, tokens over 64 characters.
 */
import { FormatError } from './errors';

const FORTRAN_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eEdD][+-]?\d+|[+-]\d+)?$/;

/**
 * Parse one Fortran/VASP number token strictly (double precision, correctly rounded). Returns NaN when the token is
 * not a finite number in one of the accepted forms.
 */
export function parseFortranNumber(token: string): number {
  if (!FORTRAN_NUMBER.test(token)) return NaN;
  let t = token.replace(/[dD]/, 'e');
  // Fortran's 1.234-100: the exponent sign follows the mantissa directly.
  if (!/[eE]/.test(t)) t = t.replace(/([0-9.])([+-]\d+)$/, '$1e$2');
  const v = Number(t);
  return Number.isFinite(v) ? v : NaN;
}

/** Strict integer token (optional sign, digits only). Returns NaN otherwise. */
export function parseIntToken(token: string): number {
  return /^[+-]?\d+$/.test(token) ? Number(token) : NaN;
}

/** Why a token is not a number, for error messages. */
export function describeBadNumber(token: string): string {
  if (token.startsWith('*')) return 'VASP wrote ***** (the value overflowed its Fortran field)';
  if (/nan|inf/i.test(token)) return 'non-finite value';
  if (token.length > 64) return 'token longer than 64 characters';
  return 'not a number';
}

/** Largest double that rounds to a finite float32. */
const FLOAT32_LIMIT = 3.4028235677973366e38;
const MAX_TOKEN = 64;

/** Exact powers of ten 10^0..10^22 (every one is a double exactly). */
const POW10 = new Float64Array(23);
for (let i = 0, p = 1; i < 23; i++, p *= 10) POW10[i] = p;

/**
 * Parse bytes [start, end) as one number (ASCII). Returns NaN when the bytes are not exactly one number token.
 * Precision: mantissa digits accumulate in a double and are scaled by an exact power of ten (one rounding for up to 15
 * significant digits and |exponent| <= 22), then stored as float32: within 1 float32 ulp of the true value.
 */
export function parseNumberBytes(buf: Uint8Array, start: number, end: number): number {
  let p = start;
  let c = buf[p];
  let neg = false;
  if (c === 45 /* - */) {
    neg = true;
    p++;
  } else if (c === 43 /* + */) p++;
  let mant = 0;
  let digits = 0;
  let frac = 0;
  let d: number;
  while (p < end && (d = buf[p] - 48) >= 0 && d <= 9) {
    mant = mant * 10 + d;
    digits++;
    p++;
  }
  if (p < end && buf[p] === 46 /* . */) {
    p++;
    while (p < end && (d = buf[p] - 48) >= 0 && d <= 9) {
      mant = mant * 10 + d;
      digits++;
      frac++;
      p++;
    }
  }
  if (digits === 0) return NaN;
  let exp = 0;
  if (p < end) {
    c = buf[p];
    let hasExp = false;
    if (c === 69 || c === 101 || c === 68 || c === 100 /* E e D d */) {
      p++;
      hasExp = true;
      c = buf[p];
    } else if (c !== 43 && c !== 45) return NaN;
    let eneg = false;
    if (c === 45) {
      eneg = true;
      p++;
    } else if (c === 43) p++;
    else if (!hasExp) return NaN;
    let edigits = 0;
    while (p < end && (d = buf[p] - 48) >= 0 && d <= 9) {
      if (exp < 100000) exp = exp * 10 + d;
      edigits++;
      p++;
    }
    if (edigits === 0 || p !== end) return NaN;
    if (eneg) exp = -exp;
  }
  let v: number;
  if (mant === 0) v = 0;
  else {
    const e10 = exp - frac;
    if (e10 === 0) v = mant;
    else if (e10 > 0) v = e10 <= 22 ? mant * POW10[e10] : mant * Math.pow(10, e10);
    else if (e10 >= -22) v = mant / POW10[-e10];
    else v = e10 < -400 ? 0 : (mant / 1e22) * Math.pow(10, e10 + 22);
  }
  return neg ? -v : v;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9 || c === 11 || c === 12;
}

/**
 * Streaming float scanner: feed byte chunks, it writes numbers into `target` from `count` on, tracking the line.
 * A token cut by a chunk boundary is carried (at most 64 bytes) into the next `feed`. Whitespace: space, tab, CR, LF,
 * VT, FF. Allocation-free in the loop.
 */
export class FloatScanner {
  target: Float32Array;
  count = 0;
  /** 1-based line of the next unread byte. */
  line: number;
  fileName?: string;
  private readonly carry = new Uint8Array(MAX_TOKEN + 1);
  private carryLen = 0;

  constructor(target: Float32Array, line: number, fileName?: string) {
    this.target = target;
    this.line = line;
    this.fileName = fileName;
  }

  get full(): boolean {
    return this.count >= this.target.length;
  }

  /** True while a token cut at a chunk end waits for its remaining bytes. */
  get pending(): boolean {
    return this.carryLen > 0;
  }

  /**
   * Consume bytes buf[start, end). Stops right after the last number the target needs, or at `end`. `last` means no
   * more bytes will come (a token touching `end` is complete). Returns the offset where it stopped.
   */
  feed(buf: Uint8Array, start: number, end: number, last: boolean): number {
    let p = start;
    if (this.carryLen > 0) {
      // Complete the token cut by the previous chunk boundary.
      let q = p;
      while (q < end && !isSpace(buf[q])) q++;
      const len = this.carryLen + (q - p);
      if (len > MAX_TOKEN) this.fail(this.carryToken(buf, p, Math.min(q, p + MAX_TOKEN)));
      this.carry.set(buf.subarray(p, q), this.carryLen);
      this.carryLen = len;
      p = q;
      if (q === end && !last) return end;
      this.store(this.carry, 0, len);
      this.carryLen = 0;
    }
    const target = this.target;
    const n = target.length;
    let count = this.count;
    let line = this.line;
    // Single pass per value: skip whitespace, then parse sign, digits, fraction and exponent in place; the byte after
    // the number must be whitespace (or the chunk end). Anything else re-scans the token for the error message.
    while (count < n) {
      let c = 0;
      while (p < end) {
        c = buf[p];
        if (c === 10) line++;
        else if (c !== 32 && c !== 13 && c !== 9 && c !== 11 && c !== 12) break;
        p++;
      }
      if (p >= end) break;
      const s = p;
      let neg = false;
      if (c === 45) {
        neg = true;
        p++;
      } else if (c === 43) p++;
      let mant = 0;
      let digits = 0;
      let frac = 0;
      let d = 0;
      while (p < end && (d = buf[p] - 48) >= 0 && d <= 9) {
        mant = mant * 10 + d;
        digits++;
        p++;
      }
      if (p < end && buf[p] === 46) {
        p++;
        while (p < end && (d = buf[p] - 48) >= 0 && d <= 9) {
          mant = mant * 10 + d;
          digits++;
          frac++;
          p++;
        }
      }
      let exp = 0;
      let ok = digits > 0;
      if (ok && p < end) {
        c = buf[p];
        if (c === 69 || c === 101 || c === 68 || c === 100 || c === 43 || c === 45) {
          // E/e/D/d exponent, or Fortran's 1.234-100 where the E is dropped
          if (c !== 43 && c !== 45) p++;
          let eneg = false;
          if (p < end && buf[p] === 45) {
            eneg = true;
            p++;
          } else if (p < end && buf[p] === 43) p++;
          let edigits = 0;
          while (p < end && (d = buf[p] - 48) >= 0 && d <= 9) {
            if (exp < 100000) exp = exp * 10 + d;
            edigits++;
            p++;
          }
          ok = edigits > 0;
          if (eneg) exp = -exp;
        }
      }
      if (p === end && !last) {
        // The chunk may have cut this token: carry it into the next feed.
        if (p - s > MAX_TOKEN) {
          this.line = line;
          this.count = count;
          this.fail(tokenString(buf, s, p));
        }
        this.carry.set(buf.subarray(s, p), 0);
        this.carryLen = p - s;
        break;
      }
      if (!ok || (p < end && !isSpace(buf[p])) || p - s > MAX_TOKEN) {
        while (p < end && !isSpace(buf[p])) p++;
        this.line = line;
        this.count = count;
        this.fail(tokenString(buf, s, p));
      }
      let v: number;
      if (mant === 0) v = 0;
      else {
        const e10 = exp - frac;
        if (e10 === 0) v = mant;
        else if (e10 > 0) v = e10 <= 22 ? mant * POW10[e10] : mant * Math.pow(10, e10);
        else if (e10 >= -22) v = mant / POW10[-e10];
        else v = e10 < -400 ? 0 : (mant / 1e22) * Math.pow(10, e10 + 22);
      }
      if (neg) v = -v;
      if (v >= FLOAT32_LIMIT || v <= -FLOAT32_LIMIT) {
        this.line = line;
        this.count = count;
        this.fail(tokenString(buf, s, p));
      }
      target[count++] = v;
    }
    this.count = count;
    this.line = line;
    return p;
  }

  private store(buf: Uint8Array, s: number, e: number): void {
    const v = parseNumberBytes(buf, s, e);
    if (v !== v || v >= FLOAT32_LIMIT || v <= -FLOAT32_LIMIT) this.fail(tokenString(buf, s, e));
    this.target[this.count++] = v;
  }

  private carryToken(buf: Uint8Array, s: number, e: number): string {
    return tokenString(this.carry, 0, this.carryLen) + tokenString(buf, s, e);
  }

  private fail(token: string): never {
    const why = describeBadNumber(token);
    const reason =
      why === 'not a number' && /^[+-]?[\d.]+[eEdD]?[+-]?\d+$/.test(token) && Math.abs(parseFortranNumber(token)) > 0
        ? 'value outside the float32 range'
        : why;
    throw new FormatError('bad_number', `${reason}: '${token.slice(0, 40)}'`, {
      fileName: this.fileName,
      line: this.line,
      expected: `a number (value ${this.count + 1} of ${this.target.length}; ${reason})`,
      got: token,
    });
  }
}

function tokenString(buf: Uint8Array, s: number, e: number): string {
  return String.fromCharCode(...buf.subarray(s, Math.min(e, s + MAX_TOKEN + 1)));
}
