export * from './mat3';
