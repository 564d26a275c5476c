/**
 * Dense linear algebra in plain TypeScript (Float64Array, row-major). Sized for a few hundred samples: ridge, GP and
 * PCA all go through one symmetric eigendecomposition (Householder tridiagonalisation + implicit QL, after JAMA).
 */

/** A row-major matrix. `Shape: [rows, cols]`. */
export interface Matrix {
  rows: number;
  cols: number;
  data: Float64Array;
}

export function matrix(rows: number, cols: number, data?: Float64Array): Matrix {
  return { rows, cols, data: data ?? new Float64Array(rows * cols) };
}

/** Gram matrix A A^T. `Shape: [rows, rows]`. */
export function gramRows(a: Matrix): Matrix {
  const { rows: n, cols: p, data } = a;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const oi = i * p;
    for (let j = 0; j <= i; j++) {
      const oj = j * p;
      let s = 0;
      for (let k = 0; k < p; k++) s += data[oi + k] * data[oj + k];
      out[i * n + j] = s;
      out[j * n + i] = s;
    }
  }
  return matrix(n, n, out);
}

/** A^T A. `Shape: [cols, cols]`. */
export function gramCols(a: Matrix): Matrix {
  const { rows: n, cols: p, data } = a;
  const out = new Float64Array(p * p);
  for (let r = 0; r < n; r++) {
    const o = r * p;
    for (let i = 0; i < p; i++) {
      const v = data[o + i];
      if (v === 0) continue;
      const oi = i * p;
      for (let j = 0; j <= i; j++) out[oi + j] += v * data[o + j];
    }
  }
  for (let i = 0; i < p; i++) for (let j = 0; j < i; j++) out[j * p + i] = out[i * p + j];
  return matrix(p, p, out);
}

/** y = A x. */
export function matVec(a: Matrix, x: ArrayLike<number>): Float64Array {
  const out = new Float64Array(a.rows);
  for (let i = 0; i < a.rows; i++) {
    let s = 0;
    const o = i * a.cols;
    for (let k = 0; k < a.cols; k++) s += a.data[o + k] * x[k];
    out[i] = s;
  }
  return out;
}

/** y = A^T x. */
export function matTVec(a: Matrix, x: ArrayLike<number>): Float64Array {
  const out = new Float64Array(a.cols);
  for (let i = 0; i < a.rows; i++) {
    const xi = x[i];
    if (xi === 0) continue;
    const o = i * a.cols;
    for (let k = 0; k < a.cols; k++) out[k] += a.data[o + k] * xi;
  }
  return out;
}

export interface SymEigen {
  /** Eigenvalues, ascending. */
  values: Float64Array;
  /** Eigenvectors as COLUMNS of a row-major n x n matrix: v_k[i] = vectors[i * n + k]. */
  vectors: Float64Array;
  n: number;
}

/** Symmetric eigendecomposition A = V diag(d) V^T (A is not modified). */
export function symEigen(a: Matrix): SymEigen {
  const n = a.rows;
  if (a.cols !== n) throw new Error('symEigen: matrix is not square');
  const V = Float64Array.from(a.data);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  if (n === 0) return { values: d, vectors: V, n };
  tred2(n, V, d, e);
  tql2(n, V, d, e);
  return { values: d, vectors: V, n };
}

function tred2(n: number, V: Float64Array, d: Float64Array, e: Float64Array): void {
  for (let j = 0; j < n; j++) d[j] = V[(n - 1) * n + j];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = V[(i - 1) * n + j];
        V[i * n + j] = 0;
        V[j * n + i] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j];
        V[j * n + i] = f;
        g = e[j] + V[j * n + j] * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += V[k * n + j] * d[k];
          e[k] += V[k * n + j] * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        f = d[j];
        g = e[j];
        for (let k = j; k <= i - 1; k++) V[k * n + j] -= f * e[k] + g * d[k];
        d[j] = V[(i - 1) * n + j];
        V[i * n + j] = 0;
      }
    }
    d[i] = h;
  }
  for (let i = 0; i < n - 1; i++) {
    V[(n - 1) * n + i] = V[i * n + i];
    V[i * n + i] = 1;
    const h = d[i + 1];
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = V[k * n + i + 1] / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += V[k * n + i + 1] * V[k * n + j];
        for (let k = 0; k <= i; k++) V[k * n + j] -= g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) V[k * n + i + 1] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = V[(n - 1) * n + j];
    V[(n - 1) * n + j] = 0;
  }
  V[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

function tql2(n: number, V: Float64Array, d: Float64Array, e: Float64Array): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 60) throw new Error('symEigen: no convergence');
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          for (let k = 0; k < n; k++) {
            const o = k * n;
            h = V[o + i + 1];
            V[o + i + 1] = s * V[o + i] + c * h;
            V[o + i] = c * V[o + i] - s * h;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] = d[l] + f;
    e[l] = 0;
  }
  // Sort ascending (selection sort keeps it simple; n is small).
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    let p = d[i];
    for (let j = i + 1; j < n; j++) if (d[j] < p) {
      k = j;
      p = d[j];
    }
    if (k !== i) {
      d[k] = d[i];
      d[i] = p;
      for (let j = 0; j < n; j++) {
        const o = j * n;
        const t = V[o + i];
        V[o + i] = V[o + k];
        V[o + k] = t;
      }
    }
  }
}

/** U^T y for an eigenbasis U (columns). */
export function projectOnEigen(eig: SymEigen, y: ArrayLike<number>): Float64Array {
  const { n, vectors } = eig;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const yi = y[i];
    if (yi === 0) continue;
    const o = i * n;
    for (let k = 0; k < n; k++) out[k] += vectors[o + k] * yi;
  }
  return out;
}

/** U c for an eigenbasis U (columns). */
export function fromEigen(eig: SymEigen, c: ArrayLike<number>): Float64Array {
  const { n, vectors } = eig;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    const o = i * n;
    for (let k = 0; k < n; k++) s += vectors[o + k] * c[k];
    out[i] = s;
  }
  return out;
}

/** Column means and standard deviations; a constant column gets std 1 (it then standardises to 0). */
export interface Standardiser {
  mean: Float64Array;
  std: Float64Array;
}

export function fitStandardiser(x: Matrix): Standardiser {
  const { rows: n, cols: p, data } = x;
  const mean = new Float64Array(p);
  const std = new Float64Array(p);
  for (let i = 0; i < n; i++) for (let k = 0; k < p; k++) mean[k] += data[i * p + k];
  for (let k = 0; k < p; k++) mean[k] /= Math.max(n, 1);
  for (let i = 0; i < n; i++)
    for (let k = 0; k < p; k++) {
      const d = data[i * p + k] - mean[k];
      std[k] += d * d;
    }
  for (let k = 0; k < p; k++) {
    const s = Math.sqrt(std[k] / Math.max(n, 1));
    std[k] = s > 1e-12 ? s : 1;
  }
  return { mean, std };
}

export function applyStandardiser(x: Matrix, st: Standardiser): Matrix {
  const { rows: n, cols: p, data } = x;
  const out = new Float64Array(n * p);
  for (let i = 0; i < n; i++)
    for (let k = 0; k < p; k++) out[i * p + k] = (data[i * p + k] - st.mean[k]) / st.std[k];
  return matrix(n, p, out);
}

/** Rows picked by index. */
export function takeRows(x: Matrix, idx: readonly number[]): Matrix {
  const out = new Float64Array(idx.length * x.cols);
  for (let r = 0; r < idx.length; r++) out.set(x.data.subarray(idx[r] * x.cols, (idx[r] + 1) * x.cols), r * x.cols);
  return matrix(idx.length, x.cols, out);
}

/** [A | B] column-wise. */
export function hstack(a: Matrix, b: Matrix): Matrix {
  if (a.rows !== b.rows) throw new Error('hstack: row counts differ');
  const p = a.cols + b.cols;
  const out = new Float64Array(a.rows * p);
  for (let i = 0; i < a.rows; i++) {
    out.set(a.data.subarray(i * a.cols, (i + 1) * a.cols), i * p);
    out.set(b.data.subarray(i * b.cols, (i + 1) * b.cols), i * p + a.cols);
  }
  return matrix(a.rows, p, out);
}

/** Principal components: `components` `Shape: [k, p]` (unit rows), projection of centred rows. */
export interface Pca {
  mean: Float64Array;
  components: Float64Array;
  k: number;
  p: number;
}

export function fitPca(x: Matrix, k: number): Pca {
  const { rows: n, cols: p } = x;
  const mean = new Float64Array(p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) mean[j] += x.data[i * p + j] / n;
  const c = matrix(n, p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) c.data[i * p + j] = x.data[i * p + j] - mean[j];
  const kk = Math.max(1, Math.min(k, n - 1, p));
  const components = new Float64Array(kk * p);
  if (n <= p) {
    const eig = symEigen(gramRows(c));
    for (let q = 0; q < kk; q++) {
      const col = n - 1 - q;
      const s = Math.sqrt(Math.max(eig.values[col], 1e-300));
      const u = new Float64Array(n);
      for (let i = 0; i < n; i++) u[i] = eig.vectors[i * n + col];
      const v = matTVec(c, u);
      for (let j = 0; j < p; j++) components[q * p + j] = v[j] / s;
    }
  } else {
    const eig = symEigen(gramCols(c));
    for (let q = 0; q < kk; q++) {
      const col = p - 1 - q;
      for (let j = 0; j < p; j++) components[q * p + j] = eig.vectors[j * p + col];
    }
  }
  return { mean, components, k: kk, p };
}

export function applyPca(x: Matrix, pca: Pca): Matrix {
  const { rows: n } = x;
  const out = new Float64Array(n * pca.k);
  for (let i = 0; i < n; i++)
    for (let q = 0; q < pca.k; q++) {
      let s = 0;
      for (let j = 0; j < pca.p; j++) s += (x.data[i * pca.p + j] - pca.mean[j]) * pca.components[q * pca.p + j];
      out[i * pca.k + q] = s;
    }
  return matrix(n, pca.k, out);
}

/** Cholesky factor L (lower, row-major) of a symmetric positive-definite matrix; throws if not SPD. */
export function cholesky(a: Matrix): Float64Array {
  const n = a.rows;
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      let s = a.data[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      if (i === j) {
        if (!(s > 0)) throw new Error('cholesky: matrix is not positive definite');
        l[i * n + i] = Math.sqrt(s);
      } else l[i * n + j] = s / l[j * n + j];
    }
  return l;
}

/** Solve (L L^T) x = b. */
export function choleskySolve(l: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * n + k] * y[k];
    y[i] = s / l[i * n + i];
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * x[k];
    x[i] = s / l[i * n + i];
  }
  return x;
}
