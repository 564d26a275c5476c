/**
 * Binary bodies of float arrays with a JSON header (the layout of lib/server/epdi-batch.ts):
 *   [uint32 LE header byte length][header JSON, UTF-8, space-padded to a multiple of 4][Float32 LE values]
 * Isomorphic: the server packs, the browser (and tests) parse.
 */
export function packFloat32Body(header: unknown, values: Float32Array): Uint8Array {
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 4) * 4;
  if (padded !== json.length) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(4 + json.length + values.length * 4);
  const view = new DataView(out.buffer);
  view.setUint32(0, json.length, true);
  out.set(json, 4);
  const base = 4 + json.length;
  for (let i = 0; i < values.length; i++) view.setFloat32(base + 4 * i, values[i], true);
  return out;
}

export class BinaryBodyError extends Error {
  readonly code = 'bad_binary_body';
  constructor(message: string) {
    super(message);
    this.name = 'BinaryBodyError';
  }
}

/** Parse a body made by `packFloat32Body`. The header is returned as parsed JSON (validate it at the call site). */
export function parseFloat32Body(bytes: Uint8Array): { header: unknown; values: Float32Array } {
  if (bytes.byteLength < 4) throw new BinaryBodyError('body shorter than its length prefix');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getUint32(0, true);
  if (4 + n > bytes.byteLength || (bytes.byteLength - 4 - n) % 4 !== 0)
    throw new BinaryBodyError('header length does not fit the body');
  const header: unknown = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + n)));
  const count = (bytes.byteLength - 4 - n) / 4;
  const values = new Float32Array(count);
  const base = 4 + n;
  for (let i = 0; i < count; i++) values[i] = view.getFloat32(base + 4 * i, true);
  return { header, values };
}
