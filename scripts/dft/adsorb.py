"""Li height relaxation at a fixed in-plane site: a height scan plus a parabola fit.

Heights are measured from the mean z of the top X plane (Angstrom); energies in eV.
The host is frozen and Li keeps its xy; only the height changes.
"""
import time

import numpy as np
from ase import Atoms

LI_X_BOND_A = {"S": 2.40, "Se": 2.55, "Te": 2.75}
"""Li-X bond length used for the first height guess (Angstrom; MoS2: Li-S 2.4 A)."""
SCAN_STEP_A = 0.25
"""Spacing of the height scan (Angstrom)."""
MIN_HEIGHT_A = 0.8
"""Lowest height ever tried (Angstrom)."""
MAX_POINTS = 6
"""Most heights computed for one site (3 + extensions when the minimum is not bracketed)."""


def height_guess(in_plane_to_x_A: float, chalcogen: str) -> float:
    """Height at which Li sits one Li-X bond from the nearest top-layer X atom (Angstrom)."""
    bond = LI_X_BOND_A[chalcogen]
    return round(max(MIN_HEIGHT_A + SCAN_STEP_A, np.sqrt(max(bond**2 - in_plane_to_x_A**2, 0.0))), 2)


def next_height(points: "list[list[float]]", guess: float) -> "float | None":
    """The next height to compute, or None once the minimum is bracketed (or MAX_POINTS reached).

    `points` is a list of [height_A, energy_eV, wall_s]. Order: guess, guess + step,
    guess - step, then further steps beyond whichever end holds the lowest energy.
    """
    done = sorted(p[0] for p in points)
    for h in (guess, guess + SCAN_STEP_A, guess - SCAN_STEP_A):
        if h >= MIN_HEIGHT_A and not any(abs(h - d) < 1e-6 for d in done):
            return round(h, 3)
    if len(points) >= MAX_POINTS:
        return None
    best = min(points, key=lambda p: p[1])[0]
    if abs(best - done[-1]) < 1e-6:
        return round(best + SCAN_STEP_A, 3)
    if abs(best - done[0]) < 1e-6 and best - SCAN_STEP_A >= MIN_HEIGHT_A - 1e-6:
        return round(best - SCAN_STEP_A, 3)
    return None


def fit_minimum(points: "list[list[float]]") -> "tuple[float, float, str]":
    """(height_A, energy_eV, method) from the parabola through the lowest point and its neighbours.

    Falls back to the lowest computed point when it is at the end of the scan or the
    parabola is not convex.
    """
    pts = sorted(points)
    i = int(np.argmin([p[1] for p in pts]))
    if i == 0 or i == len(pts) - 1:
        return pts[i][0], pts[i][1], "scan-lowest-point (minimum not bracketed)"
    h = np.array([p[0] for p in pts[i - 1:i + 2]])
    e = np.array([p[1] for p in pts[i - 1:i + 2]])
    c2, c1, c0 = np.polyfit(h, e, 2)
    if c2 <= 0:
        return pts[i][0], pts[i][1], "scan-lowest-point (non-convex)"
    h_min = -c1 / (2 * c2)
    return float(h_min), float(c0 + c1 * h_min + c2 * h_min**2), "height-scan-parabola-minimum"


def li_energy(slab_li: Atoms, xy: np.ndarray, z_top: float, height_A: float) -> "tuple[float, float]":
    """(total energy eV, wall s) of `slab_li` (last atom Li, calculator attached) with Li at
    (xy, z_top + height_A). Reusing one calculator reuses the previous density."""
    pos = slab_li.positions.copy()
    pos[-1] = [xy[0], xy[1], z_top + height_A]
    slab_li.positions = pos
    t0 = time.time()
    energy = slab_li.get_potential_energy()
    return float(energy), time.time() - t0
