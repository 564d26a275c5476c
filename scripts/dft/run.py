"""Resumable driver: references, then each queued surface (host, then Li sites), then NEBs.

Usage (from the repository root, with Debian's Python that has GPAW):
    nice -n 19 env OMP_NUM_THREADS=1 /usr/bin/python3 -m scripts.dft.run \
        --surfaces MoS2 MoS2-V MoS2-Nb --neb MoS2:bridge-00

Every finished SCF is checkpointed under data/demo/<surface>/.progress/ (committed with the
data, so a later session resumes); a rerun skips what is done.
"""
import argparse
import os
import time

import numpy as np
from ase import Atoms
from ase.io import read as ase_read

from . import adsorb, refs
from .build import HOSTS, build_slab, parse_host_spec, register_host, surface_name
from .calc import MOVING_ATOMS_SYMMETRY, STANDARD, code_version, make_calc
from .sites import find_sites, group_equivalent, in_plane_distance, top_layer
from .write import read_json, write_json, write_labels, write_locpot_gz, write_poscar

DEFAULT_QUEUE = ["MoS2", "MoS2-V", "MoS2-Nb", "MoS2-Cr", "WS2", "WS2-V", "WS2-Nb", "WS2-Cr",
                 "ZrS2", "ZrS2-Ti", "ZrS2-V", "ZrS2-Nb", "MoSe2", "MoSe2-V", "MoSe2-Nb",
                 "MoSe2-W", "HfS2", "HfS2-Zr", "HfS2-Ti", "HfS2-V", "MoS2-W", "WS2-Mo"]
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def log(msg: str) -> None:
    """Timestamped line on stdout (the run log)."""
    print(time.strftime("%Y-%m-%d %H:%M:%S"), msg, flush=True)


def _fixed(value: float) -> str:
    """Four decimals, without the '-0.0000' of round-off below zero."""
    text = f"{value:.4f}"
    return "0.0000" if float(text) == 0.0 else text


def _generator_alive(pid: int) -> bool:
    """Whether process `pid` on this machine is a running generator (scripts.dft.run)."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return b"scripts.dft.run" in fh.read()
    except OSError:
        return False


def acquire_lock(path: str) -> bool:
    """Create the lock file `path` holding our pid; False while a live generator holds it.

    Locks are machine-local (under the git-ignored work folder); a lock left by a dead
    process is taken over.
    """
    os.makedirs(os.path.dirname(path), exist_ok=True)
    for _ in range(2):
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            with open(path) as fh:
                text = fh.read().strip()
            if text.isdigit() and _generator_alive(int(text)):
                return False
            os.remove(path)  # stale
            continue
        with os.fdopen(fd, "w") as fh:
            fh.write(str(os.getpid()))
        return True
    return False


def parse_surface(name: str) -> "tuple[str, str | None]":
    """'MoS2-V' -> ('MoS2', 'V'); 'MoS2' -> ('MoS2', None)."""
    host, _, dopant = name.partition("-")
    if host not in HOSTS:
        raise SystemExit(f"unknown host {host}; known: {', '.join(HOSTS)} (define others with --host)")
    return host, dopant or None


class Surface:
    """One surface folder: its slab, sites, checkpoints and outputs."""

    def __init__(self, name: str, out: str, work: str, settings: dict, ref: dict, radius_A,
                 backfill_levels: bool = False):
        self.name = name
        self.backfill_levels = backfill_levels
        self.host, self.dopant = parse_surface(name)
        self.spec = HOSTS[self.host]
        self.dir = os.path.join(out, name)
        self.progress = os.path.join(self.dir, ".progress")
        self.work = os.path.join(work, name)
        os.makedirs(self.work, exist_ok=True)
        self.settings = settings
        self.ref = ref
        self.radius_A = radius_A
        self.slab = build_slab(self.host, self.dopant)
        self.top = top_layer(self.slab, self.spec.chalcogen)
        self.z_top = float(self.slab.positions[self.top, 2].mean())
        self.centre = next(a.index for a in self.slab if a.symbol == (self.dopant or self.spec.metal))
        self.centre_xy = self.slab.positions[self.centre, :2]

    def _check_settings(self) -> None:
        """Refuse to mix checkpoints made with other settings into this folder."""
        old = read_json(os.path.join(self.progress, "settings.json"))
        if old is not None and old != self.settings:
            raise SystemExit(f"{self.dir} was computed with other settings: {old}")
        poscar = os.path.join(self.dir, "POSCAR")
        if os.path.exists(poscar):
            stored = ase_read(poscar, format="vasp")
            if (stored.get_chemical_formula() != self.slab.get_chemical_formula()
                    or not np.allclose(stored.cell.array, self.slab.cell.array, atol=1e-4)):
                raise SystemExit(f"{poscar} holds another structure (formula {stored.get_chemical_formula()}, "
                                 f"a = {stored.cell.lengths()[0] / 3:.4f} A) than {self.name} builds now; "
                                 "a custom host must be given the same --host values on every run")
        write_json(os.path.join(self.progress, "settings.json"), self.settings)

    def host_calc(self) -> dict:
        """Host SCF (energy, electronic levels, POSCAR, LOCPOT.gz), computed once; returns the host checkpoint.
        A checkpoint of an older generator without the levels gets them from a new SCF with `backfill_levels`."""
        path = os.path.join(self.progress, "host.json")
        done = read_json(path)
        if done is not None and ("E_fermi_eV" in done or not self.backfill_levels):
            return done
        if done is not None:
            return self._backfill_levels(path, done)
        log(f"{self.name}: host SCF")
        slab = self.slab.copy()
        slab.calc = make_calc(self.settings, os.path.join(self.work, "host.txt"))
        t0 = time.time()
        energy = slab.get_potential_energy()
        # fine grid -> every second point = the coarse grid (same origin, spacing ~h)
        potential = slab.calc.get_electrostatic_potential()[::2, ::2, ::2]
        wall = time.time() - t0
        comment = f"{self.name} host slab, GPAW electrostatic potential (eV)"
        write_poscar(os.path.join(self.dir, "POSCAR"), self.slab, f"{self.name} host slab")
        write_locpot_gz(os.path.join(self.dir, "LOCPOT.gz"), self.slab, potential, comment)
        done = {"E_slab_eV": float(energy), "wall_s": round(wall, 1),
                "scf_iterations": int(slab.calc.get_number_of_iterations()),
                "locpot_shape": list(potential.shape), **electronic_levels(slab.calc)}
        write_json(path, done)
        log(f"{self.name}: E_slab = {energy:.4f} eV in {wall:.0f} s, E_F = {done['E_fermi_eV']:.3f} eV")
        return done

    def _backfill_levels(self, path: str, done: dict) -> dict:
        """Recompute the host SCF of an existing checkpoint only for its electronic levels."""
        log(f"{self.name}: host SCF again for the electronic levels")
        slab = self.slab.copy()
        slab.calc = make_calc(self.settings, os.path.join(self.work, "host-levels.txt"))
        t0 = time.time()
        energy = slab.get_potential_energy()
        if abs(energy - done["E_slab_eV"]) > 1e-3:
            raise SystemExit(f"{self.name}: host energy {energy:.5f} eV differs from the checkpoint "
                             f"{done['E_slab_eV']:.5f} eV; not mixing")
        done = dict(done, **electronic_levels(slab.calc), levels_wall_s=round(time.time() - t0, 1))
        write_json(path, done)
        log(f"{self.name}: E_F = {done['E_fermi_eV']:.3f} eV (backfilled)")
        return done

    def sites(self):
        """(all sites, representatives within radius_A of the dopant, nearest first)."""
        sites = find_sites(self.slab, self.spec.chalcogen)
        reps = group_equivalent(self.slab, sites, self.centre)
        reps = sorted(reps, key=lambda s: (in_plane_distance(self.slab, s.xy, self.centre_xy), s.name))
        if self.radius_A is not None:
            reps = [s for s in reps if in_plane_distance(self.slab, s.xy, self.centre_xy) <= self.radius_A]
        return sites, reps

    def site_calcs(self, host: dict) -> None:
        """Height scan at every representative site; checkpoint after each SCF."""
        sites, reps = self.sites()
        rep_names = {s.name for s in reps}
        write_json(os.path.join(self.progress, "sites.json"), [
            {"name": s.name, "kind": s.kind, "x": round(float(s.xy[0]), 4), "y": round(float(s.xy[1]), 4),
             "group": s.group, "hop": s.hop, "representative": s.name in rep_names} for s in sites])
        slab_li = self.slab + Atoms("Li", positions=[[0.0, 0.0, self.z_top + 1.5]])
        calc = None
        for site in reps:
            path = os.path.join(self.progress, f"site-{site.name}.json")
            if read_json(path, {"done": False})["done"]:
                continue
            lock = os.path.join(self._locks, f"{self.name}.site-{site.name}.lock")
            if not acquire_lock(lock):
                log(f"{self.name} {site.name}: another generator process is computing it; skipped")
                continue
            try:
                calc = self._site_calc(site, path, host, slab_li, calc)
            finally:
                os.remove(lock)

    def _site_calc(self, site, path: str, host: dict, slab_li: Atoms, calc):
        """One site's height scan (resumed from its checkpoint); returns the Li calculator for reuse."""
        rec = read_json(path, {"points": [], "done": False})
        r_x = min(in_plane_distance(self.slab, site.xy, self.slab.positions[i, :2]) for i in self.top)
        guess = adsorb.height_guess(r_x, self.spec.chalcogen)
        while (h := adsorb.next_height(rec["points"], guess)) is not None:
            if calc is None:
                calc = make_calc(self.settings, os.path.join(self.work, f"li-{os.getpid()}.txt"), point_group=False)
                slab_li.calc = calc
            energy, wall = adsorb.li_energy(slab_li, site.xy, self.z_top, h)
            rec["points"].append([h, energy, round(wall, 1)])
            write_json(path, rec)
            log(f"{self.name} {site.name}: h = {h:.2f} A, E = {energy:.4f} eV, {wall:.0f} s")
        h_fit, e_fit, method = adsorb.fit_minimum(rec["points"])
        rec.update(done=True, height_A=h_fit, E_total_eV=e_fit, method=method,
                   kind=site.kind, xy=[float(site.xy[0]), float(site.xy[1])],
                   hop=site.hop, members=site.members)
        write_json(path, rec)
        log(f"{self.name} {site.name}: h* = {h_fit:.3f} A, E_b = {e_fit - host['E_slab_eV'] - self.ref['E_bcc_per_atom_eV']:.3f} eV")
        self.write_outputs(host)
        return calc

    def write_outputs(self, host: dict) -> None:
        """labels.csv (one row per finished representative) and meta.json from the checkpoints."""
        mu = self.ref["E_bcc_per_atom_eV"]
        rows, wall = [], host["wall_s"]
        for fname in sorted(os.listdir(self.progress)):
            if not fname.startswith("site-"):
                continue
            rec = read_json(os.path.join(self.progress, fname))
            site_wall = sum(p[2] for p in rec["points"])
            wall += site_wall
            if not rec["done"]:
                continue
            name = fname[len("site-"):-len(".json")]
            note = f"represents {len(rec['members'])} equivalent sites: {' '.join(rec['members'])}"
            if rec["hop"]:
                note += f"; hop {rec['hop'][0]} <-> {rec['hop'][1]}"
            rows.append({"site": name, "kind": rec["kind"], "x": _fixed(rec["xy"][0]),
                         "y": _fixed(rec["xy"][1]), "z": _fixed(self.z_top + rec["height_A"]),
                         "E_total_eV": f"{rec['E_total_eV']:.5f}",
                         "E_b_eV": f"{rec['E_total_eV'] - host['E_slab_eV'] - mu:.5f}",
                         "method": rec["method"], "note": note,
                         "height_A": f"{rec['height_A']:.3f}", "wall_s": f"{site_wall:.0f}"})
        write_labels(os.path.join(self.dir, "labels.csv"), rows)
        spec = self.spec
        write_json(os.path.join(self.dir, "meta.json"), {
            "host": self.host, "phase": spec.phase, "dopant": self.dopant,
            "E_slab_eV": host["E_slab_eV"], "mu_Li_eV": mu, "mu_Li_reference": "bcc",
            **{k: host[k] for k in LEVEL_KEYS if k in host},
            **({"levels_reference": LEVELS_REFERENCE} if "E_fermi_eV" in host else {}),
            "mu_Li_atom_eV": self.ref["E_atom_eV"], "code": code_version(),
            "settings": dict(self.settings, supercell="3x3", a_A=spec.a_A,
                             thickness_A=spec.thickness_A, lattice_source=spec.source,
                             symmetry=MOVING_ATOMS_SYMMETRY,
                             li_relaxation="Li height scan (step %.2f A) + parabola through the "
                                           "lowest point and its neighbours; xy fixed" % adsorb.SCAN_STEP_A,
                             locpot="GPAW get_electrostatic_potential() in eV on the coarse grid "
                                    "(fine grid, every second point); zero in the vacuum",
                             site_rule="periodic Delaunay of the top X layer; one representative "
                                       "per group of equivalent sites (distance signature)"),
            "z_top_A": self.z_top, "n_labels": len(rows), "wall_s": round(wall, 1),
        })

    @property
    def _locks(self) -> str:
        return os.path.join(os.path.dirname(self.work), "locks")

    def run(self) -> None:
        """Host, then sites, writing outputs as they finish. The surface lock covers the host SCF only (a second
        process waits for it); each site has its own lock, so two processes can share one surface's sites."""
        lock = os.path.join(self._locks, f"{self.name}.lock")
        waited = False
        while not acquire_lock(lock):
            if not waited:
                log(f"{self.name}: another generator process holds its host step (lock {lock}); waiting")
                waited = True
            time.sleep(LOCK_POLL_S)
        try:
            os.makedirs(self.progress, exist_ok=True)
            self._check_settings()
            host = self.host_calc()
            self.write_outputs(host)
        finally:
            os.remove(lock)
        self.site_calcs(host)


LOCK_POLL_S = 30
LEVEL_KEYS = ("E_fermi_eV", "highest_occupied_eV", "lowest_unoccupied_eV")
LEVELS_REFERENCE = ("host Kohn-Sham levels on GPAW's absolute scale, the scale of LOCPOT.gz (vacuum ~ 0): "
                    "E_F, the highest eigenvalue below it and the lowest above it over the k-points")


def electronic_levels(calc) -> dict:
    """Fermi level and the eigenvalues straddling it (eV, same scale as the electrostatic potential).
    For a pristine semiconductor these are the VBM and CBM; for a doped (metallic) slab both sit near E_F, and a
    partly filled hole state can be the "highest occupied" a few meV below E_F (MoSe2-V). Where Li's electron goes
    (the acceptor level) is decided from these and the Fermi-Dirac width in lib/ml/host-levels.ts."""
    e_f = float(calc.get_fermi_level())
    eigs = [e for k in range(len(calc.get_ibz_k_points())) for e in calc.get_eigenvalues(kpt=k)]
    return {"E_fermi_eV": e_f,
            "highest_occupied_eV": float(max(e for e in eigs if e <= e_f)),
            "lowest_unoccupied_eV": float(min(e for e in eigs if e > e_f))}


def main(argv=None) -> None:
    """Parse the command line and work through the queue."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--surfaces", nargs="*", default=DEFAULT_QUEUE, help="queue, e.g. MoS2 MoS2-V")
    p.add_argument("--out", default=os.path.join(REPO, "data", "demo"))
    p.add_argument("--work", default=os.path.join(REPO, "scripts", "dft", "work"))
    p.add_argument("--h", type=float, default=STANDARD["h_A"], help="grid spacing (Angstrom)")
    p.add_argument("--radius", type=float, default=None,
                   help="only sites within this in-plane distance of the dopant (Angstrom)")
    p.add_argument("--neb", nargs="*", default=[],
                   help="hops SURFACE:BRIDGE_SITE for CI-NEB, run after the surfaces")
    p.add_argument("--backfill-levels", action="store_true",
                   help="recompute the host SCF of finished surfaces that lack E_F and band edges")
    p.add_argument("--neb-after", type=int, default=None,
                   help="run the NEBs (and --relax checks) after this many surfaces instead of at the end")
    p.add_argument("--relax", nargs="*", default=[],
                   help="hops SURFACE:BRIDGE whose end minima and bridge are relaxed with the nearest host atoms "
                        "free (size of the frozen-host approximation), run before the NEBs (cheaper)")
    p.add_argument("--host", action="append", default=[], metavar="FORMULA:PHASE:a:thickness",
                   help="define an MX2 host that is not built in, e.g. WSe2:2H:3.32:3.36 (Angstrom); repeatable")
    args = p.parse_args(argv)
    for spec in args.host:
        try:
            register_host(parse_host_spec(spec))
        except ValueError as err:
            raise SystemExit(str(err)) from None
    settings = dict(STANDARD, h_A=args.h)
    ref = refs.ensure_references(os.path.join(args.out, "references.json"), settings, args.work)
    log(f"mu_Li(bcc) = {ref['E_bcc_per_atom_eV']:.4f} eV, E(Li atom) = {ref['E_atom_eV']:.4f} eV")
    neb_at = len(args.surfaces) if args.neb_after is None else args.neb_after
    for i, name in enumerate(args.surfaces):
        if i == neb_at:
            run_nebs(args, settings, ref)
        Surface(name, args.out, args.work, settings, ref, args.radius, args.backfill_levels).run()
    if neb_at >= len(args.surfaces):
        run_nebs(args, settings, ref)
    log("queue finished")


def run_nebs(args, settings: dict, ref: dict) -> None:
    """The host-relaxation check of each --relax SURFACE:BRIDGE hop, then CI-NEB for each --neb hop (their
    surfaces' sites must be done)."""
    from . import neb, relax
    for items, module, kind in ((args.relax, relax, "relax"), (args.neb, neb, "neb")):
        for item in items:
            name, _, bridge = item.partition(":")
            lock = os.path.join(args.work, "locks", f"{name}.{kind}-{bridge}.lock")
            if not acquire_lock(lock):
                log(f"{name} {kind} {bridge}: another generator process is working on it (lock {lock}); skipped")
                continue
            try:
                surface = Surface(name, args.out, args.work, settings, ref, None)
                module.run_hop(surface, bridge, log)
            finally:
                os.remove(lock)


if __name__ == "__main__":
    main()
