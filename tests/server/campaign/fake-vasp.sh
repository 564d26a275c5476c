#!/bin/bash
# A stand-in for VASP in tests/server/campaign-vasp.test.ts: copies POSCAR to CONTCAR and writes an OUTCAR whose
# energies follow from the folder (relax: -190.25 eV; NEB image i of n: -190.5 + 0.1 * (1 - |2i/n - 1|)). It checks
# that POTCAR was assembled and lists its TITEL lines in potcar.titles.
set -eu
outcar() { # energy, [converged]
  {
    echo ' vasp.6.3.0 18Jan22 (build Mar 11 2022) complex'
    echo '  FREE ENERGIE OF THE ION-ELECTRON SYSTEM (eV)'
    echo '  ---------------------------------------------------'
    printf '  free  energy   TOTEN  =      %.8f eV\n\n' "$1"
    printf '  energy  without entropy=     %.8f  energy(sigma->0) =     %.8f\n\n' "$1" "$1"
    if [ "${2:-yes}" = yes ]; then echo ' reached required accuracy - stopping structural energy minimisation'; fi
    echo ' General timing and accounting informations for this job:'
  } > "$3"
}
[ -s POTCAR ] || { echo "no POTCAR" >&2; exit 1; }
grep TITEL POTCAR > potcar.titles
if grep -q '^IMAGES' INCAR; then
  n=$(grep '^IMAGES' INCAR | awk '{print $3}')
  for i in $(seq 1 "$n"); do
    d=$(printf '%02d' "$i")
    e=$(awk -v i="$i" -v n="$((n + 1))" 'BEGIN { x = 2 * i / n - 1; if (x < 0) x = -x; printf "%.6f", -190.5 + 0.1 * (1 - x) }')
    cp "$d/POSCAR" "$d/CONTCAR"
    outcar "$e" yes "$d/OUTCAR"
  done
elif grep -q '^NSW = 0' INCAR; then
  cp POSCAR CONTCAR
  outcar -190.5 no OUTCAR
else
  cp POSCAR CONTCAR
  outcar -190.25 "${FAKE_VASP_CONVERGED:-yes}" OUTCAR
fi
