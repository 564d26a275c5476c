export * from './settings';
export * from './mep';
export * from './render';
export * from './range';
export * from './colormap';
export * from './extract';
export * from './correlation';
