"""Li chemical-potential references: the isolated spin-polarised atom and bcc Li (per atom).

Both are computed once per settings and stored in data/demo/references.json (energies in eV,
lengths in Angstrom). bcc Li uses its own PBE lattice constant from an E(V) fit.
"""
import time

import numpy as np
from ase import Atoms
from ase.build import bulk
from ase.eos import EquationOfState

from .calc import code_version, make_calc
from .write import read_json, write_json

ATOM_BOX_A = 12.0
"""Edge of the cubic box of the isolated Li atom (Angstrom)."""
BCC_A_GUESS_A = (3.38, 3.42, 3.46, 3.50, 3.54)
"""bcc Li lattice constants of the E(V) scan (Angstrom); PBE gives about 3.43."""
BCC_KPTS = (12, 12, 12)
"""k-point mesh of the 1-atom bcc cell."""


def _atom_energy(settings: dict, txt: str) -> float:
    """Total energy of one spin-polarised Li atom (magnetic moment 1) in a cubic box (eV)."""
    atom = Atoms("Li", magmoms=[1.0], cell=[ATOM_BOX_A] * 3, pbc=False)
    atom.center()
    atom.calc = make_calc(settings, txt, kpts=(1, 1, 1), spinpol=True)
    return atom.get_potential_energy()


def _bcc(settings: dict, txt: str) -> "tuple[float, float]":
    """(energy per atom at the E(V) minimum in eV, lattice constant in Angstrom) of bcc Li."""
    volumes, energies = [], []
    for a in BCC_A_GUESS_A:
        li = bulk("Li", "bcc", a=a)
        li.calc = make_calc(settings, txt, kpts=BCC_KPTS)
        energies.append(li.get_potential_energy())
        volumes.append(li.get_volume())
    v0, e0, _ = EquationOfState(volumes, energies, eos="birchmurnaghan").fit()
    return float(e0), float((2 * v0) ** (1 / 3))


def ensure_references(path: str, settings: dict, work: str) -> dict:
    """Return the reference entry for `settings`, computing and storing it first if missing.

    `path` holds {"entries": [{"settings", "code", "E_atom_eV", "E_bcc_per_atom_eV",
    "a_bcc_A", "wall_s"}]}; entries with other settings are kept.
    """
    doc = read_json(path, {"entries": []})
    for entry in doc["entries"]:
        if entry["settings"] == settings:
            return entry
    t0 = time.time()
    e_atom = _atom_energy(settings, f"{work}/li_atom.txt")
    e_bcc, a_bcc = _bcc(settings, f"{work}/li_bcc.txt")
    entry = {"settings": settings, "code": code_version(), "E_atom_eV": e_atom,
             "E_bcc_per_atom_eV": e_bcc, "a_bcc_A": a_bcc,
             "bcc_kpts": list(BCC_KPTS), "atom_box_A": ATOM_BOX_A,
             "cohesive_energy_eV": e_atom - e_bcc, "wall_s": round(time.time() - t0, 1)}
    doc["entries"].append(entry)
    write_json(path, doc)
    return entry
