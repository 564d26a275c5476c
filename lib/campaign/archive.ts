/**
 * Results archives: collect.sh's tar (after gunzip) and the app's zip (fflate). Pure: bytes in, path -> bytes out,
 * paths '/'-separated without a leading './'. Only regular files are kept; '..' and absolute paths are refused.
 */
import { unzipSync } from 'fflate';

function cleanPath(raw: string): string | null {
  const parts = raw
    .replace(/\\/g, '/')
    .split('/')
    .filter((p) => p !== '' && p !== '.');
  if (parts.length === 0 || parts.some((p) => p === '..')) return null;
  return parts.join('/');
}

function field(block: Uint8Array, start: number, length: number): string {
  let end = start;
  while (end < start + length && block[end] !== 0) end++;
  return new TextDecoder().decode(block.subarray(start, end));
}

/** Files of a POSIX/GNU tar (ustar names with prefix, GNU long names 'L', pax headers skipped). */
export function untar(bytes: Uint8Array): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  let offset = 0;
  let longName: string | null = null;
  while (offset + 512 <= bytes.length) {
    const header = bytes.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const size = parseInt(field(header, 124, 12).trim() || '0', 8);
    if (!Number.isFinite(size) || size < 0) throw new Error(`tar: bad size at byte ${offset}`);
    const type = String.fromCharCode(header[156] || 48);
    const magic = field(header, 257, 6);
    const prefix = magic.startsWith('ustar') ? field(header, 345, 155) : '';
    const body = bytes.subarray(offset + 512, offset + 512 + size);
    if (body.length < size) throw new Error('tar: archive cut off');
    if (type === 'L') longName = field(body, 0, size);
    else {
      const name = longName ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100));
      longName = null;
      const p = cleanPath(name);
      if ((type === '0' || type === '7') && p !== null) out.set(p, body.slice());
    }
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

/** Files of a zip. */
export function unzip(bytes: Uint8Array): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const [name, data] of Object.entries(unzipSync(bytes))) {
    const p = cleanPath(name);
    if (p !== null && !name.endsWith('/')) out.set(p, data);
  }
  return out;
}

/**
 * The files relative to the campaign folder: the folder holding manifest.json (an archive may wrap everything in one
 * top folder). Throws when there is no manifest.json, or more than one.
 */
export function campaignRoot(files: ReadonlyMap<string, Uint8Array>): Map<string, Uint8Array> {
  const manifests = [...files.keys()].filter((p) => p === 'manifest.json' || p.endsWith('/manifest.json'));
  if (manifests.length === 0) throw new Error('no manifest.json: not a campaign folder or results archive');
  const top = manifests.sort((a, b) => a.length - b.length)[0];
  if (manifests.some((m) => m !== top && m.length === top.length))
    throw new Error('more than one manifest.json at the same depth');
  const prefix = top.slice(0, -'manifest.json'.length);
  const out = new Map<string, Uint8Array>();
  for (const [p, b] of files) if (p.startsWith(prefix)) out.set(p.slice(prefix.length), b);
  return out;
}
