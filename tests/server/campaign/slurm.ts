/**
 * What the Slurm campaign tests share: the `epdi` command line as a user runs it, the local cluster
 * (scripts/slurm/local-cluster.sh) started only when none answers, sbatch of a campaign's submit.sh and the wait for
 * its array, and the ASE reader of the calculations' outputs (contcar_li.py).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';

export const slurmTestsEnabled = process.env.EPDI_SLURM_TESTS === '1';
const repo = path.resolve(__dirname, '..', '..', '..');
const clusterScript = path.join(repo, 'scripts', 'slurm', 'local-cluster.sh');

/**
 * GPAW test settings (scripts/dft/calc.py STANDARD keys, recorded in the manifest): single-zeta basis, grid spacing
 * 0.3 A, Gamma point only, Fermi-Dirac 0.1 eV, density convergence 1e-3. On a 3x3 MoS2 cell + Li (28 atoms, c =
 * 21.1 A) the first SCF of a height scan takes ~18 s on one core and each further height ~8 s (measured by hand with
 * scripts/dft/calc.py make_calc on data/demo/MoS2/POSCAR).
 */
export const TEST_GPAW_SETTINGS = {
  basis: 'sz(dzp)',
  h_A: 0.3,
  kpts: [1, 1, 1],
  width_eV: 0.1,
  convergence_density: 1e-3,
};

/** `epdi <args>` through tsx, in the repository, with this process's environment (its DATABASE_URL). */
export function epdi(args: string[]): string {
  return execFileSync(path.join(repo, 'node_modules', '.bin', 'tsx'), [path.join(repo, 'cli', 'epdi.ts'), ...args], {
    cwd: repo,
    env: process.env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Start the local cluster when `sinfo` gets no answer; returns whether this call started it (then stop it). */
export function clusterUp(): boolean {
  if (spawnSync('sinfo', ['-h'], { stdio: 'ignore' }).status === 0) return false;
  execFileSync('bash', [clusterScript, 'up'], { stdio: 'pipe' });
  return true;
}

export function clusterDown(): void {
  execFileSync('bash', [clusterScript, 'down'], { stdio: 'pipe' });
}

/** `sbatch --parsable submit.sh` in `dir`; waits until the job (all its array tasks) has left the queue. */
export async function sbatchAndWait(dir: string, timeoutMs: number): Promise<string> {
  const job = execFileSync('sbatch', ['--parsable', 'submit.sh'], { cwd: dir, encoding: 'utf8' }).trim().split(';')[0];
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const queue = execFileSync('squeue', ['-h', '-j', job], { encoding: 'utf8' }).trim();
    if (queue === '') return job;
    await new Promise((r) => setTimeout(r, 2000));
  }
  throw new Error(`Slurm job ${job} still queued or running after ${timeoutMs / 1000} s`);
}

export interface CalculationOutput {
  /** Li positions of CONTCAR, Cartesian Angstrom (ASE). */
  li: number[][];
  /** The `energy` file: E_total, eV. */
  energy: number;
  result: { E_total_eV: number; converged: boolean; wall_s: number; settings: Record<string, unknown> };
}

/** Every finished calculation's CONTCAR Li and energy file, read with ASE by /usr/bin/python3 (contcar_li.py). */
export function readOutputsWithAse(dir: string): Record<string, CalculationOutput> {
  return JSON.parse(
    execFileSync('/usr/bin/python3', [path.join(__dirname, 'contcar_li.py'), dir], { encoding: 'utf8' }),
  ) as Record<string, CalculationOutput>;
}
