/**
 * What the Slurm campaign tests share: the `epdi` command line as a user runs it, the local cluster
 * (scripts/slurm/local-cluster.sh) started only when none answers, sbatch of a campaign's submit.sh and the wait for
 * its array, and the ASE reader of the calculations' outputs (contcar_li.py).
 */
import { execFileSync } from 'node:child_process';
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

/**
 * Test files that share the local cluster (they run side by side): a user list and an "owned" marker under a flock,
 * so the cluster a test file started is stopped only when the last of them is done, and one started by someone else
 * (`.ci/run`, a person) is never stopped. `flock --close`: the daemons `up` starts must not inherit the lock.
 */
const LOCK_DIR = path.join(process.env.EPDI_SLURM_STATE ?? '/tmp/epdi-slurm');
const underLock = (script: string): void => {
  execFileSync('mkdir', ['-p', LOCK_DIR]);
  execFileSync('flock', ['--close', path.join(LOCK_DIR, 'tests.lock'), 'bash', '-c', script], {
    stdio: 'pipe',
    env: { ...process.env, CLUSTER: clusterScript, USERS: path.join(LOCK_DIR, 'test-users'), ME: String(process.pid) },
  });
};

/** Keeps in $USERS the test files still running, other than this one (a killed run leaves its pid: dropped). */
const PRUNE = `: > "$USERS.tmp"
    if [ -f "$USERS" ]; then
      while read -r pid; do
        if [ "$pid" != "$ME" ] && kill -0 "$pid" 2>/dev/null; then echo "$pid" >> "$USERS.tmp"; fi
      done < "$USERS"
    fi
    mv "$USERS.tmp" "$USERS"`;

/** Start the local cluster when `sinfo` gets no answer, and count this test file among its users. */
export function clusterUp(): void {
  underLock(`set -e
    ${PRUNE}
    # a cluster that answers while no test uses it was started by someone else (or a killed run's marker is stale)
    if [ ! -s "$USERS" ]; then rm -f "$USERS.owned"; fi
    if ! sinfo -h >/dev/null 2>&1; then bash "$CLUSTER" up; touch "$USERS.owned"; fi
    echo "$ME" >> "$USERS"`);
}

/** This test file is done with the cluster: stop it if a test started it and no other test file uses it. */
export function clusterDown(): void {
  underLock(`set -e
    ${PRUNE}
    if [ ! -s "$USERS" ] && [ -f "$USERS.owned" ]; then bash "$CLUSTER" down; rm -f "$USERS.owned"; fi`);
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
  /** Li positions of CONTCAR, Cartesian Angstrom (ASE); of an NEB, its highest inner image's. */
  li: number[][];
  /** The `energy` file: E_total, eV; of an NEB, its highest inner image's. */
  energy: number;
  /** NEB: every image folder 00..NN, its CONTCAR's Li and its `energy` file. */
  images?: { li: number[][]; energy: number }[];
  result: {
    E_total_eV?: number;
    energies_eV?: number[];
    steps?: number;
    neb?: Record<string, unknown>;
    converged: boolean;
    wall_s: number;
    settings: Record<string, unknown>;
  };
}

/** Every finished calculation's CONTCAR Li and energy file, read with ASE by /usr/bin/python3 (contcar_li.py). */
export function readOutputsWithAse(dir: string): Record<string, CalculationOutput> {
  return JSON.parse(
    execFileSync('/usr/bin/python3', [path.join(__dirname, 'contcar_li.py'), dir], { encoding: 'utf8' }),
  ) as Record<string, CalculationOutput>;
}
