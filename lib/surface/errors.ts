/** Errors of the surface layer: a literal `code` callers can map without parsing messages. */
export type SurfaceErrorCode =
  | 'no_atoms' // nothing left after ignoring adsorbates
  | 'no_chalcogen_layer' // no chalcogen atoms (S, Se, Te, O or the given list)
  | 'no_metal_layer' // no metal atoms under the top chalcogen layer
  | 'triangulation_failed'; // periodic Delaunay did not give 2 triangles per top-layer atom

export class SurfaceError extends Error {
  readonly code: SurfaceErrorCode;
  constructor(code: SurfaceErrorCode, message: string) {
    super(message);
    this.name = 'SurfaceError';
    this.code = code;
  }
}
