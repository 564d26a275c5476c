import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { campaignRoot, untar } from '@/lib/campaign/archive';

const dir = mkdtempSync(path.join(os.tmpdir(), 'epdi-tar-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const hasTar = spawnSync('tar', ['--version'], { stdio: 'ignore' }).status === 0;

describe('results archives', () => {
  it.skipIf(!hasTar)('should read what GNU tar wrote, long names included', () => {
    const long = `calcs/${'x'.repeat(120)}`;
    mkdirSync(path.join(dir, 'c', long), { recursive: true });
    writeFileSync(path.join(dir, 'c', 'manifest.json'), '{}');
    writeFileSync(path.join(dir, 'c', long, 'energy'), '-1.5\n');
    writeFileSync(path.join(dir, 'c', long, 'big'), Buffer.alloc(1500, 7));
    execFileSync('tar', ['-cf', path.join(dir, 'r.tar'), 'c'], { cwd: dir });
    const files = campaignRoot(untar(new Uint8Array(readFileSync(path.join(dir, 'r.tar')))));
    expect([...files.keys()].sort()).toEqual([`${long}/big`, `${long}/energy`, 'manifest.json']);
    expect(new TextDecoder().decode(files.get(`${long}/energy`))).toBe('-1.5\n');
    expect(files.get(`${long}/big`)!.every((b) => b === 7)).toBe(true);
  });

  it('should refuse a folder without manifest.json', () => {
    expect(() => campaignRoot(new Map([['a/b', new Uint8Array()]]))).toThrow(/no manifest.json/);
  });
});
