/** Pearson correlation and least-squares line y = slope * x + intercept (the paper's MEP vs E_b finding). */
export interface LinearFit {
  n: number;
  pearsonR: number;
  slope: number;
  intercept: number;
}

/** Null with fewer than 3 points or no spread in x or y (r undefined). */
export function linearFit(x: readonly number[], y: readonly number[]): LinearFit | null {
  const n = Math.min(x.length, y.length);
  if (n < 3) return null;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  if (sxx === 0 || syy === 0) return null;
  const slope = sxy / sxx;
  return { n, pearsonR: sxy / Math.sqrt(sxx * syy), slope, intercept: my - slope * mx };
}
