/**
 * A host OUTCAR uploaded with a surface gives its electronic levels: the EPDI batch then carries the acceptor level
 * against the vacuum, lowest unoccupied eigenvalue - vacuum level of the uploaded LOCPOT (known in closed form here).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writePoscar } from '@/lib/formats/poscar';
import { writeVolumetric } from '@/lib/formats/volumetric';
import { buildMX2Slab, exactVacuumLevel, sampleModelOnGrid, syntheticPotentialModel } from '../fixtures/synthetic';
import { datasetWithSurfaces, setupTempDatabase } from './helpers';
import { HOST_OUTCAR as OUTCAR } from './label-files';

const temp = setupTempDatabase();
afterAll(() => temp.cleanup());

const { epdiBatch } = await import('@/lib/server/epdi-batch');
const { parseEpdiBatch, samplesFromBatch } = await import('@/lib/ml/batch');
const { listSurfaces } = await import('@/lib/server/datasets');

const structure = buildMX2Slab({ phase: '2H', dopant: { species: 'V' } });
const model = syntheticPotentialModel(structure, { offsetEv: 3.2 });

let datasetId = '';

beforeAll(async () => {
  const dims: [number, number, number] = [12, 12, 40];
  const files: [string, string][] = [
    ['MoS2-V/POSCAR', writePoscar(structure)],
    ['MoS2-V/LOCPOT', writeVolumetric(structure, dims, [sampleModelOnGrid(model, dims).data])],
    ['MoS2-V/OUTCAR', OUTCAR + '\n'],
  ];
  datasetId = await datasetWithSurfaces('levels', files, { pixels: 8 });
}, 60_000);

describe('host levels from a host OUTCAR', () => {
  it('every sample carries acceptor level -0.4 eV and Fermi level -1.5 eV minus the LOCPOT vacuum level', async () => {
    const samples = samplesFromBatch(parseEpdiBatch(await epdiBatch(datasetId)));
    expect(samples.length).toBe(45);
    const vacuum = exactVacuumLevel(model);
    expect(vacuum).toBeCloseTo(3.2, 3);
    for (const s of samples) {
      expect(s.descriptors?.acceptor_level_eV).toBeCloseTo(-0.4 - vacuum, 3);
      expect(s.descriptors?.fermi_level_eV).toBeCloseTo(-1.5 - vacuum, 3);
    }
  });

  it('the dataset table lists the same levels', async () => {
    const [row] = await listSurfaces(datasetId);
    expect(row.acceptorLevelEv).toBeCloseTo(-0.4 - exactVacuumLevel(model), 3);
    expect(row.fermiLevelEv).toBeCloseTo(-1.5 - exactVacuumLevel(model), 3);
  });
});
