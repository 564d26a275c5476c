"""Li position (Cartesian Angstrom) and the energy file of each finished calculation of a campaign folder, read with
ASE independently of the app (tests/server/campaign-slurm.test.ts). Prints JSON {calc id: {li, energy, result}}."""
import json
import os
import sys

from ase.io import read

root = sys.argv[1]
manifest = json.load(open(os.path.join(root, "manifest.json")))
out = {}
for c in manifest["calculations"]:
    d = os.path.join(root, c["folder"])
    atoms = read(os.path.join(d, "CONTCAR"), format="vasp")
    li = [a.position.tolist() for a in atoms if a.symbol == "Li"]
    out[c["id"]] = {"li": li, "energy": float(open(os.path.join(d, "energy")).read().split()[0]),
                    "result": json.load(open(os.path.join(d, "result.json")))}
print(json.dumps(out))
