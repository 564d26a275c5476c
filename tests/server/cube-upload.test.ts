/**
 * A surface whose potential comes as a Gaussian cube (plain and gzipped, streamed through the upload) gives the same
 * sites and MEPs as the same analytic potential uploaded as a LOCPOT: two independent readers, one answer.
 */
import { gzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCube } from '@/lib/formats/cube';
import { writePoscar } from '@/lib/formats/poscar';
import { writeVolumetric } from '@/lib/formats/volumetric';
import { buildMX2Slab, sampleModelOnGrid, syntheticPotentialModel } from '../fixtures/synthetic';
import { datasetWithSurfaces, setupTempDatabase } from './helpers';

const temp = setupTempDatabase();
afterAll(() => temp.cleanup());

const { db } = await import('@/lib/server/db');

const structure = buildMX2Slab({ phase: '2H', dopant: { species: 'V' } });
const dims: [number, number, number] = [12, 12, 40];
const grid = sampleModelOnGrid(syntheticPotentialModel(structure, { offsetEv: 1.5 }), dims);
const poscar = writePoscar(structure);

async function mepsOf(datasetId: string): Promise<Map<string, number>> {
  const sites = await db.site.findMany({ where: { surface: { datasetId } }, select: { name: true, mepV: true } });
  return new Map(sites.map((s) => [s.name, s.mepV!]));
}

let fromLocpot = new Map<string, number>();

beforeAll(async () => {
  const id = await datasetWithSurfaces('locpot', [
    ['S/POSCAR', poscar],
    ['S/LOCPOT', writeVolumetric(structure, dims, [grid.data])],
  ]);
  fromLocpot = await mepsOf(id);
}, 60_000);

describe('cube upload', () => {
  it.each([
    ['plain', (text: string): [string, string | Uint8Array] => ['S/potential.cube', text]],
    [
      'gzip',
      (text: string): [string, string | Uint8Array] => [
        'S/potential.cube.gz',
        gzipSync(new TextEncoder().encode(text)),
      ],
    ],
  ])(
    '%s cube: 45 sites with the LOCPOT upload MEPs to 1e-4 eV',
    async (name, file) => {
      const id = await datasetWithSurfaces(`cube ${name}`, [['S/POSCAR', poscar], file(writeCube(structure, grid))] as [
        string,
        string,
      ][]);
      const fromCube = await mepsOf(id);
      expect(fromCube.size).toBe(45);
      for (const [site, mep] of fromLocpot) expect(fromCube.get(site)).toBeCloseTo(mep, 4);
    },
    60_000,
  );
});
