"""Li position (Cartesian Angstrom) and the energy file of each finished calculation of a campaign folder, read with
ASE independently of the app (tests/server/campaign-slurm.test.ts). Prints JSON {calc id: {li, energy, result}};
an NEB calculation also has `images`: per image folder 00..NN its Li position and energy file."""
import json
import os
import sys

from ase.io import read


def li_and_energy(d):
    atoms = read(os.path.join(d, "CONTCAR"), format="vasp")
    return {"li": [a.position.tolist() for a in atoms if a.symbol == "Li"],
            "energy": float(open(os.path.join(d, "energy")).read().split()[0])}


root = sys.argv[1]
manifest = json.load(open(os.path.join(root, "manifest.json")))
out = {}
for c in manifest["calculations"]:
    d = os.path.join(root, c["folder"])
    result = json.load(open(os.path.join(d, "result.json")))
    if c["kind"] == "neb":
        images = [li_and_energy(os.path.join(d, f"{i:02d}")) for i in range(c["images"] + 2)]
        top = max(range(1, len(images) - 1), key=lambda i: images[i]["energy"])
        out[c["id"]] = {"images": images, "li": images[top]["li"], "energy": images[top]["energy"],
                        "result": result}
    else:
        out[c["id"]] = dict(li_and_energy(d), result=result)
print(json.dumps(out))
