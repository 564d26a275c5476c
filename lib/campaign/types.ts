/**
 * A campaign: the next DFT calculations of a dataset, handed to the user's cluster as one folder (manifest.json, one
 * input folder per calculation, a Slurm job-array script) and taken back through the surface upload (DESIGN.md
 * "Campaigns"). Energies in eV, lengths in Angstrom, positions Cartesian.
 */
import type { Vec3 } from '../math/mat3';
import type { MuLiRecord } from '../pipeline/mu-li';
import type { Structure } from '../structure/structure';

export type CalculationKind = 'relax' | 'neb';
export type Engine = 'vasp' | 'gpaw';

/** A site as the campaign names it: the app's canonical id and the name people see (the user's label name, if any). */
export interface NamedSite {
  /** The app's canonical site id ('T_M-0', 'bridge-12'). */
  appId: string;
  /** The user's name where the site carries their label, else the app's id. */
  name: string;
  kind: string;
  /** Li position the calculation starts from, Cartesian Angstrom. */
  position: Vec3;
}

/** What the exporter knows of one stored surface. */
export interface CampaignSurface {
  id: string;
  name: string;
  /** Host slab without Li. */
  structure: Structure;
  /** Label names and NEB-run names already stored on the surface (a new label must not reuse one). */
  storedLabelNames: string[];
  storedNebNames: string[];
}

/** One calculation chosen for the campaign, before its files are written. */
export type CalculationChoice =
  | { kind: 'relax'; surface: CampaignSurface; site: NamedSite; why: string }
  | {
      kind: 'neb';
      surface: CampaignSurface;
      hop: string;
      from: NamedSite;
      saddle: NamedSite;
      to: NamedSite;
      why: string;
    };

/** Slurm resources and the commands each task runs (submit.sh). */
export interface SlurmOptions {
  jobName: string;
  partition?: string;
  /** Wall time per task, Slurm syntax ('04:00:00'). */
  time: string;
  nodes: number;
  ntasks: number;
  cpusPerTask: number;
  account?: string;
  /** `module load` lines, e.g. ['vasp/6.4.2']. */
  modules: string[];
  /** How a VASP task runs the code (inside the calculation folder). */
  vaspCommand: string;
  /** The Python that has GPAW and ASE, for GPAW tasks. */
  pythonCommand: string;
}

export const DEFAULT_SLURM: SlurmOptions = {
  jobName: 'epdi-campaign',
  time: '04:00:00',
  nodes: 1,
  ntasks: 1,
  cpusPerTask: 1,
  modules: [],
  vaspCommand: 'srun vasp_std',
  pythonCommand: 'python3',
};

/** VASP settings the INCAR template is made from (the user may edit the template text itself). */
export interface VaspOptions {
  encutEv: number;
  functional: 'PBE' | 'PBEsol' | 'RPBE';
  vdw: 'none' | 'D3' | 'D3BJ';
  dipoleCorrection: boolean;
  /** Gamma-centred k-point mesh. */
  kpoints: [number, number, number];
  /** Relaxations: Li moves in z only (xy fixed at the site) or freely. The host is frozen either way. */
  liXyFree: boolean;
  /** NEB: images between the end points. */
  nebImages: number;
  /** The INCAR template text; null = made from the options above (`defaultIncarTemplate`). */
  incarTemplate: string | null;
}

export const DEFAULT_VASP: VaspOptions = {
  encutEv: 450,
  functional: 'PBE',
  vdw: 'D3',
  dipoleCorrection: true,
  kpoints: [3, 3, 1],
  liXyFree: false,
  nebImages: 5,
  incarTemplate: null,
};

/** GPAW settings: the keys of scripts/dft/calc.py STANDARD that differ from it (empty = the dataset's standard). */
export type GpawOverrides = Record<string, unknown>;

/** A text file of scripts/dft shipped with a GPAW campaign so its scripts run the generator's own code. */
export interface CodeFile {
  /** Path under scripts/dft, e.g. 'calc.py'. */
  path: string;
  text: string;
}

export interface CampaignInput {
  id: string;
  createdAt: string;
  dataset: { id: string; name: string };
  muLi: MuLiRecord;
  engine: Engine;
  /** How the calculations were chosen, for people ('next 4 predicted saddles', 'sites picked by hand'). */
  selection: string;
  choices: CalculationChoice[];
  slurm: SlurmOptions;
  vasp: VaspOptions;
  gpaw: { overrides: GpawOverrides; code: CodeFile[] };
}
