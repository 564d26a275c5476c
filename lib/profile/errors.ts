/**
 * Errors of the profile layer. Evaluating a curve outside its knots throws a plain `RangeError` (the contract the
 * issue asks for: never extrapolate); everything else that is wrong with the input is a `ProfileError` with a literal
 * `code`, so callers (route handlers, CLI) can map it without parsing messages.
 */
export type ProfileErrorCode =
  | 'bad_knots' // fewer than two knots, unequal lengths, non-increasing abscissae, non-finite values
  | 'bad_ensemble' // ensemble members of unequal length or non-finite
  | 'bad_path' // consecutive hops of a path do not share a site
  | 'bad_graph' // hop graph references unknown sites or translation vectors of mixed dimension
  | 'bad_argument'; // anything else a caller passed that cannot be used

export class ProfileError extends Error {
  readonly code: ProfileErrorCode;
  constructor(code: ProfileErrorCode, message: string) {
    super(message);
    this.name = 'ProfileError';
    this.code = code;
  }
}

/** `x is ProfileError` guard for `unknown` caught values. */
export function isProfileError(value: unknown): value is ProfileError {
  return value instanceof ProfileError;
}
