"""Climbing-image NEB of one Li hop across a bridge, host frozen, Li free (ASE NEB + GPAW).

Writes data/demo/<surface>/neb/<bridge>/00..06/ (POSCAR of slab + Li and `energy`: total
energy in eV) and summary.json comparing the NEB saddle with the bridge height-scan energy.
Inner-image Li positions and the optimiser's Hessian block of the Li coordinates are
checkpointed after every optimiser step (.progress.json), so a rerun continues from the last
step with what BFGS had learnt.
"""
import os
import time

import numpy as np
from ase import Atoms
from ase.calculators.singlepoint import SinglePointCalculator
from ase.constraints import FixAtoms
from ase.neb import NEB
from ase.optimize import BFGS

from .calc import code_version, make_calc
from .sites import in_plane_distance
from .write import atomic_write, read_json, write_json, write_poscar

N_INNER = 5
"""Moving images between the two end points."""
FMAX_EV_A = 0.05
"""Force convergence of the climbing-image NEB (eV/Angstrom)."""
MAX_STEPS = 60
"""Most optimiser steps of one NEB run (per launch)."""
SPRING_EV_A2 = 0.1
"""NEB spring constant (eV/Angstrom^2)."""


def moving_indices(n_atoms: int, n_inner: int = N_INNER) -> "list[int]":
    """Indices of the inner images' Li coordinates (Li is each image's last atom) in the NEB's flat coordinates."""
    return [3 * (i * n_atoms + n_atoms - 1) + c for i in range(n_inner) for c in range(3)]


def bfgs_state(opt: BFGS, idx: "list[int]") -> "dict | None":
    """The part of a BFGS state that moves: the Hessian block, positions and forces of the free coordinates.
    With every other atom fixed (zero force, zero step) the rest of the Hessian stays at its initial diagonal."""
    if opt.H is None:
        return None
    return {"H": opt.H[np.ix_(idx, idx)].tolist(), "r0": opt.r0[idx].tolist(), "f0": opt.f0[idx].tolist()}


def restore_bfgs(opt: BFGS, state: dict, idx: "list[int]", positions: np.ndarray) -> None:
    """Put a saved BFGS state back, so a resumed optimisation continues with its Hessian instead of restarting."""
    opt.H = opt.H0.copy()
    opt.H[np.ix_(idx, idx)] = np.array(state["H"])
    opt.r0 = positions.ravel().copy()
    opt.r0[idx] = state["r0"]
    opt.f0 = np.zeros_like(opt.r0)
    opt.f0[idx] = state["f0"]


def site_record(surface, name: str) -> dict:
    """The finished checkpoint of the representative of site `name`'s group."""
    sites = read_json(os.path.join(surface.progress, "sites.json"))
    group = next(s["group"] for s in sites if s["name"] == name)
    rep = next(s["name"] for s in sites if s["group"] == group and s["representative"])
    rec = read_json(os.path.join(surface.progress, f"site-{rep}.json"))
    if rec is None or not rec["done"]:
        raise RuntimeError(f"{surface.name}: site {rep} (for {name}) is not computed yet")
    return rec


def _unwrapped(surface, xy: np.ndarray, near: np.ndarray) -> np.ndarray:
    """The periodic image of in-plane point `xy` nearest to `near` (Cartesian Angstrom)."""
    cell2 = surface.slab.cell.array[:2, :2]
    f = (np.asarray(xy) - near) @ np.linalg.inv(cell2)
    f -= np.round(f)
    return near + f @ cell2


def _initial_path(surface, bridge: dict, ends: "list[dict]") -> "list[np.ndarray]":
    """Li positions of images 00..06: A -> bridge -> B, straight in xy, heights from the scans."""
    b = np.array([bridge["x"], bridge["y"]])
    a_xyz = np.append(_unwrapped(surface, ends[0]["xy"], b), surface.z_top + ends[0]["height_A"])
    b_xyz = np.append(_unwrapped(surface, ends[1]["xy"], b), surface.z_top + ends[1]["height_A"])
    s_xyz = np.append(b, surface.z_top + bridge["height_A"])
    half = (N_INNER + 1) // 2
    first = [a_xyz + (s_xyz - a_xyz) * i / half for i in range(half)]
    second = [s_xyz + (b_xyz - s_xyz) * i / (N_INNER + 1 - half) for i in range(N_INNER + 2 - half)]
    return first + second


def run_hop(surface, bridge_name: str, log) -> None:
    """CI-NEB across `bridge_name` of `surface` (a run.Surface whose sites are computed)."""
    folder = os.path.join(surface.dir, "neb", bridge_name)
    if os.path.exists(os.path.join(folder, "summary.json")):
        return
    sites = read_json(os.path.join(surface.progress, "sites.json"))
    bridge = next(s for s in sites if s["name"] == bridge_name)
    bridge_rec = site_record(surface, bridge_name)
    bridge = dict(bridge, height_A=bridge_rec["height_A"])
    end_recs = [site_record(surface, n) for n in bridge["hop"]]
    ends = [dict(xy=np.array([s["x"], s["y"]]), height_A=r["height_A"])
            for n, r in zip(bridge["hop"], end_recs) for s in sites if s["name"] == n]
    path = _initial_path(surface, bridge, ends)
    ckpt_path = os.path.join(folder, ".progress.json")
    ckpt = read_json(ckpt_path, {"inner": None, "steps": 0, "wall_s": 0.0, "ends": {}})
    if ckpt["inner"] is not None:
        path[1:-1] = [np.array(p) for p in ckpt["inner"]]
    log(f"{surface.name} NEB {bridge_name}: {bridge['hop'][0]} -> {bridge['hop'][1]}, resume step {ckpt['steps']}")

    work = os.path.join(surface.work, f"neb-{bridge_name}")
    os.makedirs(work, exist_ok=True)
    images = []
    for i, li in enumerate(path):
        img = surface.slab + Atoms("Li", positions=[li])
        img.set_constraint(FixAtoms(indices=range(len(surface.slab))))
        img.calc = make_calc(surface.settings, os.path.join(work, f"{i:02d}.txt"), point_group=False)
        images.append(img)
    t0 = time.time()
    for key, img in (("00", images[0]), (f"{N_INNER + 1:02d}", images[-1])):
        if key not in ckpt["ends"]:
            ckpt["ends"][key] = float(img.get_potential_energy())
            write_json(ckpt_path, ckpt)
        # fixed end points: keep their energy, free the GPAW calculator
        img.calc = SinglePointCalculator(img, energy=ckpt["ends"][key], forces=np.zeros((len(img), 3)))

    neb = NEB(images, climb=True, k=SPRING_EV_A2)
    opt = BFGS(neb, maxstep=0.1, logfile=os.path.join(work, "bfgs.log"))
    idx = moving_indices(len(images[0]))
    if ckpt.get("bfgs"):
        restore_bfgs(opt, ckpt["bfgs"], idx, neb.get_positions())

    wall_before = ckpt["wall_s"]

    def checkpoint() -> None:
        ckpt["wall_s"] = round(wall_before + time.time() - t0, 1)
        ckpt["inner"] = [img.positions[-1].tolist() for img in images[1:-1]]
        ckpt["bfgs"] = bfgs_state(opt, idx)
        ckpt["steps"] += 1
        write_json(ckpt_path, ckpt)
        log(f"{surface.name} NEB {bridge_name}: force call {ckpt['steps']}, fmax = {_fmax(neb):.3f} eV/A")

    opt.attach(checkpoint, interval=1)
    converged = opt.run(fmax=FMAX_EV_A, steps=MAX_STEPS)
    ckpt["wall_s"] = round(wall_before + time.time() - t0, 1)
    write_json(ckpt_path, ckpt)
    if not converged:
        log(f"{surface.name} NEB {bridge_name}: not converged after {MAX_STEPS} steps; rerun continues")
        return
    energies = [ckpt["ends"]["00"]] + [float(img.get_potential_energy()) for img in images[1:-1]] \
        + [ckpt["ends"][f"{N_INNER + 1:02d}"]]
    for i, (img, e) in enumerate(zip(images, energies)):
        write_poscar(os.path.join(folder, f"{i:02d}", "POSCAR"), img, f"{surface.name} NEB {bridge_name} image {i:02d}")
        atomic_write(os.path.join(folder, f"{i:02d}", "energy"), f"{e:.6f}\n".encode())
    top = int(np.argmax(energies))
    saddle = images[top].positions[-1]
    write_json(os.path.join(folder, "summary.json"), {
        "surface": surface.name, "bridge": bridge_name, "hop": bridge["hop"], "code": code_version(),
        "settings": dict(surface.settings, neb="ASE CI-NEB, %d inner images, k = %.2f eV/A^2, "
                         "BFGS, fmax %.2f eV/A, host frozen, Li free" % (N_INNER, SPRING_EV_A2, FMAX_EV_A)),
        "energies_eV": energies, "E_saddle_NEB_eV": energies[top], "saddle_image": top,
        "saddle_xyz_A": saddle.tolist(),
        "E_bridge_scan_eV": bridge_rec["E_total_eV"],
        "E_bridge_minus_NEB_saddle_eV": bridge_rec["E_total_eV"] - energies[top],
        "saddle_offset_from_bridge_xy_A": in_plane_distance(surface.slab, saddle[:2],
                                                            np.array([bridge["x"], bridge["y"]])),
        "steps": ckpt["steps"], "wall_s": round(ckpt["wall_s"], 1),
    })
    log(f"{surface.name} NEB {bridge_name}: E_bridge - E_saddle = "
        f"{bridge_rec['E_total_eV'] - energies[top]:.3f} eV")


def _fmax(neb: NEB) -> float:
    """Largest NEB force on a moving image (eV/Angstrom)."""
    return float(np.sqrt((neb.get_forces() ** 2).sum(axis=1).max()))
