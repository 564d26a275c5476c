import type { Grid3D } from './grid3d';

/**
 * Down-sample a periodic grid to at most `maxPerAxis` points per axis with a separable tent (triangle) filter.
 *
 * Axis of n points reduced to m = min(n, maxPerAxis): output point i sits at fractional i/m (so the result is again a
 * Grid3D over the same lattice, x fastest) and is the weighted mean of the input points k with periodic fractional
 * distance d = |k/n - i/m| < 1/m, weight 1 - d m. The filter is centred on the output points (no half-cell shift) and
 * averages every input point (no aliasing of narrow wells). Axes with n <= maxPerAxis are copied unchanged.
 */
export function downsampleGrid(grid: Grid3D, maxPerAxis: number): Grid3D {
  if (!(Number.isInteger(maxPerAxis) && maxPerAxis >= 2))
    throw new RangeError('downsampleGrid: maxPerAxis must be an integer >= 2');
  let current = grid;
  for (const axis of [0, 1, 2] as const) {
    const n = current.dims[axis];
    if (n > maxPerAxis) current = filterAxis(current, axis, maxPerAxis);
  }
  return current === grid ? { dims: [...grid.dims], lattice: grid.lattice, data: grid.data.slice() } : current;
}

/** Normalised tent weights: for every output point, the input indices and weights. */
export function tentWeights(n: number, m: number): { index: Int32Array; weight: Float64Array }[] {
  const out: { index: Int32Array; weight: Float64Array }[] = [];
  for (let i = 0; i < m; i++) {
    const centre = (i * n) / m; // in input index units
    const half = n / m; // tent half-width in input index units
    const k0 = Math.ceil(centre - half + 1e-9);
    const k1 = Math.floor(centre + half - 1e-9);
    const idx: number[] = [];
    const w: number[] = [];
    let sum = 0;
    for (let k = k0; k <= k1; k++) {
      const weight = 1 - Math.abs(k - centre) / half;
      if (weight <= 0) continue;
      idx.push(((k % n) + n) % n);
      w.push(weight);
      sum += weight;
    }
    out.push({ index: Int32Array.from(idx), weight: Float64Array.from(w.map((x) => x / sum)) });
  }
  return out;
}

function filterAxis(grid: Grid3D, axis: 0 | 1 | 2, m: number): Grid3D {
  const dims: [number, number, number] = [...grid.dims];
  const n = dims[axis];
  const weights = tentWeights(n, m);
  const outDims: [number, number, number] = [...dims];
  outDims[axis] = m;
  const [ox, oy, oz] = outDims;
  const [nx, ny] = dims;
  const src = grid.data;
  const data = new Float32Array(ox * oy * oz);
  const stride = axis === 0 ? 1 : axis === 1 ? nx : nx * ny;
  for (let k = 0; k < oz; k++)
    for (let j = 0; j < oy; j++)
      for (let i = 0; i < ox; i++) {
        const o = [i, j, k];
        const t = weights[o[axis]];
        o[axis] = 0;
        const base = o[0] + nx * (o[1] + ny * o[2]);
        let sum = 0;
        for (let q = 0; q < t.index.length; q++) sum += t.weight[q] * src[base + stride * t.index[q]];
        data[i + ox * (j + oy * k)] = sum;
      }
  return { dims: outDims, lattice: grid.lattice, data };
}
