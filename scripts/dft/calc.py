"""GPAW settings of the dataset (issue 5 standard) and a factory for calculators.

Energies in eV, lengths in Angstrom (ASE units).
"""
from gpaw import GPAW, FermiDirac, __version__ as GPAW_VERSION

STANDARD = {
    "mode": "lcao",
    "basis": "dzp",
    "xc": "PBE",
    "h_A": 0.2,
    "kpts": [2, 2, 1],
    "occupations": "fermi-dirac",
    "width_eV": 0.05,
    "convergence_density": 1e-4,
    "host": "frozen",
    "vacuum_each_side_A": 9.0,
    "poisson": "non-periodic along z (pbc = T T F), potential zero in the vacuum",
}


def code_version() -> str:
    """'GPAW <version>' string recorded in every output."""
    return f"GPAW {GPAW_VERSION}"


MOVING_ATOMS_SYMMETRY = "time reversal only (point group off) when Li moves"
"""Symmetry used for slab + Li: one calculator follows Li from site to site, and GPAW refuses
positions that break the point group detected at the first one."""


def make_calc(settings: dict, txt: str, kpts=None, spinpol: bool = False,
              point_group: bool = True) -> GPAW:
    """A GPAW calculator with `settings` (the STANDARD keys); `kpts` overrides settings['kpts'];
    point_group=False keeps only time-reversal symmetry (for atoms that move)."""
    return GPAW(
        mode=settings["mode"],
        basis=settings["basis"],
        xc=settings["xc"],
        h=settings["h_A"],
        kpts=tuple(kpts if kpts is not None else settings["kpts"]),
        occupations=FermiDirac(settings["width_eV"]),
        convergence={"density": settings["convergence_density"]},
        spinpol=spinpol,
        symmetry={"point_group": point_group},
        txt=txt,
    )
