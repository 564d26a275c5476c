import type { Structure } from '@/lib/structure/structure';

/** Files for label uploads: Li structures, minimal OUTCARs, and waiting for background jobs. */
/** The structure with one Li atom appended at `li` (Cartesian Angstrom). */
export function withLi(structure: Structure, li: [number, number, number]): Structure {
  return { ...structure, species: [...structure.species, 'Li'], positions: [...structure.positions, li] };
}

/** A minimal VASP OUTCAR whose one ionic step ends with these energies (eV). */
export function outcarText(freeEnergyEv: number, sigma0Ev: number): string {
  return [
    ' vasp.6.3.0 18Jan22 (build Mar 11 2022) complex',
    ' running on    4 total cores',
    ' POSCAR =  MoS2-V',
    '  FREE ENERGIE OF THE ION-ELECTRON SYSTEM (eV)',
    '  ---------------------------------------------------',
    `  free  energy   TOTEN  =      ${freeEnergyEv.toFixed(8)} eV`,
    '',
    `  energy  without entropy=     ${(sigma0Ev - 0.001).toFixed(8)}  energy(sigma->0) =     ${sigma0Ev.toFixed(8)}`,
    '',
  ].join('\n');
}

/** Wait until no job is queued or running (background extractions write sites and labels). */
export async function settleJobs(db: {
  job: { count: (args: { where: { status: { in: string[] } } }) => Promise<number> };
}): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if ((await db.job.count({ where: { status: { in: ['queued', 'running'] } } })) === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('jobs did not settle');
}

/**
 * A host run's last lines as VASP prints them: E-fermi (-1.5 eV), eigenvalues of two k-points (lowest unoccupied
 * -0.4 eV), the final energy (-188 eV).
 */
export const HOST_OUTCAR = [
  ' vasp.6.4.2 18Apr23 (build Apr 18 2023) complex',
  ' E-fermi :  -1.5000     XC(G=0):  -4.3521     alpha+bet : -4.2672',
  '',
  ' k-point     1 :       0.0000    0.0000    0.0000',
  '  band No.  band energies     occupation ',
  '      1     -2.5000      2.00000',
  '      2     -0.2000      0.00000',
  '',
  ' k-point     2 :       0.3333    0.0000    0.0000',
  '  band No.  band energies     occupation ',
  '      1     -2.1000      2.00000',
  '      2     -0.4000      0.00000',
  '',
  ' ------------------------------------------------------------------',
  '  FREE ENERGIE OF THE ION-ELECTRON SYSTEM (eV)',
  '  free  energy   TOTEN  =      -188.00000000 eV',
  '  energy  without entropy=     -188.00000000  energy(sigma->0) =     -188.00000000',
  ' General timing and accounting informations for this job:',
].join('\n');
