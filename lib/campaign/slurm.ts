/**
 * submit.sh (ONE Slurm job array, a task per calculation folder) and collect.sh (finished folders into a results
 * archive). Each task: skips a folder that holds DONE (a finished result is never overwritten), checks its inputs
 * against inputs.sha256 (a changed input is refused, FAILED written), assembles POTCAR from $VASP_PP_PATH (VASP; a
 * clear message and FAILED when the library or an element is missing), runs the engine, then writes DONE (campaign,
 * calculation, job, time and the inputs' hashes as they were at the end) or FAILED (exit status).
 */
import type { Engine, SlurmOptions } from './types';

export interface TaskEntry {
  folder: string;
  kind: 'relax' | 'neb';
  /** NEB: index of the last image folder (images + 1). */
  lastImage: number | null;
}

/** Quote for bash single quotes. */
function sq(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function sbatchLines(o: SlurmOptions, count: number): string[] {
  const lines = [
    `#SBATCH --job-name=${o.jobName.replace(/\s+/g, '_')}`,
    `#SBATCH --array=0-${count - 1}`,
    `#SBATCH --time=${o.time}`,
    `#SBATCH --nodes=${o.nodes}`,
    `#SBATCH --ntasks=${o.ntasks}`,
    `#SBATCH --cpus-per-task=${o.cpusPerTask}`,
    '#SBATCH --output=slurm-%A_%a.out',
  ];
  if (o.partition) lines.push(`#SBATCH --partition=${o.partition}`);
  if (o.account) lines.push(`#SBATCH --account=${o.account}`);
  return lines;
}

const POTCAR_FN = `make_potcar() {
  # POTCAR is licensed: never shipped. Assembled here from the user's own library, in POSCAR species order.
  if [ -z "\${VASP_PP_PATH:-}" ] || [ ! -d "\${VASP_PP_PATH}" ]; then
    echo "POTCAR missing: set VASP_PP_PATH to your VASP pseudopotential library (the folder holding potpaw_PBE/)." >&2
    echo "EPDI Lab never ships POTCAR files (they are licensed)." >&2
    return 1
  fi
  : > POTCAR
  local name f
  for name in $(cat POTCAR.spec); do
    f=""
    for cand in "$VASP_PP_PATH/potpaw_PBE/$name/POTCAR" "$VASP_PP_PATH/potpaw_PBE.54/$name/POTCAR" \\
                "$VASP_PP_PATH/potpaw_PBE.64/$name/POTCAR" "$VASP_PP_PATH/$name/POTCAR"; do
      for ext in "" .gz .Z; do
        if [ -z "$f" ] && [ -f "$cand$ext" ]; then f="$cand$ext"; fi
      done
    done
    if [ -z "$f" ]; then
      echo "POTCAR missing: no '$name' in VASP_PP_PATH=$VASP_PP_PATH (looked in potpaw_PBE/$name/POTCAR and $name/POTCAR)" >&2
      rm -f POTCAR
      return 1
    fi
    case "$f" in *.gz|*.Z) gzip -dc "$f" >> POTCAR ;; *) cat "$f" >> POTCAR ;; esac
  done
}
`;

function engineBlock(engine: Engine): string {
  if (engine === 'gpaw') {
    return `run_engine() {
  export OMP_NUM_THREADS=\${SLURM_CPUS_PER_TASK:-1}
  \${EPDI_PYTHON} calc.py
}
`;
  }
  return `${POTCAR_FN}
run_engine() {
  make_potcar || return 1
  if [ "$KIND" = neb ]; then
    # End points: single points in 00 and NN (INCAR.ends), unless a finished OUTCAR is already there.
    local end
    for end in 00 "$LAST"; do
      if [ -f "$end/OUTCAR" ] && grep -q "General timing and accounting" "$end/OUTCAR"; then continue; fi
      ( cd "$end" && cp ../KPOINTS ../POTCAR . && cp ../INCAR.ends INCAR && \${EPDI_VASP} ) || return 1
    done
  fi
  \${EPDI_VASP}
}
`;
}

/**
 * submit.sh: `cd <campaign> && sbatch submit.sh`. Outside Slurm, `bash submit.sh <task index>` runs one task (for a
 * workstation or a test).
 */
export function submitScript(campaignId: string, engine: Engine, tasks: TaskEntry[], o: SlurmOptions): string {
  if (tasks.length === 0) throw new Error('a campaign needs at least one calculation');
  const modules = o.modules.map((m) => `module load ${m}`).join('\n');
  const table = tasks
    .map((t) => `  ${sq(`${t.folder}|${t.kind}|${t.lastImage === null ? '' : String(t.lastImage).padStart(2, '0')}`)}`)
    .join('\n');
  return `#!/bin/bash
${sbatchLines(o, tasks.length).join('\n')}
#
# EPDI Lab campaign ${campaignId} (${engine.toUpperCase()}): one array task per calculation folder.
# Run from the campaign folder: cd <campaign> && sbatch submit.sh. Then: bash collect.sh (or epdi campaign collect).
set -u
CAMPAIGN=${sq(campaignId)}
EPDI_VASP=\${EPDI_VASP:-${sq(o.vaspCommand)}}
EPDI_PYTHON=\${EPDI_PYTHON:-${sq(o.pythonCommand)}}
ROOT="\${SLURM_SUBMIT_DIR:-$(cd "$(dirname "$0")" && pwd)}"
cd "$ROOT" || exit 1
if [ ! -f manifest.json ]; then echo "submit.sh: run sbatch from the campaign folder (no manifest.json in $ROOT)" >&2; exit 1; fi
${modules}
TASKS=(
${table}
)
INDEX=\${SLURM_ARRAY_TASK_ID:-\${1:-}}
if [ -z "$INDEX" ] || [ "$INDEX" -ge "\${#TASKS[@]}" ]; then echo "submit.sh: task index 0..$(( \${#TASKS[@]} - 1 )) expected" >&2; exit 2; fi
IFS='|' read -r FOLDER KIND LAST <<< "\${TASKS[$INDEX]}"

${engineBlock(engine)}
cd "$ROOT/$FOLDER" || exit 1
if [ -f DONE ]; then echo "$FOLDER: finished before (DONE is there): left as it is"; exit 0; fi
if ! sha256sum --quiet -c inputs.sha256; then
  echo "inputs changed since the campaign was exported (inputs.sha256 does not match): refused" | tee FAILED >&2
  exit 1
fi
rm -f FAILED
echo "job \${SLURM_ARRAY_JOB_ID:-local}_\${SLURM_ARRAY_TASK_ID:-$INDEX} started $(date -u +%Y-%m-%dT%H:%M:%SZ)" > RUNNING
run_engine > engine.log 2>&1
STATUS=$?
rm -f RUNNING
if [ "$STATUS" -ne 0 ]; then
  echo "engine exited with status $STATUS (see $FOLDER/engine.log)" | tee FAILED >&2
  exit "$STATUS"
fi
{
  echo "campaign $CAMPAIGN"
  echo "calculation $(basename "$FOLDER")"
  echo "job \${SLURM_ARRAY_JOB_ID:-local}_\${SLURM_ARRAY_TASK_ID:-$INDEX}"
  echo "finished $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  sha256sum $(awk '{print $2}' inputs.sha256)
} > DONE.tmp && mv DONE.tmp DONE
echo "$FOLDER: done"
`;
}

/**
 * collect.sh: manifest.json plus every calculation folder that finished (DONE) or failed (FAILED) into
 * results-<campaign>.tar.gz, without POTCAR (licensed) and the large restart files. `epdi campaign import` reads it.
 */
export function collectScript(campaignId: string): string {
  return `#!/bin/bash
# EPDI Lab campaign ${campaignId}: pack finished and failed calculation folders into a results archive.
set -eu
cd "$(dirname "$0")"
OUT="results-${campaignId}.tar.gz"
FOLDERS=()
for d in calcs/*/; do
  d=\${d%/}
  if [ -f "$d/DONE" ] || [ -f "$d/FAILED" ]; then FOLDERS+=("$d"); fi
done
tar -czf "$OUT" --exclude=POTCAR --exclude=WAVECAR --exclude=CHG --exclude=CHGCAR --exclude=PROCAR \\
  --exclude=DOSCAR --exclude=EIGENVAL --exclude=XDATCAR --exclude=vaspout.h5 --exclude='*.gpw' \\
  manifest.json "\${FOLDERS[@]}"
echo "$OUT: \${#FOLDERS[@]} of $(ls -d calcs/*/ | wc -l) calculation folders (finished or failed)"
`;
}
