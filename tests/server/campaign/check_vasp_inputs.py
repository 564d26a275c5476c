"""Independent check of a VASP campaign folder (tests/server/campaign-vasp.test.ts): pymatgen reads every POSCAR,
INCAR and KPOINTS, ASE reads every POSCAR, and every NEB image's Li lies on the straight minimum-image path between
the end points (ASE's find_mic). Prints one JSON object."""
import json
import os
import sys

import numpy as np
from ase.geometry import find_mic
from ase.io import read
from pymatgen.io.vasp import Incar, Kpoints, Poscar

root = sys.argv[1]
manifest = json.load(open(os.path.join(root, "manifest.json")))
out = {"calcs": []}
for c in manifest["calculations"]:
    d = os.path.join(root, c["folder"])
    incar = Incar.from_file(os.path.join(d, "INCAR"))
    kp = Kpoints.from_file(os.path.join(d, "KPOINTS"))
    rec = {"id": c["id"], "kind": c["kind"], "incar": {k: incar[k] for k in incar},
           "kpoints": [int(v) for v in kp.kpts[0]], "kpoints_style": str(kp.style)}
    if c["kind"] == "relax":
        p = Poscar.from_file(os.path.join(d, "POSCAR"))
        a = read(os.path.join(d, "POSCAR"), format="vasp")
        li = [i for i, s in enumerate(a.get_chemical_symbols()) if s == "Li"]
        rec.update(species=p.site_symbols, natoms=p.natoms, li=a.positions[li[0]].tolist(), n_li=len(li),
                   li_flags=[bool(v) for v in p.selective_dynamics[li[0]]],
                   host_frozen=all(not any(f) for i, f in enumerate(p.selective_dynamics) if i != li[0]))
    else:
        n = c["images"] + 2
        lis = []
        for i in range(n):
            path = os.path.join(d, f"{i:02d}", "POSCAR")
            Poscar.from_file(path)
            a = read(path, format="vasp")
            lis.append(a.positions[-1])
            cell = a.cell
        start = lis[0]
        vec, _ = find_mic(np.array([lis[-1] - start]), cell, pbc=[True, True, False])
        vec = vec[0]
        offsets = []
        ts = []
        for p in lis:
            dv, _ = find_mic(np.array([p - start]), cell, pbc=[True, True, False])
            dv = dv[0]
            t = float(np.dot(dv, vec) / np.dot(vec, vec))
            ts.append(t)
            offsets.append(float(np.linalg.norm(dv - t * vec)))
        rec.update(images=n, max_offset_from_line=max(offsets), t=ts, hop_length=float(np.linalg.norm(vec)),
                   ends=[lis[0].tolist(), lis[-1].tolist()])
    out["calcs"].append(rec)
print(json.dumps(out))
