/** Shared paths for the format tests: hand-made fixtures here, real VASP files in ../shared (optional). */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '../../..');
export const fixturesDir = path.join(repoRoot, 'tests/fixtures/formats');
export const sharedVasp = path.resolve(repoRoot, '../shared/fixtures/vasp');
export const hasShared = existsSync(sharedVasp);
if (!hasShared) console.warn(`[formats tests] skipping real-file tests: ${sharedVasp} is absent`);

export function fixture(name: string): Buffer {
  return readFileSync(path.join(fixturesDir, name));
}

export function shared(rel: string): Buffer {
  return readFileSync(path.join(sharedVasp, rel));
}

/** Run `fn` and return the FormatError-like object it throws (fails the test when it does not throw). */
export function thrown(fn: () => unknown): { code: string; line?: number; expected?: string; fileName?: string; name: string } {
  try {
    fn();
  } catch (e) {
    return e as never;
  }
  throw new Error('expected a throw');
}
