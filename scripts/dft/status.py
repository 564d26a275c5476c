"""Print a Markdown summary of the dataset: per surface, labels by kind, E_b range and compute time.

Usage: /usr/bin/python3 -m scripts.dft.status [data/demo]
"""
import csv
import json
import os
import sys
from collections import Counter


def summary(root: str) -> str:
    """Markdown table of every surface folder under `root` (E_b in eV, wall time in hours)."""
    lines = ["| surface | labels (T_M/H/H_X/bridge) | E_b min..max (eV) | wall (h) |",
             "|---|---|---|---|"]
    total_labels, total_wall = 0, 0.0
    for name in sorted(os.listdir(root)):
        meta_path = os.path.join(root, name, "meta.json")
        if not os.path.exists(meta_path):
            continue
        with open(meta_path) as fh:
            meta = json.load(fh)
        with open(os.path.join(root, name, "labels.csv")) as fh:
            rows = list(csv.DictReader(fh))
        kinds = Counter(r["kind"] for r in rows)
        eb = [float(r["E_b_eV"]) for r in rows]
        rng = f"{min(eb):.3f}..{max(eb):.3f}" if eb else "-"
        lines.append(f"| {name} | {len(rows)} ({kinds['T_M']}/{kinds['H']}/{kinds['H_X']}/{kinds['bridge']}) "
                     f"| {rng} | {meta['wall_s'] / 3600:.2f} |")
        total_labels += len(rows)
        total_wall += meta["wall_s"]
    lines.append(f"| total | {total_labels} | | {total_wall / 3600:.2f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(summary(sys.argv[1] if len(sys.argv) > 1 else "data/demo"))
