/**
 * Check a zip archive's central directory before inflating anything (issue 15): entry count, declared sizes, total,
 * compression ratio, and entry names (no absolute paths, no `..` segments, no NUL or backslash: zip-slip names would
 * otherwise be stored and served back by an export). Reads only the end-of-central-directory record and the central
 * directory; throws FormatError naming the entry.
 *
 * Layout (PKWARE APPNOTE 4.3): EOCD `50 4b 05 06` within the last 65,557 bytes: entries (u16 at +10), CD size (u32
 * at +12), CD offset (u32 at +16). Each CD header `50 4b 01 02`: compressed size u32 at +20, uncompressed u32 at +24,
 * name length u16 at +28, extra u16 at +30, comment u16 at +32, name at +46. ZIP64 archives (0xffff / 0xffffffff
 * markers) are refused: a model zip is far below 4 GiB.
 */
import { FormatError } from './errors';

export interface ZipLimits {
  /** Most entries (default 1,000). */
  maxEntries?: number;
  /** Most declared uncompressed bytes of one entry (default 512 MiB). */
  maxEntryBytes?: number;
  /** Most declared uncompressed bytes of all entries (default 1 GiB). */
  maxTotalBytes?: number;
  /** Most uncompressed bytes per compressed byte of an entry larger than 1 MiB (default 200). */
  maxRatio?: number;
}

export interface ZipEntryInfo {
  name: string;
  compressedBytes: number;
  uncompressedBytes: number;
}

const EOCD = 0x06054b50;
const CDH = 0x02014b50;

function fail(
  message: string,
  fileName: string | undefined,
  expected: string,
  got?: string,
  code: 'too_large' | 'bad_header' | 'unsupported' = 'bad_header',
): never {
  throw new FormatError(code, message, { fileName, expected, got });
}

/** Why an entry name is refused, or null when it is a plain relative path. */
export function unsafeZipName(name: string): string | null {
  if (name === '') return 'an empty name';
  if (name.includes('\0')) return 'a NUL byte';
  if (name.includes('\\')) return 'a backslash';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'an absolute path';
  if (name.split('/').some((s) => s === '..')) return 'a `..` segment';
  return null;
}

/** The entries of a zip, checked against `limits` (see the module comment); nothing is inflated. */
export function checkZip(bytes: Uint8Array, limits: ZipLimits = {}, fileName?: string): ZipEntryInfo[] {
  const maxEntries = limits.maxEntries ?? 1000;
  const maxEntryBytes = limits.maxEntryBytes ?? 512 * 1024 ** 2;
  const maxTotalBytes = limits.maxTotalBytes ?? 1024 ** 3;
  const maxRatio = limits.maxRatio ?? 200;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let p = bytes.length - 22; p >= Math.max(0, bytes.length - 22 - 65535); p--) {
    if (view.getUint32(p, true) === EOCD) {
      eocd = p;
      break;
    }
  }
  if (eocd < 0) fail('not a zip file (no end of central directory)', fileName, 'a zip archive');
  const count = view.getUint16(eocd + 10, true);
  const cdSize = view.getUint32(eocd + 12, true);
  const cdOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    fail(
      'ZIP64 archives are not accepted',
      fileName,
      'a zip below 4 GiB without ZIP64 records',
      undefined,
      'unsupported',
    );
  }
  if (count > maxEntries)
    fail(`the zip has ${count} entries`, fileName, `at most ${maxEntries} entries`, String(count), 'too_large');
  if (cdOffset + cdSize > eocd) fail('the central directory lies outside the file', fileName, 'a well-formed zip');
  const out: ZipEntryInfo[] = [];
  let total = 0;
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > eocd || view.getUint32(p, true) !== CDH)
      fail(`central directory entry ${i + 1} is damaged`, fileName, 'a well-formed zip');
    const compressedBytes = view.getUint32(p + 20, true);
    const uncompressedBytes = view.getUint32(p + 24, true);
    const nameLen = view.getUint16(p + 28, true);
    const next = p + 46 + nameLen + view.getUint16(p + 30, true) + view.getUint16(p + 32, true);
    if (next > eocd) fail(`central directory entry ${i + 1} is damaged`, fileName, 'a well-formed zip');
    const name = new TextDecoder().decode(bytes.subarray(p + 46, p + 46 + nameLen));
    const why = unsafeZipName(name);
    if (why)
      fail(
        `zip entry '${name.slice(0, 100)}' has ${why}`,
        fileName,
        'relative entry names without `..`',
        name.slice(0, 100),
      );
    if (uncompressedBytes > maxEntryBytes) {
      fail(
        `zip entry '${name}' inflates to ${uncompressedBytes} bytes`,
        fileName,
        `at most ${maxEntryBytes} bytes per entry`,
        String(uncompressedBytes),
        'too_large',
      );
    }
    if (uncompressedBytes > 1024 ** 2 && uncompressedBytes > maxRatio * Math.max(1, compressedBytes)) {
      fail(
        `zip entry '${name}' inflates ${Math.round(uncompressedBytes / Math.max(1, compressedBytes))}x`,
        fileName,
        `a compression ratio of at most ${maxRatio}`,
        `${compressedBytes} -> ${uncompressedBytes} bytes`,
        'too_large',
      );
    }
    total += uncompressedBytes;
    if (total > maxTotalBytes)
      fail(
        `the zip inflates to more than ${maxTotalBytes} bytes`,
        fileName,
        `at most ${maxTotalBytes} bytes in all`,
        undefined,
        'too_large',
      );
    out.push({ name, compressedBytes, uncompressedBytes });
    p = next;
  }
  return out;
}
