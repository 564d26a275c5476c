"""Print a Markdown summary of the dataset: per surface, labels by kind, E_b range and compute time.

Usage: /usr/bin/python3 -m scripts.dft.status [data/demo] [--readme]
With --readme the table replaces the one between the status markers of README.md and scripts/dft/README.md.
"""
import csv
import json
import os
import sys
from collections import Counter


def summary(root: str) -> str:
    """Markdown table of every surface folder under `root` (E_b in eV, wall time in hours)."""
    lines = ["| surface | site groups done | labels (T_M/H/H_X/bridge) | E_b min..max (eV) | wall (h) |",
             "|---|---|---|---|---|"]
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
        lines.append(f"| {name} | {len(rows)}/{_group_count(os.path.join(root, name))} "
                     f"| {len(rows)} ({kinds['T_M']}/{kinds['H']}/{kinds['H_X']}/{kinds['bridge']}) "
                     f"| {rng} | {meta['wall_s'] / 3600:.2f} |")
        total_labels += len(rows)
        total_wall += meta["wall_s"]
    lines.append(f"| total | | {total_labels} | | {total_wall / 3600:.2f} |")
    return "\n".join(lines)


def _group_count(surface_dir: str) -> str:
    """Symmetry groups of the surface (one label each when complete), or '?' before the site list is written."""
    path = os.path.join(surface_dir, ".progress", "sites.json")
    if not os.path.exists(path):
        return "?"
    with open(path) as fh:
        return str(len({s["group"] for s in json.load(fh)}))


MARKERS = {"README.md": ("<!-- dataset-status -->", "<!-- /dataset-status -->"),
           os.path.join("scripts", "dft", "README.md"): ("<!-- status -->", "<!-- /status -->")}


def update_readmes(table: str, repo: str = ".") -> None:
    """Replace the text between each README's status markers by `table`."""
    for rel, (start, end) in MARKERS.items():
        path = os.path.join(repo, rel)
        with open(path) as fh:
            text = fh.read()
        i, j = text.index(start) + len(start), text.index(end)
        with open(path, "w") as fh:
            fh.write(text[:i] + "\n\n" + table + "\n\n" + text[j:])


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    table = summary(args[0] if args else "data/demo")
    print(table)
    if "--readme" in sys.argv:
        update_readmes(table)
