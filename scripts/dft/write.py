"""Writers of the surface-folder files (DESIGN.md section 3); every write is atomic (tmp + rename)."""
import csv
import gzip
import io
import json
import os

import numpy as np
from ase import Atoms
from ase.io import write as ase_write

LABEL_COLUMNS = ["site", "kind", "x", "y", "z", "E_total_eV", "E_b_eV", "method", "note",
                 "height_A", "wall_s"]


def atomic_write(path: str, data: bytes) -> None:
    """Write bytes to `path` through a temporary file in the same folder and a rename."""
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def write_json(path: str, obj) -> None:
    """Atomically write `obj` as indented JSON."""
    atomic_write(path, (json.dumps(obj, indent=1, sort_keys=True) + "\n").encode())


def read_json(path: str, default=None):
    """The JSON in `path`, or `default` when the file does not exist."""
    if not os.path.exists(path):
        return default
    with open(path) as fh:
        return json.load(fh)


def poscar_text(atoms: Atoms, comment: str) -> str:
    """VASP 5 POSCAR (species line, Direct coordinates, atoms grouped by species in alphabetical
    order, e.g. 'Li Mo S V') of `atoms` as text."""
    buf = io.StringIO()
    ase_write(buf, atoms, format="vasp", direct=True, vasp5=True, sort=True, label=comment)
    return buf.getvalue()


def write_poscar(path: str, atoms: Atoms, comment: str) -> None:
    """Atomically write a VASP 5 POSCAR."""
    atomic_write(path, poscar_text(atoms, comment).encode())


def locpot_text(atoms: Atoms, potential_eV: np.ndarray, comment: str) -> str:
    """VASP LOCPOT text: POSCAR header, blank line, 'NGX NGY NGZ', values x fastest, 5 per line.

    `potential_eV` has shape [nx, ny, nz] (point (i, j, k) at fractional (i/nx, j/ny, k/nz)),
    in eV, used as given (no volume factor, as VASP's LOCPOT).
    """
    nx, ny, nz = potential_eV.shape
    flat = np.asarray(potential_eV, dtype=float).ravel(order="F")  # x fastest (Fortran order)
    lines = [poscar_text(atoms, comment).rstrip("\n"), "", f"{nx:5d}{ny:5d}{nz:5d}"]
    for start in range(0, flat.size, 5):
        lines.append(" ".join(f"{v:.5E}" for v in flat[start:start + 5]))
    return "\n".join(lines) + "\n"


def write_locpot_gz(path: str, atoms: Atoms, potential_eV: np.ndarray, comment: str) -> None:
    """Atomically write a gzip-compressed LOCPOT (see locpot_text)."""
    atomic_write(path, gzip.compress(locpot_text(atoms, potential_eV, comment).encode(), 6))


def write_labels(path: str, rows: "list[dict]") -> None:
    """Atomically write labels.csv with LABEL_COLUMNS; missing values are left empty."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=LABEL_COLUMNS, lineterminator="\n")
    w.writeheader()
    for row in rows:
        w.writerow({k: row.get(k, "") for k in LABEL_COLUMNS})
    atomic_write(path, buf.getvalue().encode())
