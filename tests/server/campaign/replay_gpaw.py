"""A stand-in for GPAW in tests/server/campaign-retrain.test.ts, run by submit.sh as `$EPDI_PYTHON calc.py` inside a
calculation folder: instead of a height scan it replays a DFT label the demo dataset already holds for a site of the
same symmetry group. $EPDI_REPLAY is a JSON file {calculation folder name: {"z_A": Li z, "E_total_eV": ...,
"from": "data/demo/<surface>/labels.csv <site>"}}. Writes what the campaign's calc.py writes: CONTCAR (the POSCAR
with Li at z_A, read and written with ASE), `energy` and result.json."""
import json
import os
import sys

from ase.io import read, write

here = os.getcwd()
entry = json.load(open(os.environ["EPDI_REPLAY"]))[os.path.basename(here)]
atoms = read(os.path.join(here, "POSCAR"), format="vasp")
if atoms.get_chemical_symbols()[-1] != "Li":
    sys.exit("the last atom must be Li")
atoms.positions[-1, 2] = entry["z_A"]
write(os.path.join(here, "CONTCAR"), atoms, format="vasp", direct=True)
with open(os.path.join(here, "energy"), "w") as f:
    f.write(f"{entry['E_total_eV']:.6f}\n")
with open(os.path.join(here, "result.json"), "w") as f:
    json.dump({"E_total_eV": entry["E_total_eV"], "method": "height-scan-parabola-minimum", "converged": True,
               "replayed_from": entry["from"]}, f)
