/** Profiles and barriers: PCHIP hop profiles, barriers, percolation, binding energies, NEB comparison, exports. */
export * from './errors';
export * from './pchip';
export * from './profile';
export * from './percolation';
export * from './binding';
export * from './neb-compare';
export * from './doping';
export * from './csv';
export * from './export-json';
export * from './next-saddle';
