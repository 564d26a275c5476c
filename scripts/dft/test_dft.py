"""Unit tests of the builder, the site rule and the height fit (no GPAW run).

Run: /usr/bin/python3 -m unittest scripts.dft.test_dft
"""
import gzip
import tempfile
import unittest
from collections import Counter

import numpy as np

from .adsorb import fit_minimum, next_height
from .build import HOSTS, build_slab, parse_host_spec, register_host
from .sites import find_sites, group_equivalent
from .write import write_locpot_gz


def _groups(host: str, dopant):
    slab = build_slab(host, dopant)
    sites = find_sites(slab, HOSTS[host].chalcogen)
    centre = next(a.index for a in slab if a.symbol == (dopant or HOSTS[host].metal))
    return sites, group_equivalent(slab, sites, centre)


class SiteRule(unittest.TestCase):
    def test_counts_of_a_3x3_cell(self):
        # 9 top X atoms: 18 triangles (9 over metals, 9 over holes or lower X), 27 shared edges
        for host, hollow in (("MoS2", "H"), ("WS2", "H"), ("MoSe2", "H"), ("ZrS2", "H_X"), ("HfS2", "H_X")):
            sites, _ = _groups(host, None)
            self.assertEqual(Counter(s.kind for s in sites), {"T_M": 9, hollow: 9, "bridge": 27}, host)

    def test_pristine_surfaces_have_three_groups(self):
        for host in HOSTS:
            self.assertEqual(len(_groups(host, None)[1]), 3, host)

    def test_doped_surfaces_have_thirteen_groups(self):
        # C3v about the dopant: T_M {1, 6, 1, 1}, hollows {3, 3, 3}, bridges {6, 6, 6, 3, 3, 3}
        for host, dopant in (("MoS2", "V"), ("ZrS2", "Ti")):
            reps = _groups(host, dopant)[1]
            sizes = Counter((r.kind, len(r.members)) for r in reps)
            hollow = "H" if HOSTS[host].phase == "2H" else "H_X"
            self.assertEqual(sizes, {("T_M", 1): 3, ("T_M", 6): 1, (hollow, 3): 3,
                                     ("bridge", 6): 3, ("bridge", 3): 3}, host)

    def test_bridges_sit_midway_between_their_hollows(self):
        sites, _ = _groups("MoS2", None)
        by_name = {s.name: s for s in sites}
        slab = build_slab("MoS2")
        inv = np.linalg.inv(slab.cell.array[:2, :2])
        for b in (s for s in sites if s.kind == "bridge"):
            d = [(by_name[h].xy - b.xy) @ inv for h in b.hop]
            d = [(f - np.round(f)) @ slab.cell.array[:2, :2] for f in d]
            np.testing.assert_allclose(d[0], -d[1], atol=1e-6)
            self.assertAlmostEqual(np.linalg.norm(d[0]), 3.18 / (2 * np.sqrt(3)), places=6)


class HeightScan(unittest.TestCase):
    def test_parabola_recovers_the_minimum_of_a_parabola(self):
        points = []
        while (h := next_height(points, 1.55)) is not None:
            points.append([h, 2.0 * (h - 1.62) ** 2 - 3.0, 1.0])
        h_min, e_min, method = fit_minimum(points)
        self.assertEqual(len(points), 3)
        self.assertAlmostEqual(h_min, 1.62, places=6)
        self.assertAlmostEqual(e_min, -3.0, places=6)
        self.assertEqual(method, "height-scan-parabola-minimum")

    def test_scan_extends_until_the_minimum_is_bracketed(self):
        points = []
        while (h := next_height(points, 1.3)) is not None:
            points.append([h, (h - 2.0) ** 2, 1.0])
        self.assertAlmostEqual(fit_minimum(points)[0], 2.0, places=6)
        self.assertEqual(sorted(p[0] for p in points), [1.05, 1.3, 1.55, 1.8, 2.05, 2.3])


class Locpot(unittest.TestCase):
    def test_values_are_written_x_fastest(self):
        v = np.arange(24, dtype=float).reshape(2, 3, 4)
        with tempfile.TemporaryDirectory() as tmp:
            write_locpot_gz(f"{tmp}/LOCPOT.gz", build_slab("MoS2"), v, "test")
            lines = gzip.open(f"{tmp}/LOCPOT.gz", "rt").read().splitlines()
        start = lines.index("    2    3    4") + 1
        values = [float(x) for line in lines[start:] for x in line.split()]
        self.assertEqual(values[:3], [0.0, 12.0, 4.0])  # v[0,0,0], v[1,0,0], v[0,1,0]
        np.testing.assert_array_equal(np.array(values).reshape(4, 3, 2).transpose(2, 1, 0), v)


class NebResume(unittest.TestCase):
    """A CI-NEB resumed from the checkpointed BFGS block continues exactly as the uninterrupted run (EMT, Au on Cu)."""

    @staticmethod
    def _band(li_positions=None):
        from ase.build import add_adsorbate, fcc100
        from ase.calculators.emt import EMT
        from ase.constraints import FixAtoms
        from ase.neb import NEB
        slab = fcc100("Cu", (2, 2, 2), vacuum=5.0)
        first = slab.copy()
        add_adsorbate(first, "Au", 1.7, "hollow")
        last = first.copy()
        last.positions[-1, 0] += slab.cell[0, 0] / 2
        images = [first] + [first.copy() for _ in range(3)] + [last]
        for img in images:
            img.set_constraint(FixAtoms(indices=range(len(slab))))
        neb = NEB(images, climb=True)
        neb.interpolate()
        if li_positions is not None:
            for img, p in zip(images[1:-1], li_positions):
                img.positions[-1] = p
        for img in images:
            img.calc = EMT()
        return images, neb

    def test_resumed_bfgs_follows_the_uninterrupted_run(self):
        from ase.optimize import BFGS
        from .neb import bfgs_state, moving_indices, restore_bfgs
        images, neb = self._band()
        BFGS(neb, maxstep=0.1, logfile=None).run(fmax=1e-6, steps=6)
        uninterrupted = neb.get_positions()

        images, neb = self._band()
        idx = moving_indices(len(images[0]), n_inner=3)
        opt = BFGS(neb, maxstep=0.1, logfile=None)
        opt.run(fmax=1e-6, steps=3)
        state = bfgs_state(opt, idx)
        saved = [img.positions[-1].copy() for img in images[1:-1]]

        images, neb = self._band(saved)
        opt = BFGS(neb, maxstep=0.1, logfile=None)
        restore_bfgs(opt, state, idx, neb.get_positions())
        opt.run(fmax=1e-6, steps=3)
        np.testing.assert_allclose(neb.get_positions(), uninterrupted, atol=1e-8)


class CustomHost(unittest.TestCase):
    """--host FORMULA:PHASE:a:thickness defines an MX2 the table does not hold."""

    def tearDown(self):
        HOSTS.pop("WSe2", None)

    def test_a_custom_2h_host_builds_and_has_the_pristine_site_groups(self):
        host = parse_host_spec("WSe2:2H:3.32:3.36")
        self.assertEqual((host.metal, host.chalcogen, host.phase, host.a_A, host.thickness_A),
                         ("W", "Se", "2H", 3.32, 3.36))
        register_host(host)
        slab = build_slab("WSe2", "V")
        self.assertEqual(slab.get_chemical_formula(), "Se18VW8")
        self.assertAlmostEqual(slab.cell.lengths()[0], 3 * 3.32, places=9)
        tops = slab.positions[[a.index for a in slab if a.symbol == "Se"], 2]
        self.assertAlmostEqual(tops.max() - tops.min(), 3.36, places=9)
        self.assertEqual(len(_groups("WSe2", None)[1]), 3)

    def test_bad_specs_are_refused_with_the_reason(self):
        for text, reason in (("WSe2:2H:3.32", "expected FORMULA"), ("WO2:2H:3.3:3.3", "not MX2"),
                             ("WSe2:3R:3.32:3.36", "not 2H or 1T"), ("WSe2:2H:x:3.36", "numbers"),
                             ("WSe2:2H:33.2:3.36", "not an MX2 monolayer")):
            with self.assertRaisesRegex(ValueError, reason):
                parse_host_spec(text)

    def test_a_built_in_host_cannot_be_redefined_with_other_values(self):
        register_host(parse_host_spec("MoS2:2H:3.18:3.13"))  # same values: accepted
        with self.assertRaisesRegex(ValueError, "already defined"):
            register_host(parse_host_spec("MoS2:2H:3.16:3.13"))


class HostRelaxation(unittest.TestCase):
    """relax.py with EMT: Au on Cu(111) stands for Li on the slab (EMT has no Li)."""

    @staticmethod
    def _knot():
        from ase.build import fcc111
        from ase.calculators.emt import EMT
        from .relax import constrained, free_atoms
        slab = fcc111("Cu", (3, 3, 3), vacuum=6.0)
        top = slab.positions[:, 2].max()
        corner = slab.positions[[a.index for a in slab if abs(a.position[2] - top) < 0.1][0], :2]
        hollow = corner + (slab.cell[0, :2] + slab.cell[1, :2]) / 9  # centroid of corner, corner + a1/3, corner + a2/3
        free = free_atoms(slab, "Cu", hollow, count=3)
        atoms = constrained(slab, np.array([hollow[0], hollow[1], top + 2.4]), free, adsorbate="Au")
        atoms.calc = EMT()
        return slab, atoms, free

    def test_the_host_alone_relaxes_only_its_free_atoms(self):
        from ase.calculators.emt import EMT
        from ase.constraints import FixAtoms
        from .relax import relax_knot
        slab, atoms, free = self._knot()
        host = slab.copy()
        host.positions[free[0], 2] += 0.2  # pushed out of its minimum
        host.set_constraint(FixAtoms(indices=[i for i in range(len(host)) if i not in free]))
        host.calc = EMT()
        start = host.positions.copy()
        state = relax_knot(host, {"free": free}, lambda: None, fmax=0.01, steps=100, adsorbate=False)
        self.assertTrue(state["done"])
        fixed = [i for i in range(len(host)) if i not in free]
        np.testing.assert_allclose(host.positions[fixed], start[fixed], atol=1e-12)
        self.assertLess(host.positions[free[0], 2], start[free[0], 2] - 0.1)
        self.assertLess(state["energy_eV"], state["E_start_eV"])

    def test_only_the_nearest_atoms_and_the_adatom_height_move_and_the_energy_drops(self):
        from .relax import relax_knot
        slab, atoms, free = self._knot()
        top = slab.positions[:, 2].max()
        self.assertTrue(all(abs(slab.positions[i, 2] - top) < 0.1 for i in free))  # the top-layer triangle
        start = atoms.positions.copy()
        state = relax_knot(atoms, {"free": free}, lambda: None, fmax=0.01, steps=100)
        self.assertTrue(state["done"])
        moved = np.linalg.norm(atoms.positions - start, axis=1)
        fixed = [i for i in range(len(slab)) if i not in free]
        np.testing.assert_allclose(moved[fixed], 0.0, atol=1e-12)
        self.assertTrue(all(moved[i] > 1e-3 for i in free))
        np.testing.assert_allclose(atoms.positions[-1, :2], start[-1, :2], atol=1e-12)
        self.assertLess(state["energy_eV"], state["E_start_eV"])
        self.assertLess(state["fmax_eV_A"], 0.01)

    def test_a_resumed_relaxation_follows_the_uninterrupted_one(self):
        import json
        from .relax import relax_knot
        _, atoms, free = self._knot()
        relax_knot(atoms, {"free": free}, lambda: None, fmax=1e-6, steps=6)
        uninterrupted = atoms.positions.copy()

        _, atoms, free = self._knot()
        state = {"free": free}
        relax_knot(atoms, state, lambda: None, fmax=1e-6, steps=3)
        saved = json.loads(json.dumps(state))  # what the checkpoint file holds
        _, atoms, _ = self._knot()
        relax_knot(atoms, saved, lambda: None, fmax=1e-6, steps=3)
        np.testing.assert_allclose(atoms.positions, uninterrupted, atol=1e-8)


class FreeAtoms(unittest.TestCase):
    def test_the_four_x_atoms_of_the_two_triangles_of_a_bridge_in_2h_and_1t(self):
        from .relax import free_atoms
        from .sites import in_plane_distance
        for host in ("MoS2", "ZrS2"):
            slab = build_slab(host)
            sites, _ = _groups(host, None)
            bridge = next(s for s in sites if s.kind == "bridge")
            free = free_atoms(slab, HOSTS[host].chalcogen, bridge.xy)
            a = HOSTS[host].a_A
            d = sorted(in_plane_distance(slab, slab.positions[i, :2], bridge.xy) for i in free)
            np.testing.assert_allclose(d, [a / 2, a / 2, a * np.sqrt(3) / 2, a * np.sqrt(3) / 2], atol=1e-6)


class Status(unittest.TestCase):
    """The NEB table of status.py, from hand-written summary and checkpoint files."""

    def test_finished_and_running_nebs_are_listed_with_the_bridge_difference(self):
        import json
        import os
        from .status import neb_summary
        with tempfile.TemporaryDirectory() as root:
            done = os.path.join(root, "MoS2", "neb", "bridge-08")
            running = os.path.join(root, "MoS2-V", "neb", "bridge-03")
            os.makedirs(done)
            os.makedirs(running)
            with open(os.path.join(done, "summary.json"), "w") as fh:
                json.dump({"hop": ["H-01", "T_M-02"], "E_bridge_minus_NEB_saddle_eV": 0.0123,
                           "saddle_offset_from_bridge_xy_A": 0.071, "steps": 9, "wall_s": 7200}, fh)
            with open(os.path.join(running, ".progress.json"), "w") as fh:
                json.dump({"steps": 4, "wall_s": 1800}, fh)
            rows = neb_summary(root).splitlines()[2:]
        self.assertEqual(rows, ["| MoS2 | H-01 -> bridge-08 -> T_M-02 | converged | 12.3 | 0.07 | 9 | 2.00 |",
                                "| MoS2-V | bridge-03 | running | | | 4 | 0.50 |",
                                "| total | | | | | | 2.50 |"])

    def test_a_finished_relaxation_check_lists_each_knot_and_the_barriers(self):
        import json
        import os
        from .status import relax_summary
        from .relax import hop_relaxation
        knot = lambda e0, e, steps: {"E_start_eV": e0, "energy_eV": e, "steps": steps, "wall_s": 600}
        knots = {"H-01": knot(-10.0, -10.017, 4), "bridge-08": knot(-9.8, -9.835, 5),
                 "T_M-02": knot(-10.1, -10.11, 3), "host": knot(-5.0, -5.005, 3)}
        summary = hop_relaxation(*(knots[n] for n in ("H-01", "bridge-08", "T_M-02", "host")))
        # by hand: barriers 0.2 frozen, -9.835 + 10.017 = 0.182 relaxed; Li's share of the gains -12, -30, -5 meV
        self.assertAlmostEqual(summary["barrier_forward_frozen_eV"], 0.2, places=12)
        self.assertAlmostEqual(summary["barrier_forward_relaxed_eV"], 0.182, places=12)
        np.testing.assert_allclose(summary["li_induced_relaxation_eV"], [-0.012, -0.030, -0.005], atol=1e-12)
        with tempfile.TemporaryDirectory() as root:
            os.makedirs(os.path.join(root, "MoS2", ".progress"))
            with open(os.path.join(root, "MoS2", ".progress", "relax-bridge-08.json"), "w") as fh:
                json.dump({"done": True, "bridge": "bridge-08", "hop": ["H-01", "T_M-02"], "knots": knots,
                           **summary}, fh)
            rows = relax_summary(root).splitlines()[2:]
        self.assertEqual(rows, ["| MoS2 | H-01 -> bridge-08 -> T_M-02 | done | -12 / -30 / -5 | 0.200 -> 0.182 | 15 | 0.67 |"])


class SharedSurface(unittest.TestCase):
    """Two generator processes share one surface: a site locked by a live generator is left to it."""

    def test_a_site_held_by_another_generator_is_skipped_and_the_rest_computed(self):
        import os
        import subprocess
        import sys
        from . import run
        with tempfile.TemporaryDirectory() as root:
            surface = run.Surface("MoS2", os.path.join(root, "out"), os.path.join(root, "work"), {}, {}, None)
            os.makedirs(surface.progress)
            names = [s.name for s in surface.sites()[1]]
            # another generator: its command line names scripts.dft.run, as a real one does
            other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", "scripts.dft.run"])
            try:
                os.makedirs(surface._locks)
                with open(os.path.join(surface._locks, f"MoS2.site-{names[0]}.lock"), "w") as fh:
                    fh.write(str(other.pid))
                computed = []
                surface._site_calc = lambda site, path, host, slab_li, calc: computed.append(site.name)
                surface.site_calcs({})
            finally:
                other.kill()
                other.wait()
            self.assertEqual(computed, names[1:])
            self.assertEqual(sorted(os.listdir(surface._locks)), [f"MoS2.site-{names[0]}.lock"])


if __name__ == "__main__":
    unittest.main()
