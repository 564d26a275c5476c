/**
 * `epdi train <surface folder>` writes training-sites.csv into the model zip (the user's site names, read here with
 * Python's zipfile and csv against the folder's labels.csv, also read by Python), and an app instance that stored the
 * same folder finds every training site by name on import (the zip has no database ids that mean anything there).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { setupTempDatabase } from '../../server/helpers';

const temp = setupTempDatabase();
const work = mkdtempSync(path.join(tmpdir(), 'epdi-train-names-'));
afterAll(() => {
  temp.cleanup();
  rmSync(work, { recursive: true, force: true });
});

const { parseArgs } = await import('@/cli/args');
const { run } = await import('@/cli/commands/train');
const { importFolders } = await import('@/lib/server/import-folder');
const { importModel } = await import('@/lib/server/models');

const folder = path.resolve(__dirname, '../../../data/demo/MoS2-V');
const PY = `
import csv, io, json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
rows = list(csv.DictReader(io.StringIO(z.read('training-sites.csv').decode('utf-8'))))
labels = list(csv.DictReader(open(sys.argv[2], newline='')))
print(json.dumps({'rows': rows, 'labels': labels}))
`;

describe.skipIf(!existsSync('/usr/bin/python3') || !existsSync(path.join(folder, 'labels.csv')))('epdi train from surface folders', () => {
  it("lists the training sites by the user's names and is matched by name elsewhere", async () => {
    const out = path.join(work, 'model.zip');
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const code = await run(parseArgs([folder, '--model', 'site-relative:kind+host+potential', '--out', out, '--json']));
    vi.restoreAllMocks();
    expect(code).toBe(0);
    const { rows, labels } = JSON.parse(execFileSync('/usr/bin/python3', ['-c', PY, out, path.join(folder, 'labels.csv')], { encoding: 'utf8' })) as {
      rows: Record<string, string>[];
      labels: Record<string, string>[];
    };
    expect(rows.map((r) => r.site).sort()).toEqual(labels.map((l) => l.site).sort());
    for (const l of labels) {
      const r = rows.find((x) => x.site === l.site)!;
      expect(r.surface).toBe('MoS2-V');
      expect(r.kind).toBe(l.kind);
      expect(Number(r.E_b_eV)).toBeCloseTo(Number(l.E_b_eV), 4);
    }

    const { datasetId } = await importFolders('names', [folder]);
    const imported = await importModel(datasetId, new Uint8Array(readFileSync(out)));
    // Every training site found by the user's name, none by the meaningless ids. The user's "bridge-17" sits on the
    // app's bridge-13 while the app has a bridge-17 of its own: that one is "app:bridge-17" and never collides.
    expect(imported.trainingSiteMatch).toMatchObject({ total: labels.length, byId: 0, byName: labels.length, unmatched: 0 });
  }, 300_000);
});
