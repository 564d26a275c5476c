/**
 * Add one entry to a zip archive without touching the others: their local headers and compressed bytes are copied
 * as they are, the new entry goes where the central directory was, and the central directory (old records + one)
 * and the end record follow. Adding training-sites.csv to a model zip so costs a copy, not re-deflating megabytes
 * of weights (fflate's unzip + zip: ~8 s for 32 MB of float32 weights on a loaded 2-core machine).
 *
 * Layout (PKWARE APPNOTE 4.3): local header `50 4b 03 04` (30 bytes + name), central directory header `50 4b 01 02`
 * (46 bytes + name + extra + comment), end record `50 4b 05 06` (22 bytes + comment). The new entry is deflated
 * (stored when that is not smaller), UTF-8 flagged when its name is not ASCII, dated like the archive's last entry
 * (so the same archive and entry always give the same bytes). Archives with ZIP64 records, or with anything
 * between the central directory and the end record, are refused (FormatError 'unsupported').
 */
import { deflateSync, strToU8 } from 'fflate';
import { FormatError } from './errors';

const LOCAL = 0x04034b50;
const CDH = 0x02014b50;
const EOCD = 0x06054b50;

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE 802.3, as zip uses it). */
export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function fail(message: string, code: 'bad_header' | 'unsupported' = 'bad_header'): never {
  throw new FormatError(code, message, { expected: 'a zip archive without ZIP64 records' });
}

/** The zip with `name` added holding `data`; throws FormatError when the archive has an entry of that name. */
export function appendZipEntry(zip: Uint8Array, name: string, data: Uint8Array): Uint8Array {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let eocd = -1;
  for (let p = zip.length - 22; p >= Math.max(0, zip.length - 22 - 65535); p--) {
    if (view.getUint32(p, true) === EOCD) {
      eocd = p;
      break;
    }
  }
  if (eocd < 0) fail('not a zip file (no end of central directory)');
  const count = view.getUint16(eocd + 10, true);
  const cdSize = view.getUint32(eocd + 12, true);
  const cdOffset = view.getUint32(eocd + 16, true);
  if (count >= 0xfffe || cdSize === 0xffffffff || cdOffset === 0xffffffff) fail('ZIP64 archives are not supported', 'unsupported');
  if (cdOffset + cdSize !== eocd) fail('the central directory does not end at the end record', 'unsupported');
  const nameBytes = strToU8(name);
  // Walk the central directory: refuse a duplicate name, take the last entry's DOS time and date.
  let time = 0;
  let date = 0x21; // 1980-01-01, for an empty archive
  for (let p = cdOffset, i = 0; i < count; i++) {
    if (p + 46 > eocd || view.getUint32(p, true) !== CDH) fail(`central directory record ${i + 1} is damaged`);
    const n = view.getUint16(p + 28, true);
    const stored = zip.subarray(p + 46, p + 46 + n);
    if (n === nameBytes.length && stored.every((b, k) => b === nameBytes[k])) {
      throw new FormatError('bad_header', `the zip already has an entry '${name}'`, { expected: 'a new entry name' });
    }
    time = view.getUint16(p + 12, true);
    date = view.getUint16(p + 14, true);
    p += 46 + n + view.getUint16(p + 30, true) + view.getUint16(p + 32, true);
  }
  const deflated = deflateSync(data, { level: 6 });
  const method = deflated.length < data.length ? 8 : 0;
  const body = method === 8 ? deflated : data;
  const crc = crc32(data);
  const flags = nameBytes.some((b) => b >= 0x80) ? 0x0800 : 0;

  const localSize = 30 + nameBytes.length + body.length;
  const cdhSize = 46 + nameBytes.length;
  const tail = zip.length - eocd; // end record + comment
  const out = new Uint8Array(cdOffset + localSize + cdSize + cdhSize + tail);
  const o = new DataView(out.buffer);
  out.set(zip.subarray(0, cdOffset), 0);
  // Local header of the new entry.
  let p = cdOffset;
  o.setUint32(p, LOCAL, true);
  o.setUint16(p + 4, 20, true); // version needed: 2.0 (deflate)
  o.setUint16(p + 6, flags, true);
  o.setUint16(p + 8, method, true);
  o.setUint16(p + 10, time, true);
  o.setUint16(p + 12, date, true);
  o.setUint32(p + 14, crc, true);
  o.setUint32(p + 18, body.length, true);
  o.setUint32(p + 22, data.length, true);
  o.setUint16(p + 26, nameBytes.length, true);
  o.setUint16(p + 28, 0, true);
  out.set(nameBytes, p + 30);
  out.set(body, p + 30 + nameBytes.length);
  // The old central directory, then the new entry's record.
  const newCdOffset = cdOffset + localSize;
  out.set(zip.subarray(cdOffset, eocd), newCdOffset);
  p = newCdOffset + cdSize;
  o.setUint32(p, CDH, true);
  o.setUint16(p + 4, 20, true); // version made by: 2.0, MS-DOS attributes
  o.setUint16(p + 6, 20, true);
  o.setUint16(p + 8, flags, true);
  o.setUint16(p + 10, method, true);
  o.setUint16(p + 12, time, true);
  o.setUint16(p + 14, date, true);
  o.setUint32(p + 16, crc, true);
  o.setUint32(p + 20, body.length, true);
  o.setUint32(p + 24, data.length, true);
  o.setUint16(p + 28, nameBytes.length, true);
  // extra, comment, disk number, internal and external attributes: 0
  o.setUint32(p + 42, cdOffset, true);
  out.set(nameBytes, p + 46);
  // The end record with the new counts, sizes and offset; its comment kept.
  p += cdhSize;
  out.set(zip.subarray(eocd), p);
  o.setUint16(p + 8, count + 1, true);
  o.setUint16(p + 10, count + 1, true);
  o.setUint32(p + 12, cdSize + cdhSize, true);
  o.setUint32(p + 16, newCdOffset, true);
  return out;
}
