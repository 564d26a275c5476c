export * from './elements-visual';
export * from './structure-geometry';
export * from './colour-scale';
export * from './binary-body';
export * from './slice';
export * from './marching-cubes';
export * from './surface-model';
