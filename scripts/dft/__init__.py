"""GPAW generator of the EPDI Lab demo dataset: Li on (doped) MX2 monolayers.

Modules: build (structures), sites (hollows and bridges), calc (GPAW settings),
refs (mu_Li references), write (surface-folder files), neb (CI-NEB), run (driver).
"""
