import { afterAll, describe, expect, it } from 'vitest';
import { setupTempDatabase } from './helpers';

const temp = setupTempDatabase();
afterAll(() => temp.cleanup());

const { db } = await import('@/lib/server/db');
const { GRID_CHUNK_VALUES, createGridRow, loadGrid, writeGridChunks } = await import('@/lib/server/grid-store');

describe('grid chunk store', () => {
  it('stores a grid over several bounded chunks and loads the same values back', async () => {
    const dims: [number, number, number] = [3, 5, Math.floor(GRID_CHUNK_VALUES / 15) + 7];
    const n = dims[0] * dims[1] * dims[2];
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = Math.sin(i) * 1e3 + i * 1e-6;
    const chunkCount = await writeGridChunks('grid-a', data);
    expect(chunkCount).toBe(2);
    const ds = await db.dataset.create({ data: { name: 'g', settingsJson: '{}' } });
    const surface = await db.surface.create({
      data: { datasetId: ds.id, name: 's', structureJson: '{}', sourceFilesJson: '[]' },
    });
    const lattice: [[number, number, number], [number, number, number], [number, number, number]] = [
      [3, 0, 0],
      [0, 3, 0],
      [0, 0, 20],
    ];
    await db.$transaction((tx) =>
      createGridRow(tx, 'grid-a', chunkCount, {
        surfaceId: surface.id,
        kind: 'potential',
        unit: 'eV',
        sourceFile: 'LOCPOT',
        grid: { dims, lattice, data },
      }),
    );
    const back = await loadGrid('grid-a');
    expect(back.dims).toEqual(dims);
    expect(Buffer.from(back.data.buffer).equals(Buffer.from(data.buffer))).toBe(true);
  });

  it('waits for a transaction of the same process that holds the write lock instead of failing', async () => {
    const holder = db.$transaction(async (tx) => {
      await tx.dataset.create({ data: { name: 'lock holder', settingsJson: '{}' } });
      await new Promise((r) => setTimeout(r, 400));
    });
    await new Promise((r) => setTimeout(r, 100));
    await expect(writeGridChunks('grid-b', new Float32Array(8).fill(2))).resolves.toBe(1);
    await holder;
    expect(await db.dataset.count({ where: { name: 'lock holder' } })).toBe(1);
  });
});
