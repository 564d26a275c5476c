/**
 * Campaigns (DESIGN.md "Campaigns"): the next DFT calculations leave the app as one folder (manifest, inputs, a Slurm
 * job array) and their results come back through the surface upload, matched by the manifest. Pure: no file system.
 */
export * from './types';
export * from './geometry';
export * from './vasp';
export * from './gpaw';
export * from './slurm';
export * from './manifest';
export * from './build';
export * from './results';
export * from './select';
export * from './archive';
export * from './moves';
