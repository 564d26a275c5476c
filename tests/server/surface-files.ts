import { writePoscar } from '@/lib/formats/poscar';
import { writeVolumetric } from '@/lib/formats/volumetric';
import type { Structure } from '@/lib/structure/structure';
import { buildMX2Slab, sampleModelOnGrid, syntheticPotentialModel } from '../fixtures/synthetic';

/** A small doped 3x3 2H-MoS2 surface folder (POSCAR, LOCPOT on a coarse grid, labels.csv, meta.json) as text files. */
export function smallSurfaceFiles(name = 'MoS2-V'): {
  files: [string, string][];
  structure: Structure;
  dims: [number, number, number];
} {
  const structure = buildMX2Slab({ phase: '2H', dopant: { species: 'V' } });
  const dims: [number, number, number] = [12, 12, 40];
  const grid = sampleModelOnGrid(syntheticPotentialModel(structure), dims);
  const topZ = Math.max(...structure.positions.map((p) => p[2]));
  const labels = [
    'site,kind,x,y,z,E_total_eV,method',
    `a,T_M,${structure.positions[0][0]},${structure.positions[0][1]},${topZ + 1.5},-190.5,test`,
  ].join('\n');
  return {
    structure,
    dims,
    files: [
      [`${name}/POSCAR`, writePoscar(structure)],
      [`${name}/LOCPOT`, writeVolumetric(structure, dims, [grid.data])],
      [`${name}/labels.csv`, labels + '\n'],
      [
        `${name}/meta.json`,
        JSON.stringify({ host: 'MoS2', phase: '2H', dopant: 'V', E_slab_eV: -188.0, mu_Li_eV: -1.9 }),
      ],
    ],
  };
}
