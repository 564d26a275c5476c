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
SYMMETRY_TOL_A = 0.05
"""Two points coincide under a symmetry operation within this distance (Angstrom)."""


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


def _hexagonal_candidates() -> "list[np.ndarray]":
    """The 12 in-plane point operations of C6v (6 rotations by k*60 deg, 6 mirrors at k*30 deg), 2x2 matrices."""
    ops = []
    for k in range(6):
        t = k * np.pi / 3
        ops.append(np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]]))
    for k in range(6):
        t = 2 * k * np.pi / 6  # mirror line at k * 30 degrees
        ops.append(np.array([[np.cos(t), np.sin(t)], [np.sin(t), -np.cos(t)]]))
    return ops


def _periodic_match(atoms: Atoms, xy: np.ndarray, targets: np.ndarray) -> bool:
    """Whether Cartesian xy coincides (in-plane, periodic, within SYMMETRY_TOL_A) with any target point."""
    cell2 = atoms.cell.array[:2, :2]
    f = (targets - xy) @ np.linalg.inv(cell2)
    f -= np.round(f)
    return bool(np.any(np.linalg.norm(f @ cell2, axis=1) < SYMMETRY_TOL_A))


def symmetry_operations(atoms: Atoms, centre: int) -> "list[tuple[np.ndarray, np.ndarray]]":
    """In-plane operations x' = c + M (x - c) + t (height unchanged) that map the slab onto itself.

    Candidates: the 12 of C6v about atom `centre` (the dopant, or a host metal of a pristine slab), and
    the translations from `centre` to the other atoms of its species (the primitive translations of a
    pristine supercell; none for a single dopant). Returns (M, t) pairs; with the supercell's lattice
    translations they generate the symmetry group used for grouping (the app's engine does the same).
    """
    c = atoms.positions[centre, :2]
    symbols = np.array(atoms.get_chemical_symbols())
    z = atoms.positions[:, 2]
    candidates = [(m, np.zeros(2)) for m in _hexagonal_candidates()]
    candidates += [(np.eye(2), atoms.positions[j, :2] - c)
                   for j in np.flatnonzero(symbols == symbols[centre]) if j != centre]
    ops = []
    for m, t in candidates:
        ok = True
        for i in range(len(atoms)):
            same = (symbols == symbols[i]) & (np.abs(z - z[i]) < SYMMETRY_TOL_A)
            if not _periodic_match(atoms, c + m @ (atoms.positions[i, :2] - c) + t, atoms.positions[same, :2]):
                ok = False
                break
        if ok:
            ops.append((m, t))
    return ops


def group_equivalent(atoms: Atoms, sites: "list[Site]", centre: int) -> "list[Site]":
    """Group symmetry-equivalent sites (union-find over symmetry_operations about atom `centre`).

    Sets `group` (numbered by first appearance) and `members` on every site and returns one
    representative per group: the member nearest (minimum image, in plane) to the centre atom.
    """
    c = atoms.positions[centre, :2]
    parent = list(range(len(sites)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    xy = np.array([s.xy for s in sites])
    for m, t in symmetry_operations(atoms, centre):
        for i, s in enumerate(sites):
            image = c + m @ (s.xy - c) + t
            for j in range(len(sites)):
                if sites[j].kind == s.kind and _periodic_match(atoms, image, xy[j][None]):
                    parent[root(j)] = root(i)
    groups = {}
    for i, s in enumerate(sites):
        groups.setdefault(root(i), []).append(s)
    reps = []
    for g, members in enumerate(sorted(groups.values(), key=lambda ms: sites.index(ms[0]))):
        rep = min(members, key=lambda s: (round(in_plane_distance(atoms, s.xy, c), 6), sites.index(s)))
        for s in members:
            s.group = g
        rep.members = [s.name for s in members]
        reps.append(rep)
    return reps


def in_plane_distance(atoms: Atoms, xy1: np.ndarray, xy2: np.ndarray) -> float:
    """Minimum-image in-plane distance between two Cartesian xy points (Angstrom)."""
    cell2 = atoms.cell.array[:2, :2]
    f = (np.asarray(xy1) - np.asarray(xy2)) @ np.linalg.inv(cell2)
    f -= np.round(f)
    best = min(np.linalg.norm((f + (i, j)) @ cell2) for i in (-1, 0, 1) for j in (-1, 0, 1))
    return float(best)
