import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluateNewSurface, newSurfaceTable, type ModelSpec } from '@/lib/ml';
import { readSurfaceFolders } from '@/cli/surface-samples';
import { setupTempDatabase } from './helpers';

const temp = setupTempDatabase();
afterAll(() => temp.cleanup());

const { importFolders } = await import('@/lib/server/import-folder');
const { runNewSurface } = await import('@/lib/server/new-surface-server');

const demoDir = path.resolve(__dirname, '..', '..', 'data', 'demo');
const FOLDERS = ['MoS2', 'MoS2-V', 'ZrS2-V'].map((n) => path.join(demoDir, n));
const MODELS: ModelSpec[] = [
  { type: 'mean' },
  { type: 'site-relative', groups: ['kind', 'host', 'potential', 'geometry'] },
];

describe('new-surface protocols on a stored dataset (the training panel)', () => {
  it('gives the same table as epdi evaluate on the same surface folders (one code path; site features rebuilt from stored sites)', async () => {
    const { datasetId } = await importFolders('new-surface', FOLDERS);
    const server = await runNewSurface(datasetId, {
      protocol: { kind: 'loso' },
      shots: [0, 1],
      seed: 1,
      models: MODELS as never,
    });
    const read = await readSurfaceFolders(FOLDERS);
    const cli = newSurfaceTable(
      await evaluateNewSurface(
        MODELS,
        read.samples,
        read.surfaces,
        { kind: 'loso' },
        { imageSettings: { rangeEv: [0, 1] }, seed: 1 },
        { shots: [0, 1] },
      ),
    );
    const cells = (t: typeof cli) => t.rows.map((r) => [r.model, r.shots, r.error, ...r.cells.slice(2, 11)]);
    expect(server.table.caption).toBe(cli.caption);
    expect(cells(server.table)).toEqual(cells(cli));
    expect(server.table.rows.map((r) => r.model)).toEqual(
      expect.arrayContaining([
        'constant-barrier',
        'constant-excess',
        'mean',
        'site-relative[kind+host+potential+geometry]',
      ]),
    );
    expect(server.table.warnings).toEqual(cli.warnings);
  }, 300_000);

  it('refuses a train/test surface the dataset does not have', async () => {
    const { datasetId } = await importFolders('new-surface-2', FOLDERS.slice(0, 2));
    await expect(
      runNewSurface(datasetId, {
        protocol: { kind: 'train-test', train: ['MoS2'], test: ['WS2'] },
        shots: [0],
        seed: 1,
      }),
    ).rejects.toThrow(/no surface named WS2/);
  }, 300_000);
});
