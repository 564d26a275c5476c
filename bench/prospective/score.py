"""Score a prospective record (bench/prospective/<surface>.json: predictions written before the surface's Li sites
were computed) against the DFT labels that came later (data/demo/<surface>/labels.csv).

    python3 bench/prospective/score.py HfS2-Zr

Each DFT representative is matched to the app's site at the same x, y (minimum image in the cell); its E_b is given
to every app site of that symmetry group. Scored: E_b of minima and saddles (every app site), the 90% interval
(|error| <= 1.645 sigma), and the symmetry-distinct directed barriers E_S - E_A of the app's hops whose three sites
have DFT values.
"""
import csv
import json
import math
import subprocess
import sys

surface = sys.argv[1]
folder = f"data/demo/{surface}"
record = json.load(open(f"bench/prospective/{surface}.json"))
hops = json.loads(subprocess.run(["npm", "run", "-s", "epdi", "--", "sites", folder, "--json"], capture_output=True,
                                 text=True, check=True).stdout)["hops"]
poscar = open(f"{folder}/POSCAR").read().split("\n")
scale = float(poscar[1])
a, b = ([float(v) * scale for v in poscar[i].split()] for i in (2, 3))


def in_plane_distance(p, q):
    return min(math.hypot(p[0] - q[0] + i * a[0] + j * b[0], p[1] - q[1] + i * a[1] + j * b[1])
               for i in range(-2, 3) for j in range(-2, 3))


sites = {s["site"]: s for s in record["sites"]}
dft = {}
for row in csv.DictReader(open(f"{folder}/labels.csv")):
    xy = (float(row["x"]), float(row["y"]))
    match = min(record["sites"], key=lambda s: in_plane_distance((s["x"], s["y"]), xy))
    assert in_plane_distance((match["x"], match["y"]), xy) < 0.05, f"{row['site']}: no app site at its x, y"
    dft[match["group"]] = float(row["E_b_eV"])
errors = {"minima": [], "saddles": []}
for s in record["sites"]:
    if s["group"] in dft:
        errors["saddles" if s["kind"] == "bridge" else "minima"].append(
            (s["predicted_E_b_eV"] - dft[s["group"]], s["sigma_eV"]))
barriers, seen = [], set()
for h in hops:
    knots = [sites[h["from"]], sites[h["via"]], sites[h["to"]]]
    if not all(k["group"] in dft for k in knots):
        continue
    for end in (knots[0], knots[2]):
        key = (end["group"], knots[1]["group"])
        if key not in seen:
            seen.add(key)
            barriers.append((knots[1]["predicted_E_b_eV"] - end["predicted_E_b_eV"])
                            - (dft[knots[1]["group"]] - dft[end["group"]]))
mae = lambda v: 1000 * sum(abs(x) for x in v) / len(v)
print(f"{surface}: {len(dft)} symmetry groups with DFT labels (record written at {record['commit'][:7]})")
for kind, pairs in errors.items():
    e = [x for x, _ in pairs]
    inside = sum(abs(x) <= 1.645 * s for x, s in pairs)
    print(f"  {kind}: {len(e)} sites, E_b MAE {mae(e):.1f} meV, mean error {1000 * sum(e) / len(e):+.1f} meV, "
          f"{inside} of {len(e)} inside the 90% interval")
print(f"  directed barriers: {len(barriers)} symmetry-distinct, MAE {mae(barriers):.1f} meV")
