export * from './errors';
export * from './frame';
export * from './layers';
export * from './delaunay';
export * from './sites';
export * from './symmetry';
export * from './match-labels';
