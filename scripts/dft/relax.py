"""Size of the frozen-host approximation on one hop: Li and its nearest host atoms relaxed (BFGS) at the hop's two end
minima and at its bridge, against the frozen-host height-scan energies of the labels.

Li keeps its xy at every knot (as in the labels), only its height relaxes, so the difference is the host's
relaxation alone; the CI-NEB (neb.py, host frozen) measures the other approximation, the fixed xy of the bridge.
The same atoms are also relaxed in the host without Li: the ideal host is not at its own force minimum, and what it
gains alone is subtracted to leave the relaxation Li causes. Frozen energies are the SCFs at the labels' geometry
(the first step of each knot), so frozen and relaxed barriers share one footing.
Free host atoms: the FREE_COUNT top-layer X atoms nearest (in plane) to the bridge, i.e. the four X atoms of the two
triangles the hop crosses (2 at a/2, 2 at a sqrt(3)/2; the next at 1.32 a), the first shell of all three knots. Every optimiser step is checkpointed in
<surface>/.progress/relax-<bridge>.json (positions of the moving atoms, energies, BFGS block), so a rerun continues.
"""
import os
import time

import numpy as np
from ase import Atoms
from ase.constraints import FixAtoms, FixCartesian
from ase.optimize import BFGS

from .calc import make_calc
from .neb import bfgs_state, restore_bfgs, site_record
from .sites import in_plane_distance, top_layer
from .write import read_json, write_json

FREE_COUNT = 4
"""How many top-layer X atoms, nearest to the bridge, relax."""
FMAX_EV_A = 0.05
"""Force convergence (eV/Angstrom)."""
MAX_STEPS = 40
"""Most optimiser steps per knot and launch."""


def free_atoms(slab: Atoms, chalcogen: str, point_xy: np.ndarray, count: int = FREE_COUNT) -> "list[int]":
    """Indices of the `count` top-layer X atoms nearest (in plane, periodic) to `point_xy`."""
    top = top_layer(slab, chalcogen)
    near = sorted(top, key=lambda i: in_plane_distance(slab, slab.positions[i, :2], point_xy))
    return sorted(int(i) for i in near[:count])


def constrained(slab: Atoms, li_xyz: np.ndarray, free: "list[int]", adsorbate: str = "Li") -> Atoms:
    """Slab + the adsorbate (Li; last atom) with every host atom fixed but `free`, and the adsorbate fixed in x, y."""
    atoms = slab + Atoms(adsorbate, positions=[li_xyz])
    li = len(atoms) - 1
    fixed = [i for i in range(len(slab)) if i not in set(free)]
    atoms.set_constraint([FixAtoms(indices=fixed), FixCartesian(li, mask=(True, True, False))])
    return atoms


def relax_knot(atoms: Atoms, state: dict, save, fmax: float = FMAX_EV_A, steps: int = MAX_STEPS,
               adsorbate: bool = True) -> dict:
    """BFGS on `atoms` (calculator attached; the last atom is the adsorbate unless `adsorbate` is False) from `state`
    (a knot's checkpoint, updated in place and passed to `save` after every step); returns the state, `done` once
    converged."""
    moving = [*state["free"], len(atoms) - 1] if adsorbate else list(state["free"])
    if state.get("positions"):
        pos = atoms.positions.copy()
        pos[moving] = state["positions"]
        atoms.positions = pos
    idx = [3 * a + c for a in moving for c in range(3)]
    opt = BFGS(atoms, maxstep=0.1, logfile=None)
    if state.get("bfgs"):
        restore_bfgs(opt, state["bfgs"], idx, atoms.positions)
    t0, wall_before = time.time(), state.get("wall_s", 0.0)

    def checkpoint() -> None:
        forces = atoms.get_forces()
        state.update(positions=atoms.positions[moving].tolist(), energy_eV=float(atoms.get_potential_energy()),
                     fmax_eV_A=float(np.sqrt((forces ** 2).sum(axis=1).max())), bfgs=bfgs_state(opt, idx),
                     steps=state.get("steps", 0) + 1, wall_s=round(wall_before + time.time() - t0, 1))
        state.setdefault("E_start_eV", state["energy_eV"])
        save()

    opt.attach(checkpoint, interval=1)
    state["done"] = bool(opt.run(fmax=fmax, steps=steps))
    state["wall_s"] = round(wall_before + time.time() - t0, 1)
    save()
    return state


def run_hop(surface, bridge_name: str, log) -> None:
    """Relax the two end minima and the bridge of `bridge_name` on `surface` (a run.Surface with its sites done)."""
    path = os.path.join(surface.progress, f"relax-{bridge_name}.json")
    ckpt = read_json(path, {"knots": {}})
    if ckpt.get("done") and "host" in ckpt["knots"]:
        return
    sites = {s["name"]: s for s in read_json(os.path.join(surface.progress, "sites.json"))}
    bridge = sites[bridge_name]
    free = free_atoms(surface.slab, surface.spec.chalcogen, np.array([bridge["x"], bridge["y"]]))
    log(f"{surface.name} relax {bridge_name}: knots {bridge['hop'][0]}, {bridge_name}, {bridge['hop'][1]}; "
        f"free host atoms {free}")
    knots = (bridge["hop"][0], bridge_name, bridge["hop"][1])
    for name in (*knots, "host"):
        state = ckpt["knots"].setdefault(name, {"free": free})
        if state.get("done"):
            continue
        if name == "host":
            atoms = surface.slab.copy()
            atoms.set_constraint(FixAtoms(indices=[i for i in range(len(atoms)) if i not in set(free)]))
        else:
            rec = site_record(surface, name)
            state.update(E_frozen_label_eV=rec["E_total_eV"], height_frozen_A=rec["height_A"])
            atoms = constrained(surface.slab, np.array([sites[name]["x"], sites[name]["y"],
                                                        surface.z_top + rec["height_A"]]), free)
        atoms.calc = make_calc(surface.settings, os.path.join(surface.work, f"relax-{bridge_name}-{name}.txt"),
                               point_group=False)
        relax_knot(atoms, state, lambda: write_json(path, ckpt), adsorbate=name != "host")
        if not state["done"]:
            log(f"{surface.name} relax {bridge_name}: {name} not converged after {MAX_STEPS} steps; rerun continues")
            return
        log(f"{surface.name} relax {bridge_name}: {name} relaxes by "
            f"{(state['energy_eV'] - state['E_start_eV']) * 1000:.1f} meV in {state['steps']} steps")
    ckpt.update(done=True, bridge=bridge_name, hop=bridge["hop"], free_atoms=free, fmax_eV_A=FMAX_EV_A,
                **hop_relaxation(*(ckpt["knots"][n] for n in (*knots, "host"))))
    write_json(path, ckpt)
    log(f"{surface.name} relax {bridge_name}: forward barrier {ckpt['barrier_forward_frozen_eV']:.3f} eV frozen, "
        f"{ckpt['barrier_forward_relaxed_eV']:.3f} eV relaxed")


def hop_relaxation(a: dict, s: dict, b: dict, host: dict) -> dict:
    """Barriers frozen (SCFs at the labels' geometry) and relaxed, and per knot the relaxation Li causes:
    (E_relaxed - E_frozen) - (the same for the host alone). Energies in eV."""
    def gain(k: dict) -> float:
        return k["energy_eV"] - k["E_start_eV"]
    return {
        "barrier_forward_frozen_eV": s["E_start_eV"] - a["E_start_eV"],
        "barrier_backward_frozen_eV": s["E_start_eV"] - b["E_start_eV"],
        "barrier_forward_relaxed_eV": s["energy_eV"] - a["energy_eV"],
        "barrier_backward_relaxed_eV": s["energy_eV"] - b["energy_eV"],
        "host_alone_relaxation_eV": gain(host),
        "li_induced_relaxation_eV": [gain(k) - gain(host) for k in (a, s, b)],
    }
