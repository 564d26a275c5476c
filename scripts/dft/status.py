"""Print a Markdown summary of the dataset: per surface, labels by kind, E_b range and compute time; then every
CI-NEB (finished: bridge scan vs NEB saddle; running: steps so far).

Usage: /usr/bin/python3 -m scripts.dft.status [data/demo] [--readme]
With --readme the tables replace the ones between the status markers of README.md and scripts/dft/README.md.
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


def neb_summary(root: str) -> str:
    """Markdown table of every CI-NEB under `root`/<surface>/neb/<bridge>/: for a finished one the bridge height-scan
    energy against the NEB saddle (meV; positive = the bridge lies above the saddle) and the saddle's in-plane
    distance from the bridge; for one still running the optimiser steps and largest force so far."""
    lines = ["| surface | hop | state | E(bridge scan) - E(NEB saddle) (meV) | saddle from bridge (A) "
             "| optimiser steps | wall (h) |", "|---|---|---|---|---|---|---|"]
    total_wall = 0.0
    for name in sorted(os.listdir(root)):
        neb_root = os.path.join(root, name, "neb")
        if not os.path.isdir(neb_root):
            continue
        for run in sorted(os.listdir(neb_root)):
            folder = os.path.join(neb_root, run)
            done = _read(os.path.join(folder, "summary.json"))
            if done is not None:
                hop = f"{done['hop'][0]} -> {run} -> {done['hop'][1]}"
                wall = done["wall_s"] + done.get("wall_s_not_checkpointed", 0)
                lines.append(f"| {name} | {hop} | converged | {done['E_bridge_minus_NEB_saddle_eV'] * 1000:.1f} "
                             f"| {done['saddle_offset_from_bridge_xy_A']:.2f} | {done['steps']} "
                             f"| {wall / 3600:.2f} |")
                total_wall += wall
                continue
            ckpt = _read(os.path.join(folder, ".progress.json"))
            if ckpt is not None:
                lines.append(f"| {name} | {run} | running | | | {ckpt['steps']} | {ckpt.get('wall_s', 0) / 3600:.2f} |")
                total_wall += ckpt.get("wall_s", 0)
    if len(lines) == 2:
        return "No CI-NEB yet."
    lines.append(f"| total | | | | | | {total_wall / 3600:.2f} |")
    return "\n".join(lines)


def relax_summary(root: str) -> str:
    """Markdown table of every host-relaxation check (relax.py) under `root`/<surface>/.progress/relax-<bridge>.json:
    per knot the relaxation energy Li causes (meV; the host's own relaxation of the same atoms subtracted), and the
    forward barrier frozen vs relaxed (eV)."""
    lines = ["| surface | hop | state | Li-induced relaxation at A / bridge / B (meV) "
             "| forward barrier frozen -> relaxed (eV) "
             "| optimiser steps | wall (h) |", "|---|---|---|---|---|---|---|"]
    for name in sorted(os.listdir(root)):
        progress = os.path.join(root, name, ".progress")
        if not os.path.isdir(progress):
            continue
        for fname in sorted(f for f in os.listdir(progress) if f.startswith("relax-") and f.endswith(".json")):
            ckpt = _read(os.path.join(progress, fname))
            knots = ckpt["knots"]
            steps = sum(k.get("steps", 0) for k in knots.values())
            wall = sum(k.get("wall_s", 0) for k in knots.values()) / 3600
            if ckpt.get("done") and "li_induced_relaxation_eV" in ckpt:
                order = (ckpt["hop"][0], ckpt["bridge"], ckpt["hop"][1])
                drops = " / ".join(f"{e * 1000:.0f}" for e in ckpt["li_induced_relaxation_eV"])
                lines.append(f"| {name} | {order[0]} -> {order[1]} -> {order[2]} | done | {drops} "
                             f"| {ckpt['barrier_forward_frozen_eV']:.3f} -> {ckpt['barrier_forward_relaxed_eV']:.3f} "
                             f"| {steps} | {wall:.2f} |")
            else:
                lines.append(f"| {name} | {fname[len('relax-'):-len('.json')]} | running | | | {steps} | {wall:.2f} |")
    return "\n".join(lines) if len(lines) > 2 else "No host-relaxation check yet."


def _read(path: str):
    """JSON at `path`, or None when there is no such file."""
    if not os.path.exists(path):
        return None
    with open(path) as fh:
        return json.load(fh)


MARKERS = {"README.md": ("<!-- dataset-status -->", "<!-- /dataset-status -->"),
           os.path.join("scripts", "dft", "README.md"): ("<!-- status -->", "<!-- /status -->")}
NEB_MARKERS = ("<!-- neb-status -->", "<!-- /neb-status -->")


def _replace_between(text: str, start: str, end: str, body: str) -> str:
    """`text` with what lies between the markers `start` and `end` replaced by `body`."""
    i, j = text.index(start) + len(start), text.index(end)
    return text[:i] + "\n\n" + body + "\n\n" + text[j:]


def update_readmes(table: str, neb_table: str, repo: str = ".") -> None:
    """Replace the text between each README's status markers by `table`, and between its NEB markers (where it has
    them) by `neb_table`."""
    for rel, (start, end) in MARKERS.items():
        path = os.path.join(repo, rel)
        with open(path) as fh:
            text = fh.read()
        text = _replace_between(text, start, end, table)
        if NEB_MARKERS[0] in text:
            text = _replace_between(text, *NEB_MARKERS, neb_table)
        with open(path, "w") as fh:
            fh.write(text)


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    root = args[0] if args else "data/demo"
    table = summary(root)
    neb_table = neb_summary(root) + "\n\nHost-relaxation checks (`--relax`, relax.py):\n\n" + relax_summary(root)
    print(table + "\n\n" + neb_table)
    if "--readme" in sys.argv:
        update_readmes(table, neb_table)
