/**
 * A Float32 array that grows as values arrive, up to a declared capacity: a file header that declares 640^3 points
 * costs nothing until the values are actually there (issue 15). Backed by a resizable ArrayBuffer where the runtime
 * has one (Node 20+, current browsers): the address space is reserved, memory is committed as the buffer grows, and
 * nothing is copied on growth. Elsewhere it falls back to one allocation of the full capacity.
 */

/** Values per growth step (4 MiB of float32). */
const STEP = 1 << 20;

interface ResizableArrayBuffer extends ArrayBuffer {
  resize(byteLength: number): void;
}

function resizable(maxByteLength: number): ResizableArrayBuffer | undefined {
  try {
    const Ctor = ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => ArrayBuffer;
    const buf = new Ctor(0, { maxByteLength }) as ResizableArrayBuffer;
    return typeof buf.resize === 'function' && (buf as { resizable?: boolean }).resizable ? buf : undefined;
  } catch {
    return undefined;
  }
}

export class GrowableFloat32 {
  /** Values appended so far. */
  length = 0;
  private readonly buf?: ResizableArrayBuffer;
  private view: Float32Array;

  constructor(readonly capacity: number) {
    this.buf = resizable(capacity * 4);
    this.view = this.buf ? new Float32Array(this.buf) : new Float32Array(capacity);
  }

  /** Append `count` values of `block` (from its start). */
  append(block: Float32Array, count = block.length): void {
    const need = this.length + count;
    if (need > this.capacity)
      throw new RangeError(`GrowableFloat32: ${need} values exceed the capacity ${this.capacity}`);
    if (this.buf && need > this.view.length) {
      this.buf.resize(Math.min(this.capacity, Math.max(need, this.view.length + STEP)) * 4);
      this.view = new Float32Array(this.buf);
    }
    this.view.set(count === block.length ? block : block.subarray(0, count), this.length);
    this.length = need;
  }

  /** The values as one Float32Array of exactly `capacity` values; call once `length === capacity`. */
  finish(): Float32Array {
    if (this.length !== this.capacity)
      throw new RangeError(`GrowableFloat32: ${this.length} of ${this.capacity} values`);
    if (this.buf && this.buf.byteLength !== this.capacity * 4) this.buf.resize(this.capacity * 4);
    return this.buf ? new Float32Array(this.buf, 0, this.capacity) : this.view;
  }
}
