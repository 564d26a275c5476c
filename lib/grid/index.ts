export * from './grid3d';
export * from './coords';
export * from './interpolate';
export * from './plane';
export * from './quadrature';
export * from './averages';
export * from './vacuum';
export * from './downsample';
