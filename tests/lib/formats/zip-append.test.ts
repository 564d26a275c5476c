import { execFileSync } from 'node:child_process';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { isFormatError } from '@/lib/formats/errors';
import { appendZipEntry, crc32 } from '@/lib/formats/zip-append';
import { checkZip } from '@/lib/formats/zip-limits';

/** Python's zipfile reads the archive: names, CRC check of every entry (testzip), each entry's text or length. */
function pythonRead(zip: Uint8Array): { names: string[]; bad: string | null; texts: Record<string, string | number> } {
  const script = String.raw`
import io, json, sys, zipfile
z = zipfile.ZipFile(io.BytesIO(sys.stdin.buffer.read()))
texts = {}
for n in z.namelist():
    b = z.read(n)
    texts[n] = b.decode('utf-8') if n.endswith(('.csv', '.json')) else len(b)
print(json.dumps({'names': z.namelist(), 'bad': z.testzip(), 'texts': texts}))
`;
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', script], { input: zip, encoding: 'utf8' }));
}

describe('appendZipEntry', () => {
  // Compressible and incompressible entries, a comment on the archive.
  const weights = new Uint8Array(200_000);
  for (let i = 0, s = 7; i < weights.length; i++) weights[i] = (s = (s * 1103515245 + 12345) >>> 0) >>> 24;
  const base = zipSync(
    { 'meta.json': strToU8('{"format":"epdi-model","name":"m"}'), 'tfjs/weights.bin': weights },
    { level: 6 },
  );

  it('gives CRC-32 check values of the standard (IEEE, "123456789" -> cbf43926)', () => {
    expect(crc32(strToU8('123456789')).toString(16)).toBe('cbf43926');
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it("adds a deflated text entry that Python's zipfile reads with valid CRCs, keeping the other entries' bytes", () => {
    const csv = 'surface,site\n' + 'MoS2-V,"Li ""top"", 1"\n'.repeat(50);
    const out = appendZipEntry(base, 'training-sites.csv', strToU8(csv));
    // Everything before the old central directory is copied.
    const cdOffset = new DataView(base.buffer, base.byteOffset).getUint32(base.length - 22 + 16, true);
    expect(out.subarray(0, cdOffset)).toEqual(base.subarray(0, cdOffset));
    const py = pythonRead(out);
    expect(py.names).toEqual(['meta.json', 'tfjs/weights.bin', 'training-sites.csv']);
    expect(py.bad).toBeNull();
    expect(py.texts).toEqual({ 'meta.json': '{"format":"epdi-model","name":"m"}', 'tfjs/weights.bin': 200_000, 'training-sites.csv': csv });
    expect(strFromU8(unzipSync(out)['training-sites.csv'])).toBe(csv);
    expect(checkZip(out).map((e) => [e.name, e.uncompressedBytes])).toEqual([
      ['meta.json', 34],
      ['tfjs/weights.bin', 200_000],
      ['training-sites.csv', csv.length],
    ]);
    // Deterministic: the same archive and entry give the same bytes.
    expect(appendZipEntry(base, 'training-sites.csv', strToU8(csv))).toEqual(out);
  });

  it('stores an entry that deflate would not shrink, and flags a non-ASCII name as UTF-8', () => {
    const out = appendZipEntry(base, 'sites/Li é.bin', weights.subarray(0, 1000));
    const py = pythonRead(out);
    expect(py.bad).toBeNull();
    expect(py.names).toContain('sites/Li é.bin');
    expect(py.texts['sites/Li é.bin']).toBe(1000);
  });

  it('adds to an empty archive, and to one with a comment', () => {
    const empty = zipSync({});
    expect(pythonRead(appendZipEntry(empty, 'a.csv', strToU8('x\n')))).toEqual({ names: ['a.csv'], bad: null, texts: { 'a.csv': 'x\n' } });
    const commented = new Uint8Array(base.length + 5);
    commented.set(base);
    commented.set(strToU8('hello'), base.length);
    new DataView(commented.buffer).setUint16(base.length - 22 + 20, 5, true);
    const py = pythonRead(appendZipEntry(commented, 'b.csv', strToU8('y\n')));
    expect(py.bad).toBeNull();
    expect(py.texts['b.csv']).toBe('y\n');
  });

  it('refuses a name already there and a file that is not a zip (FormatError)', () => {
    const dup = (() => {
      try {
        appendZipEntry(base, 'meta.json', strToU8('{}'));
      } catch (e) {
        return e;
      }
    })();
    expect(isFormatError(dup) && dup.message).toMatch(/already has an entry 'meta.json'/);
    expect(() => appendZipEntry(strToU8('not a zip at all, just some text'), 'a', strToU8('x'))).toThrow(/not a zip file/);
  });
});
