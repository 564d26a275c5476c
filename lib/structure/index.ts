export * from './structure';
