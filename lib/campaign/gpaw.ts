/**
 * GPAW scripts of a campaign. Each runs scripts/dft's own code, shipped with the campaign under code/scripts/dft/
 * (hashes in the manifest), with scripts/dft/calc.py's STANDARD settings updated by the campaign's overrides, so a
 * campaign label is made exactly as the dataset's labels are:
 *   relax: Li at the site's xy, host frozen, height by scripts/dft/adsorb.py's scan + parabola (the demo labels'
 *          method); writes CONTCAR (slab + Li at the fitted height), `energy` (E_total, eV) and result.json;
 *   neb:   ASE CI-NEB with scripts/dft/neb.py's constants (spring, fmax, steps), host frozen, Li free; end points are
 *          single points; writes NN/CONTCAR and NN/energy for every image and result.json.
 * result.json carries `converged`: the scan bracketed its minimum / the NEB reached fmax.
 *
 * NEB options ride in the GPAW overrides (so manifest.json's settings.gpaw.overrides records them) under keys that
 * calc.py does not know and that never reach the calculator: `neb_images` (inner images, default neb.py's N_INNER = 5),
 * `neb_fmax_eV_A` (default neb.py's FMAX_EV_A), `neb_max_steps` (default neb.py's MAX_STEPS). Without them a campaign
 * NEB runs exactly as the generator's scripts/dft/neb.py.
 */
import type { GpawOverrides } from './types';

/** Python literal of a JSON value (json.loads of a raw string: no escaping surprises). */
function pyJson(value: unknown): string {
  const text = JSON.stringify(value);
  if (text.includes("'''")) throw new Error('settings text may not contain three single quotes');
  return `json.loads(r'''${text}''')`;
}

const PRELUDE = (title: string, overrides: GpawOverrides, chalcogen: string): string => `"""${title}

Written by EPDI Lab (campaign). Runs scripts/dft's code shipped in ../../code/scripts/dft (hashes in manifest.json).
"""
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "code"))

import numpy as np  # noqa: E402
from ase.io import read  # noqa: E402
from scripts.dft.calc import STANDARD, code_version, make_calc  # noqa: E402
from scripts.dft.write import atomic_write, poscar_text, read_json, write_json  # noqa: E402

OVERRIDES = ${pyJson(overrides)}
CHALCOGEN = ${JSON.stringify(chalcogen)}
SETTINGS = dict(STANDARD)
SETTINGS.update({k: v for k, v in OVERRIDES.items() if not k.startswith("neb_")})


def load(path):
    """Slab + Li from a POSCAR (Li the last atom), host frozen, pbc T T F as scripts/dft builds slabs."""
    atoms = read(path, format="vasp")
    atoms.set_constraint()
    atoms.pbc = (True, True, False)
    if atoms.get_chemical_symbols()[-1] != "Li":
        raise SystemExit(f"{path}: the last atom must be Li")
    return atoms
`;

/** Script of a relaxation (height scan at fixed xy). */
export function gpawRelaxScript(title: string, overrides: GpawOverrides, chalcogen: string): string {
  return `${PRELUDE(title, overrides, chalcogen)}

def main():
    from scripts.dft import adsorb
    from scripts.dft.sites import in_plane_distance, top_layer

    t0 = time.time()
    atoms = load(os.path.join(HERE, "POSCAR"))
    slab = atoms[:-1]
    top = top_layer(slab, CHALCOGEN)
    z_top = float(slab.positions[top, 2].mean())
    xy = atoms.positions[-1, :2].copy()
    r_x = min(in_plane_distance(slab, xy, slab.positions[i, :2]) for i in top)
    guess = adsorb.height_guess(r_x, CHALCOGEN)
    ckpt = os.path.join(HERE, "scan.json")
    rec = read_json(ckpt, {"points": []})
    atoms.calc = make_calc(SETTINGS, os.path.join(HERE, "gpaw.txt"), point_group=False)
    while (h := adsorb.next_height(rec["points"], guess)) is not None:
        energy, wall = adsorb.li_energy(atoms, xy, z_top, h)
        rec["points"].append([h, energy, round(wall, 1)])
        write_json(ckpt, rec)
        print(f"h = {h:.3f} A, E = {energy:.6f} eV, {wall:.0f} s", flush=True)
    h_fit, e_fit, method = adsorb.fit_minimum(rec["points"])
    final = atoms.copy()
    final.positions[-1] = [xy[0], xy[1], z_top + h_fit]
    atomic_write(os.path.join(HERE, "CONTCAR"), poscar_text(final, "relaxed Li (height scan)").encode())
    atomic_write(os.path.join(HERE, "energy"), f"{e_fit:.6f}\\n".encode())
    write_json(os.path.join(HERE, "result.json"), {
        "E_total_eV": e_fit, "height_A": h_fit, "method": method, "z_top_A": z_top,
        "converged": method == "height-scan-parabola-minimum", "points": rec["points"],
        "code": code_version(), "settings": SETTINGS, "wall_s": round(time.time() - t0, 1),
    })


if __name__ == "__main__":
    main()
`;
}

/** scripts/dft/neb.py's N_INNER: the generator's CI-NEBs have 5 inner images. */
export const GPAW_NEB_IMAGES = 5;

/** Inner images of a GPAW campaign NEB: the overrides' `neb_images`, else neb.py's N_INNER. */
export function gpawNebImages(overrides: GpawOverrides): number {
  checkNebOverrides(overrides);
  const n = overrides.neb_images;
  return n === undefined ? GPAW_NEB_IMAGES : (n as number);
}

/** The NEB keys of the overrides, checked: whole numbers of images (1-20) and steps (>= 1), fmax > 0 (eV/A). */
export function checkNebOverrides(overrides: GpawOverrides): void {
  const whole = (k: string, lo: number, hi: number): void => {
    const v = overrides[k];
    if (v !== undefined && !(Number.isInteger(v) && (v as number) >= lo && (v as number) <= hi))
      throw new Error(`GPAW settings: ${k} must be a whole number from ${lo} to ${hi}, got ${JSON.stringify(v)}`);
  };
  whole('neb_images', 1, 20);
  whole('neb_max_steps', 1, 100000);
  const f = overrides.neb_fmax_eV_A;
  if (f !== undefined && !(typeof f === 'number' && Number.isFinite(f) && f > 0))
    throw new Error(`GPAW settings: neb_fmax_eV_A must be a positive number (eV/A), got ${JSON.stringify(f)}`);
  const unknown = Object.keys(overrides).filter(
    (k) => k.startsWith('neb_') && !['neb_images', 'neb_fmax_eV_A', 'neb_max_steps'].includes(k),
  );
  if (unknown.length) throw new Error(`GPAW settings: unknown NEB option(s) ${unknown.join(', ')}`);
}

/** Script of a climbing-image NEB over the image folders 00..NN. */
export function gpawNebScript(title: string, overrides: GpawOverrides, chalcogen: string, images: number): string {
  return `${PRELUDE(title, overrides, chalcogen)}
IMAGES = ${images}


def main():
    from ase.calculators.singlepoint import SinglePointCalculator
    from ase.constraints import FixAtoms
    from ase.neb import NEB
    from ase.optimize import BFGS
    from scripts.dft.neb import FMAX_EV_A, MAX_STEPS, SPRING_EV_A2

    fmax = float(OVERRIDES.get("neb_fmax_eV_A", FMAX_EV_A))
    max_steps = int(OVERRIDES.get("neb_max_steps", MAX_STEPS))
    t0 = time.time()
    folders = [os.path.join(HERE, f"{i:02d}") for i in range(IMAGES + 2)]
    path = [load(os.path.join(f, "POSCAR")) for f in folders]
    ends = {}
    for i in (0, IMAGES + 1):
        img = path[i]
        img.calc = make_calc(SETTINGS, os.path.join(folders[i], "gpaw.txt"), point_group=False)
        ends[i] = float(img.get_potential_energy())
        img.calc = SinglePointCalculator(img, energy=ends[i], forces=np.zeros((len(img), 3)))
    for i, img in enumerate(path):
        img.set_constraint(FixAtoms(indices=range(len(img) - 1)))
        if 0 < i <= IMAGES:
            img.calc = make_calc(SETTINGS, os.path.join(folders[i], "gpaw.txt"), point_group=False)
    neb = NEB(path, climb=True, k=SPRING_EV_A2)
    opt = BFGS(neb, maxstep=0.1, logfile=os.path.join(HERE, "bfgs.log"))
    converged = bool(opt.run(fmax=fmax, steps=max_steps))
    energies = [ends[0]] + [float(img.get_potential_energy()) for img in path[1:-1]] + [ends[IMAGES + 1]]
    for f, img, e in zip(folders, path, energies):
        atomic_write(os.path.join(f, "CONTCAR"), poscar_text(img, "NEB image").encode())
        atomic_write(os.path.join(f, "energy"), f"{e:.6f}\\n".encode())
    write_json(os.path.join(HERE, "result.json"), {
        "energies_eV": energies, "saddle_image": int(np.argmax(energies)), "converged": converged,
        "steps": opt.nsteps, "code": code_version(), "settings": SETTINGS,
        "neb": {"climb": True, "k_eV_A2": SPRING_EV_A2, "fmax_eV_A": fmax, "max_steps": max_steps,
                "images": IMAGES},
        "wall_s": round(time.time() - t0, 1),
    })


if __name__ == "__main__":
    main()
`;
}

/** scripts/dft modules a campaign ships (calc settings, height scan, writers, site rule, NEB constants). */
export const GPAW_CODE_FILES = ['__init__.py', 'calc.py', 'adsorb.py', 'write.py', 'sites.py', 'neb.py'] as const;
