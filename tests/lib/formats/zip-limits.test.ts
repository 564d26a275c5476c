import { describe, expect, test } from 'vitest';
import { strToU8, zipSync } from 'fflate';
import { checkZip, unsafeZipName } from '@/lib/formats/zip-limits';
import { thrown } from './helpers';

/** Issue 15, findings 3 and 7: a zip is judged by its central directory before anything is inflated. */
describe('checkZip', () => {
  test('lists the entries of a plain zip with their declared sizes', () => {
    const zip = zipSync({ 'meta.json': strToU8('{"a":1}'), 'tfjs/weights.bin': new Uint8Array(10) }, { level: 0 });
    expect(checkZip(zip)).toEqual([
      { name: 'meta.json', compressedBytes: 7, uncompressedBytes: 7 },
      { name: 'tfjs/weights.bin', compressedBytes: 10, uncompressedBytes: 10 },
    ]);
  });

  test.each([
    ['../../evil.json', 'a `..` segment'],
    ['/abs/model.json', 'an absolute path'],
    ['C:/x', 'an absolute path'],
    ['a\\b', 'a backslash'],
  ])('refuses the entry name %s (zip-slip)', (name, why) => {
    expect(unsafeZipName(name)).toBe(why);
    expect(thrown(() => checkZip(zipSync({ [name]: strToU8('{}') }))).code).toBe('bad_header');
  });

  test('refuses a 1 MB zip holding a 1 GiB entry by its ratio, before inflating', () => {
    // 64 MiB of zeros deflate to ~64 KB: ratio ~1000.
    const zip = zipSync({ 'model.json': new Uint8Array(64 * 1024 ** 2) });
    const err = thrown(() => checkZip(zip));
    expect(err.code).toBe('too_large');
    expect(err.expected).toBe('a compression ratio of at most 200');
  });

  test('refuses too many entries and too many bytes', () => {
    const many = zipSync(Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`e${i}`, strToU8('x')])));
    expect(thrown(() => checkZip(many)).expected).toBe('at most 1000 entries');
    const big = zipSync({ a: new Uint8Array(2000) }, { level: 0 });
    expect(thrown(() => checkZip(big, { maxEntryBytes: 1000 })).code).toBe('too_large');
  });

  test('refuses bytes that are not a zip', () => {
    expect(thrown(() => checkZip(strToU8('hello, not a zip'))).expected).toBe('a zip archive');
  });
});
