/** An upload problem the client caused: becomes an HTTP 4xx with the file (and line) it concerns. */
export class UploadError extends Error {
  readonly status: number;
  readonly code: string;
  readonly file?: string;
  readonly line?: number;

  constructor(status: number, code: string, message: string, opts: { file?: string; line?: number } = {}) {
    super(message);
    this.name = 'UploadError';
    this.status = status;
    this.code = code;
    this.file = opts.file;
    this.line = opts.line;
  }

  toJSON(): { code: string; message: string; file?: string; line?: number } {
    return { code: this.code, message: this.message, file: this.file, line: this.line };
  }
}
