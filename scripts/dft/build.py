"""Structure builder: 3x3 MX2 monolayer supercells, pristine or with one metal substituted.

Frame: Cartesian Angstrom, a along x, b at 120 degrees, c (surface normal) along z.
The slab is centred in z with VACUUM_A of vacuum on each side; Li goes above the top X
layer (largest z).
"""
import re
from dataclasses import dataclass

from ase import Atoms
from ase.build import mx2

VACUUM_A = 9.0
"""Vacuum on each side of the slab (Angstrom)."""


@dataclass(frozen=True)
class Host:
    """An MX2 monolayer: in-plane lattice constant a and X-X vertical thickness (Angstrom)."""

    formula: str
    metal: str
    chalcogen: str
    phase: str  # '2H' (trigonal prismatic) or '1T' (octahedral)
    a_A: float
    thickness_A: float
    source: str


_SRC = ("PBE monolayer values as tabulated by the Computational 2D Materials Database "
        "(Rasmussen & Thygesen, J. Phys. Chem. C 119, 13169 (2015); Haastrup et al., "
        "2D Mater. 5, 042002 (2018)), rounded to 0.01 A; host kept frozen")

HOSTS = {
    h.formula: h
    for h in (
        Host("MoS2", "Mo", "S", "2H", 3.18, 3.13, _SRC),
        Host("WS2", "W", "S", "2H", 3.18, 3.14, _SRC),
        Host("MoSe2", "Mo", "Se", "2H", 3.32, 3.34, _SRC),
        Host("ZrS2", "Zr", "S", "1T", 3.69, 2.91, _SRC),
        Host("HfS2", "Hf", "S", "1T", 3.64, 2.88, _SRC),
    )
}

DOPANTS = ("V", "Nb", "Cr", "Ti", "Zr", "Mo", "W")

_FORMULA = re.compile(r"^([A-Z][a-z]?)(S|Se|Te)2$")
USER_SOURCE = "user-supplied on the command line (--host); host kept frozen"


def parse_host_spec(text: str) -> Host:
    """'WSe2:2H:3.32:3.36' -> Host (formula:phase:a_A:thickness_A), for an MX2 not in HOSTS.

    The formula must be metal + S, Se or Te + '2'; phase 2H or 1T; a and thickness in Angstrom.
    """
    parts = text.split(":")
    if len(parts) != 4:
        raise ValueError(f"host spec {text!r}: expected FORMULA:PHASE:a_A:thickness_A, e.g. WSe2:2H:3.32:3.36")
    formula, phase, a_text, t_text = parts
    match = _FORMULA.match(formula)
    if match is None:
        raise ValueError(f"host spec {text!r}: formula {formula!r} is not MX2 with X = S, Se or Te")
    if phase not in ("2H", "1T"):
        raise ValueError(f"host spec {text!r}: phase {phase!r} is not 2H or 1T")
    try:
        a_A, thickness_A = float(a_text), float(t_text)
    except ValueError:
        raise ValueError(f"host spec {text!r}: a and thickness must be numbers (Angstrom)") from None
    if not (2.0 <= a_A <= 5.0 and 1.0 <= thickness_A <= 5.0):
        raise ValueError(f"host spec {text!r}: a = {a_A} A or thickness = {thickness_A} A is not an MX2 monolayer's")
    return Host(formula, match.group(1), match.group(2), phase, a_A, thickness_A, USER_SOURCE)


def register_host(host: Host) -> None:
    """Add `host` to HOSTS; a formula already there must come with the same values."""
    known = HOSTS.get(host.formula)
    if known is not None and (known.phase, known.a_A, known.thickness_A) != (host.phase, host.a_A, host.thickness_A):
        raise ValueError(f"{host.formula} is already defined ({known.phase}, a = {known.a_A} A, "
                         f"thickness = {known.thickness_A} A); a surface folder holds one structure")
    if known is None:
        HOSTS[host.formula] = host


def surface_name(host: str, dopant: "str | None") -> str:
    """Folder name of a surface: 'MoS2' (pristine) or 'MoS2-V'."""
    return host if dopant is None else f"{host}-{dopant}"


def build_slab(host: str, dopant: "str | None" = None, size: int = 3) -> Atoms:
    """Return a size x size supercell of `host`, with the metal at the origin replaced by `dopant`.

    Cell: [[a*size, 0, 0], [-a*size/2, a*size*sqrt(3)/2, 0], [0, 0, thickness + 2*VACUUM_A]],
    pbc (True, True, False). Atom order: ASE's mx2 order (M, X_top, X_bottom per cell).
    """
    h = HOSTS[host]
    if dopant is not None and dopant == h.metal:
        raise ValueError(f"dopant {dopant} is the host metal of {host}")
    atoms = mx2(h.formula, kind=h.phase, a=h.a_A, thickness=h.thickness_A,
                size=(size, size, 1), vacuum=VACUUM_A)
    atoms.pbc = (True, True, False)
    if dopant is not None:
        metals = [i for i, s in enumerate(atoms.get_chemical_symbols()) if s == h.metal]
        # the metal nearest the cell origin in the plane is the dopant site
        origin = min(metals, key=lambda i: sum(atoms.positions[i, :2] ** 2))
        atoms[origin].symbol = dopant
    return atoms
