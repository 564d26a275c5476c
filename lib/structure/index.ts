export * from './structure';
export * from './composition';
