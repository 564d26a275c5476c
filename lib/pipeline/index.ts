/**
 * The one pipeline (DESIGN.md "One pipeline"): a surface bundle -> sites and hops -> labels matched (the user's
 * names kept beside the app's ids) -> E_b on the dataset's one mu_Li record -> profiles, barriers, percolation, NEB
 * comparisons. The command line, the upload/import path and the server's dataset views are adapters over it.
 */
export * from './mu-li';
export * from './labels';
export * from './views';
export * from './knots';
export * from './neb-match';
export * from './graph';
export * from './surface-profiles';
export * from './dataset-profiles';
export * from './from-sites';
