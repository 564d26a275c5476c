#!/usr/bin/python3
"""Cross-check EPDI Lab's readers (lib/formats) against pymatgen and ASE, element by element.

Usage (from the repo root, Debian python3 with python3-pymatgen python3-ase):
    /usr/bin/python3 scripts/crosscheck/crosscheck.py [FILE ...]
Without files: the real fixtures in ../shared/fixtures/vasp. Our parse is dumped by scripts/crosscheck/dump.ts
(raw float32, x fastest) and compared with pymatgen (VolumetricData.from_file data, Poscar structure) and ASE
(VaspChargeDensity chg * volume, read_vasp). Prints max |ours - ref| per grid and structure; exits 1 when a
difference exceeds float32 rounding (2e-7 relative to the grid's max |value|, 1e-6 A for positions).
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "fixtures", "vasp")
DEFAULT = [
    "macrodensity/LOCPOT.test",
    "macrodensity/CHGCAR.test",
    "macrodensity/PARCHG.test",
    "macrodensity/POSCAR.test",
    "mos2-5x5/mos2/pristine-mos2/POSCAR",
    "mos2-5x5/mos2/pristine-mos2/CONTCAR",
]


def main():
    files = sys.argv[1:] or [os.path.join(SHARED, f) for f in DEFAULT if os.path.exists(os.path.join(SHARED, f))]
    if not files:
        print("no files (../shared/fixtures/vasp absent and none given)")
        return 0
    out = tempfile.mkdtemp(prefix="epdi-crosscheck-")
    subprocess.run(["npx", "tsx", "scripts/crosscheck/dump.ts", "--out", out, *files], cwd=ROOT, check=True)
    from pymatgen.io.vasp.outputs import VolumetricData
    from pymatgen.io.vasp.inputs import Poscar
    from ase.calculators.vasp import VaspChargeDensity
    from ase.io import read as ase_read

    bad = 0
    print(f"{'file':42} {'what':24} {'reference':10} {'max |diff|':>12} {'max |value|':>12}  ok")
    for n, f in enumerate(files):
        meta = json.load(open(os.path.join(out, f"{n}.json")))
        short = os.path.relpath(f, SHARED) if f.startswith(SHARED) else f
        rows = []
        vposcar = None
        lat = np.array(meta["lattice"])
        pos = np.array(meta["positions"])
        if meta["format"] == "volumetric":
            nx, ny, nz = meta["dims"]
            ours = [np.fromfile(os.path.join(out, f"{n}.grid{g}.f32"), dtype="<f4").reshape((nx, ny, nz), order="F")
                    for g in range(meta["grids"])]
            vposcar, data, _ = VolumetricData.parse_file(f)
            keys = [k for k in ("total", "diff", "diff_x", "diff_y", "diff_z") if k in data]
            for g, k in enumerate(keys[: len(ours)]):
                rows.append((f"grid {g} ({k})", "pymatgen", np.max(np.abs(ours[g] - data[k])), np.max(np.abs(data[k]))))
            if len(keys) != len(ours):
                rows.append(("grid count", "pymatgen", abs(len(keys) - len(ours)), len(keys)))
            try:
                cd = VaspChargeDensity(f)
                vol = abs(np.linalg.det(cd.atoms[-1].cell))
                ref = cd.chg[-1] * vol  # ASE divides by the volume
                rows.append(("grid 0", "ASE", np.max(np.abs(ours[0] - ref)), np.max(np.abs(ref))))
            except Exception as e:  # noqa: BLE001
                print(f"  ASE could not read {short}: {e}")
        try:
            s = vposcar.structure if meta["format"] == "volumetric" else Poscar.from_file(f).structure
            rows.append(("lattice", "pymatgen", np.max(np.abs(lat - s.lattice.matrix)), np.max(np.abs(lat))))
            rows.append(("positions (A)", "pymatgen", np.max(np.abs(pos - s.cart_coords)), np.max(np.abs(pos))))
            same = [str(sp) for sp in s.species] == meta["species"]
            if meta.get("speciesSource") == "file":
                rows.append(("species", "pymatgen", 0 if same else 1, 0))
            elif not same:  # VASP 4: pymatgen falls back to H, He, ...; we read the comment line
                print(f"  {short}: VASP 4 species: ours {sorted(set(meta['species']))} ({meta.get('speciesSource')}),"
                      f" pymatgen {sorted(set(str(x) for x in s.species))} (its fallback)")
        except Exception as e:  # noqa: BLE001
            print(f"  pymatgen Poscar could not read {short}: {e}")
        try:
            a = ase_read(f, format="vasp")
            rows.append(("positions (A)", "ASE", np.max(np.abs(pos - a.positions)), np.max(np.abs(pos))))
        except Exception as e:  # noqa: BLE001
            print(f"  ASE read_vasp could not read {short}: {e}")
        for what, ref, diff, scale in rows:
            tol = 2e-7 * max(1.0, scale) if what.startswith("grid") else (0 if what in ("species", "grid count") else 1e-6)
            ok = diff <= tol
            bad += not ok
            print(f"{short[:42]:42} {what:24} {ref:10} {diff:12.3e} {scale:12.5g}  {'ok' if ok else 'MISMATCH'}")
    print("all equal within float32 rounding" if not bad else f"{bad} mismatches")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
