"""E_slab of a bare slab POSCAR with scripts/dft/calc.py STANDARD updated by JSON overrides (argv[2]), as the campaign
scripts build their calculators; prints the total energy in eV. For meta.json's E_slab_eV of a synthetic surface."""
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".."))

from ase.io import read  # noqa: E402
from scripts.dft.calc import STANDARD, make_calc  # noqa: E402

atoms = read(sys.argv[1], format="vasp")
atoms.pbc = (True, True, False)
settings = dict(STANDARD)
settings.update(json.loads(sys.argv[2]))
with tempfile.TemporaryDirectory() as tmp:
    atoms.calc = make_calc(settings, os.path.join(tmp, "gpaw.txt"))
    print(json.dumps({"E_slab_eV": float(atoms.get_potential_energy())}))
