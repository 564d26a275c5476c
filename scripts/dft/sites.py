"""Li adsorption sites above the top chalcogen layer, with the rule of the app's EPDI engine.

Rule: project the top X layer onto the surface plane; periodic Delaunay triangulation
(scipy Delaunay of the 3x3 replicated images, keeping triangles whose centroid lies in the
home cell). Each centroid is a hollow, classified by what lies under it in projection within
UNDER_TOL_A: a metal -> 'T_M', a lower-layer X -> 'H_X' (1T), nothing -> 'H' (2H). Each edge
shared by two triangles is a 'bridge' at the edge midpoint, the first guess of the saddle of
the hop between those two hollows.

Positions are Cartesian Angstrom; sites carry xy only, heights are added by the driver.
"""
from dataclasses import dataclass, field

import numpy as np
from ase import Atoms
from scipy.spatial import Delaunay

LAYER_TOL_A = 0.5
"""Atoms within this z distance of the highest X form the top layer (Angstrom)."""
UNDER_TOL_A = 0.5
"""In-plane distance within which an atom counts as 'under' a hollow (Angstrom)."""
SIGNATURE_CUTOFF_A = 8.0
"""Radius of the distance signature used to group equivalent sites (Angstrom)."""
SIGNATURE_TOL_A = 0.02
"""Two signatures are equal when every distance agrees within this (Angstrom)."""
PROBE_HEIGHT_A = 1.5
"""Height above the top X plane at which signatures are taken (Angstrom)."""


@dataclass
class Site:
    """A Li site: name, kind, in-plane Cartesian position (Angstrom), hop ends for bridges."""

    name: str
    kind: str
    xy: np.ndarray
    hop: "tuple[str, str] | None" = None
    group: int = -1
    members: list = field(default_factory=list)


def top_layer(atoms: Atoms, chalcogen: str) -> np.ndarray:
    """Indices of the chalcogen atoms within LAYER_TOL_A of the highest one."""
    idx = np.array([a.index for a in atoms if a.symbol == chalcogen])
    z = atoms.positions[idx, 2]
    return idx[z > z.max() - LAYER_TOL_A]


def _wrap_frac(atoms: Atoms, xy: np.ndarray) -> np.ndarray:
    """In-plane fractional coordinates of Cartesian xy points, wrapped into [0, 1). Shape [n, 2]."""
    inv = np.linalg.inv(atoms.cell.array[:2, :2])
    f = np.asarray(xy) @ inv
    f = f - np.floor(f + 1e-8)
    f[f > 1 - 1e-8] = 0.0
    return f


def _cart(atoms: Atoms, frac: np.ndarray) -> np.ndarray:
    """Cartesian xy of in-plane fractional coordinates. Shape [n, 2]."""
    return np.asarray(frac) @ atoms.cell.array[:2, :2]


def _key(frac: np.ndarray) -> tuple:
    """Hashable key of a wrapped fractional point, tolerant to round-off."""
    return tuple(np.round(frac, 4) % 1.0)


def _classify(atoms: Atoms, top: np.ndarray, xy: np.ndarray, chalcogen: str) -> str:
    """Kind of the hollow at Cartesian xy: what lies under it in projection (periodic)."""
    others = [i for i in range(len(atoms)) if i not in set(top)]
    cell2 = atoms.cell.array[:2, :2]
    for i in others:
        d = atoms.positions[i, :2] - xy
        f = d @ np.linalg.inv(cell2)
        f -= np.round(f)
        if np.linalg.norm(f @ cell2) < UNDER_TOL_A:
            return "H_X" if atoms[i].symbol == chalcogen else "T_M"
    return "H"


def find_sites(atoms: Atoms, chalcogen: str) -> "list[Site]":
    """Hollows and bridges of the top X layer of a slab (pbc in a and b).

    Returns hollows first ('T_M', 'H' or 'H_X'; named e.g. 'T_M-00'), then bridges named
    'bridge-00' with `hop` = the names of the two hollows that share its edge.
    """
    top = top_layer(atoms, chalcogen)
    frac0 = _wrap_frac(atoms, atoms.positions[top, :2])
    shifts = np.array([(i, j) for i in (-1, 0, 1) for j in (-1, 0, 1)], float)
    frac = np.concatenate([frac0 + s for s in shifts])
    tri = Delaunay(_cart(atoms, frac))
    cen = np.array([frac[t].mean(axis=0) for t in tri.simplices])
    home = np.all((cen >= -1e-8) & (cen < 1 - 1e-8), axis=1)

    hollow_of = {}  # wrapped centroid key -> hollow name
    sites = []
    counts = {}
    for t in np.flatnonzero(home):
        xy = _cart(atoms, cen[t])
        kind = _classify(atoms, top, xy, chalcogen)
        name = f"{kind}-{counts.get(kind, 0):02d}"
        counts[kind] = counts.get(kind, 0) + 1
        hollow_of[_key(cen[t])] = name
        sites.append(Site(name, kind, xy))

    edge_tris = {}
    for t, simplex in enumerate(tri.simplices):
        for a, b in ((0, 1), (1, 2), (2, 0)):
            edge_tris.setdefault(frozenset((simplex[a], simplex[b])), []).append(t)
    bridges = {}
    for t in np.flatnonzero(home):
        for a, b in ((0, 1), (1, 2), (2, 0)):
            edge = frozenset((tri.simplices[t][a], tri.simplices[t][b]))
            owners = edge_tris[edge]
            if len(owners) != 2:
                continue  # hull edge of the replicated patch: never reached from home triangles
            mid = _wrap_frac(atoms, _cart(atoms, frac[list(edge)].mean(axis=0))[None])[0]
            key = _key(mid)
            if key in bridges:
                continue
            ends = tuple(sorted(hollow_of[_key(cen[o] - np.floor(cen[o] + 1e-8))] for o in owners))
            bridges[key] = Site(f"bridge-{len(bridges):02d}", "bridge", _cart(atoms, mid), hop=ends)
    return sites + list(bridges.values())


def _signature(atoms: Atoms, xy: np.ndarray, z: float) -> "dict[str, np.ndarray]":
    """Per species, the sorted distances to every atom image within SIGNATURE_CUTOFF_A of (xy, z)."""
    p = np.array([xy[0], xy[1], z])
    cell = atoms.cell.array
    n = int(np.ceil(SIGNATURE_CUTOFF_A / min(atoms.cell.lengths()[:2]))) + 1
    symbols = np.array(atoms.get_chemical_symbols())
    out = {}
    for sym in sorted(set(symbols)):
        pos = atoms.positions[symbols == sym]
        d = np.concatenate([np.linalg.norm(pos + i * cell[0] + j * cell[1] - p, axis=1)
                            for i in range(-n, n + 1) for j in range(-n, n + 1)])
        out[sym] = np.sort(d[d < SIGNATURE_CUTOFF_A])
    return out


def _same(sig1: dict, sig2: dict) -> bool:
    """Whether two signatures agree species by species within SIGNATURE_TOL_A.

    Atoms close to the cutoff may fall on either side of it; only distances below
    SIGNATURE_CUTOFF_A - 2 * SIGNATURE_TOL_A are compared.
    """
    lim = SIGNATURE_CUTOFF_A - 2 * SIGNATURE_TOL_A
    for sym in set(sig1) | set(sig2):
        a = sig1.get(sym, np.empty(0))
        b = sig2.get(sym, np.empty(0))
        a, b = a[a < lim], b[b < lim]
        if len(a) != len(b) or np.any(np.abs(a - b) >= SIGNATURE_TOL_A):
            return False
    return True


def group_equivalent(atoms: Atoms, sites: "list[Site]", chalcogen: str, centre_xy: np.ndarray) -> "list[Site]":
    """Group symmetry-equivalent sites by their distance signature to all atoms.

    Sets `group` and `members` on every site and returns one representative per group, the
    member nearest (minimum image, in plane) to `centre_xy` (the dopant; any metal if pristine).
    """
    z = atoms.positions[top_layer(atoms, chalcogen), 2].mean() + PROBE_HEIGHT_A
    reps, sigs = [], []
    for s in sites:
        sig = _signature(atoms, s.xy, z)
        for g, (rep, rsig) in enumerate(zip(reps, sigs)):
            if rep.kind == s.kind and _same(sig, rsig):
                s.group = g
                rep.members.append(s.name)
                if in_plane_distance(atoms, s.xy, centre_xy) < in_plane_distance(atoms, rep.xy, centre_xy) - 1e-6:
                    s.members, rep.members = rep.members, []
                    reps[g] = s
                break
        else:
            s.group = len(reps)
            s.members = [s.name]
            reps.append(s)
            sigs.append(sig)
    return reps


def in_plane_distance(atoms: Atoms, xy1: np.ndarray, xy2: np.ndarray) -> float:
    """Minimum-image in-plane distance between two Cartesian xy points (Angstrom)."""
    cell2 = atoms.cell.array[:2, :2]
    f = (np.asarray(xy1) - np.asarray(xy2)) @ np.linalg.inv(cell2)
    f -= np.round(f)
    best = min(np.linalg.norm((f + (i, j)) @ cell2) for i in (-1, 0, 1) for j in (-1, 0, 1))
    return float(best)
