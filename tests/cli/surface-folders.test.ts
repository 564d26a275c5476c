/**
 * `epdi evaluate` / `epdi active` read surface folders as an upload is read (cli/surface-samples.ts
 * readSurfaceFolders): a VASP-style folder with no labels.csv, its label from a `sites/` run (CONTCAR + OUTCAR) and
 * its host levels from the host OUTCAR, gives the sample E_b = E(sigma->0) - E_slab - mu_Li and the acceptor level
 * against the LOCPOT's vacuum, both worked out here by hand.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writePoscar } from '@/lib/formats/poscar';
import { writeVolumetric } from '@/lib/formats/volumetric';
import { readSurfaceFolders } from '@/cli/surface-samples';
import { buildMX2Slab, exactVacuumLevel, sampleModelOnGrid, syntheticPotentialModel } from '../fixtures/synthetic';
import { HOST_OUTCAR, outcarText, withLi } from '../server/label-files';

const work = mkdtempSync(path.join(tmpdir(), 'epdi-folders-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('surface folders read as an upload is', () => {
  it('takes labels from sites/ runs and host levels from the host OUTCAR', async () => {
    const structure = buildMX2Slab({ phase: '2H', dopant: { species: 'V' } });
    const model = syntheticPotentialModel(structure, { offsetEv: 3.2 });
    const dims: [number, number, number] = [12, 12, 40];
    const dir = path.join(work, 'MoS2-V');
    mkdirSync(path.join(dir, 'sites', 't1'), { recursive: true });
    writeFileSync(path.join(dir, 'POSCAR'), writePoscar(structure));
    writeFileSync(path.join(dir, 'LOCPOT'), writeVolumetric(structure, dims, [sampleModelOnGrid(model, dims).data]));
    writeFileSync(path.join(dir, 'OUTCAR'), HOST_OUTCAR);
    writeFileSync(path.join(dir, 'meta.json'), JSON.stringify({ host: 'MoS2', dopant: 'V', mu_Li_eV: -1.9 }));
    // Li 1.5 A above the first Mo (a T_M site).
    const mo = structure.positions[structure.species.indexOf('Mo')];
    const topZ = Math.max(...structure.positions.map((p) => p[2]));
    writeFileSync(path.join(dir, 'sites', 't1', 'CONTCAR'), writePoscar(withLi(structure, [mo[0], mo[1], topZ + 1.5])));
    writeFileSync(path.join(dir, 'sites', 't1', 'OUTCAR'), outcarText(-190.85, -190.8));

    const read = await readSurfaceFolders([dir]);
    expect(read.skipped).toEqual([]);
    expect(read.surfaces.map((s) => s.id)).toEqual(['MoS2-V']);
    const labelled = read.samples.filter((s) => s.eBindingEv !== undefined);
    expect(labelled).toHaveLength(1);
    expect(labelled[0].kind).toBe('T_M');
    expect(labelled[0].eBindingEv).toBeCloseTo(-190.8 - -188.0 - -1.9, 9);
    const vacuum = exactVacuumLevel(model);
    for (const s of read.samples) {
      expect(s.descriptors?.acceptor_level_eV).toBeCloseTo(-0.4 - vacuum, 3);
      expect(s.siteFeatures?.['host:acceptor_level_eV']).toBeCloseTo(-0.4 - vacuum, 3);
    }
  }, 60_000);

  it('names the file of a bad input', async () => {
    const dir = path.join(work, 'broken');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'POSCAR'), 'not a poscar\n');
    await expect(readSurfaceFolders([dir])).rejects.toThrow(/POSCAR/);
  });
});
