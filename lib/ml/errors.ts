/** The ML layer's error family: a literal `code`, a human message, and the offending path/name where there is one. */
export type MlErrorCode =
  | 'weights_missing'
  | 'backbone_unknown'
  | 'backbone_config'
  | 'bad_samples'
  | 'not_enough_data'
  | 'leak'
  | 'aborted'
  | 'bad_model_file'
  | 'numerical';

export class MlError extends Error {
  readonly code: MlErrorCode;
  readonly path?: string;
  constructor(code: MlErrorCode, message: string, path?: string) {
    super(message);
    this.name = 'MlError';
    this.code = code;
    this.path = path;
  }
}

export function isMlError(e: unknown): e is MlError {
  return e instanceof MlError;
}

/** One line for people. */
export function formatMlError(e: MlError): string {
  return `${e.code}: ${e.message}${e.path ? ` (${e.path})` : ''}`;
}

export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new MlError('aborted', 'training cancelled');
}
