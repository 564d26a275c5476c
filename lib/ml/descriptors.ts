/**
 * Physics descriptors of a site computed from its EPDI potential image (eV) plus the sample's own scalars.
 * Pixel (i, j) (row i = y, column j = x) sits at ((j + 0.5) h - W/2, (i + 0.5) h - W/2) Angstrom from the site,
 * h = W / N. For saddles the window is rotated so that the hop runs along +x, so x-odd moments carry direction.
 */
import { SITE_KINDS, type Sample } from './types';

const DISK_RADII_ANGSTROM = [0.5, 1.0, 1.5, 2.0, 2.5];
const RING = [0.8, 1.8];
const HARMONICS = [1, 2, 3, 6];

/** Names of the image descriptors, in the order `imageDescriptors` returns them. */
export const IMAGE_DESCRIPTOR_NAMES: readonly string[] = [
  ...DISK_RADII_ANGSTROM.map((r) => `disk_mean_r${r}_eV`),
  'centre_eV',
  'grad_x_eV_per_A',
  'grad_y_eV_per_A',
  'grad_norm_eV_per_A',
  'laplacian_eV_per_A2',
  'hess_xx_minus_yy_eV_per_A2',
  ...HARMONICS.flatMap((m) => [`ring_m${m}_amp_eV`, `ring_m${m}_cos_eV`]),
  'image_std_eV',
  'image_min_eV',
  'image_max_eV',
];

/** Image descriptors of one EPDI; see IMAGE_DESCRIPTOR_NAMES. */
export function imageDescriptors(sample: Sample): Float64Array {
  const n = sample.pixels;
  const w = sample.windowAngstrom ?? 6.4;
  const h = w / n;
  const v = sample.epdi;
  const out: number[] = [];
  const diskSum = new Float64Array(DISK_RADII_ANGSTROM.length);
  const diskCount = new Float64Array(DISK_RADII_ANGSTROM.length);
  const re = new Float64Array(HARMONICS.length);
  const im = new Float64Array(HARMONICS.length);
  let ringMean = 0;
  let ringCount = 0;
  let mean = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const x = (j + 0.5) * h - w / 2;
      const y = (i + 0.5) * h - w / 2;
      const r = Math.hypot(x, y);
      const val = v[i * n + j];
      mean += val;
      if (val < min) min = val;
      if (val > max) max = val;
      DISK_RADII_ANGSTROM.forEach((rr, k) => {
        if (r <= rr) {
          diskSum[k] += val;
          diskCount[k]++;
        }
      });
      if (r >= RING[0] && r <= RING[1]) {
        ringMean += val;
        ringCount++;
      }
    }
  mean /= n * n;
  ringMean = ringCount > 0 ? ringMean / ringCount : 0;
  let varSum = 0;
  for (let i = 0; i < n * n; i++) varSum += (v[i] - mean) ** 2;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const x = (j + 0.5) * h - w / 2;
      const y = (i + 0.5) * h - w / 2;
      const r = Math.hypot(x, y);
      if (r < RING[0] || r > RING[1]) continue;
      const th = Math.atan2(y, x);
      const val = v[i * n + j] - ringMean;
      HARMONICS.forEach((m, k) => {
        re[k] += val * Math.cos(m * th);
        im[k] += val * Math.sin(m * th);
      });
    }
  DISK_RADII_ANGSTROM.forEach((_, k) => out.push(diskCount[k] > 0 ? diskSum[k] / diskCount[k] : bilinear(v, n, (n - 1) / 2, (n - 1) / 2)));
  // Derivatives at the centre from a quadratic least-squares fit over a 1 Angstrom disk.
  const q = quadraticFit(v, n, h, w, 1.0);
  out.push(q.c, q.gx, q.gy, Math.hypot(q.gx, q.gy), 2 * (q.xx + q.yy), 2 * (q.xx - q.yy));
  HARMONICS.forEach((_, k) => {
    const c = ringCount > 0 ? 2 / ringCount : 0;
    out.push(Math.hypot(re[k], im[k]) * c, re[k] * c);
  });
  out.push(Math.sqrt(varSum / (n * n)), min, max);
  return Float64Array.from(out);
}

function bilinear(v: ArrayLike<number>, n: number, fi: number, fj: number): number {
  const i0 = Math.max(0, Math.min(n - 2, Math.floor(fi)));
  const j0 = Math.max(0, Math.min(n - 2, Math.floor(fj)));
  const di = fi - i0;
  const dj = fj - j0;
  return (
    v[i0 * n + j0] * (1 - di) * (1 - dj) +
    v[i0 * n + j0 + 1] * (1 - di) * dj +
    v[(i0 + 1) * n + j0] * di * (1 - dj) +
    v[(i0 + 1) * n + j0 + 1] * di * dj
  );
}

/** Least-squares fit V ~ c + gx x + gy y + xx x^2 + xy x y + yy y^2 over pixels within `radius` of the centre. */
function quadraticFit(v: ArrayLike<number>, n: number, h: number, w: number, radius: number) {
  const ata = new Float64Array(36);
  const atb = new Float64Array(6);
  const row = new Float64Array(6);
  const rad = Math.max(radius, 2.5 * h);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const x = (j + 0.5) * h - w / 2;
      const y = (i + 0.5) * h - w / 2;
      if (Math.hypot(x, y) > rad) continue;
      row[0] = 1;
      row[1] = x;
      row[2] = y;
      row[3] = x * x;
      row[4] = x * y;
      row[5] = y * y;
      const val = v[i * n + j];
      for (let a = 0; a < 6; a++) {
        atb[a] += row[a] * val;
        for (let b = 0; b < 6; b++) ata[a * 6 + b] += row[a] * row[b];
      }
    }
  for (let a = 0; a < 6; a++) ata[a * 6 + a] += 1e-9 * (ata[0] + 1);
  const s = solveSmall(ata, atb, 6);
  return { c: s[0], gx: s[1], gy: s[2], xx: s[3], xy: s[4], yy: s[5] };
}

/** Gaussian elimination with partial pivoting for tiny systems. */
function solveSmall(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const m = Float64Array.from(a);
  const x = Float64Array.from(b);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r * n + c]) > Math.abs(m[piv * n + c])) piv = r;
    if (Math.abs(m[piv * n + c]) < 1e-300) continue;
    if (piv !== c) {
      for (let k = 0; k < n; k++) [m[c * n + k], m[piv * n + k]] = [m[piv * n + k], m[c * n + k]];
      [x[c], x[piv]] = [x[piv], x[c]];
    }
    for (let r = c + 1; r < n; r++) {
      const f = m[r * n + c] / m[c * n + c];
      for (let k = c; k < n; k++) m[r * n + k] -= f * m[c * n + k];
      x[r] -= f * x[c];
    }
  }
  for (let c = n - 1; c >= 0; c--) {
    let s = x[c];
    for (let k = c + 1; k < n; k++) s -= m[c * n + k] * x[k];
    x[c] = Math.abs(m[c * n + c]) > 1e-300 ? s / m[c * n + c] : 0;
  }
  return x;
}

/** Which scalar inputs a descriptor model uses; fixed at fit time so prediction builds the same columns. */
export interface DescriptorLayout {
  image: boolean;
  mep: boolean;
  kind: boolean;
  dopant: boolean;
  /** Keys of Sample.descriptors (union over the training set, sorted). */
  extraKeys: string[];
  /** Imputed value per extra key (training mean) for samples that lack it. */
  extraFill: number[];
  /** Dopant distance used when a sample has none (Angstrom): far away. */
  dopantFillAngstrom: number;
}

export function makeDescriptorLayout(
  train: readonly Sample[],
  opts: { image?: boolean; mep?: boolean; kind?: boolean; dopant?: boolean; extras?: boolean } = {},
): DescriptorLayout {
  const keys = new Set<string>();
  if (opts.extras !== false) for (const s of train) for (const k of Object.keys(s.descriptors ?? {})) keys.add(k);
  const extraKeys = [...keys].sort();
  const extraFill = extraKeys.map((k) => {
    const vals = train.map((s) => s.descriptors?.[k]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    return vals.length ? vals.reduce((a, b) => a + b, 0) / vals.length : 0;
  });
  const dists = train.map((s) => s.dopantDistanceAngstrom).filter((v): v is number => typeof v === 'number');
  return {
    image: opts.image ?? true,
    mep: opts.mep ?? true,
    kind: opts.kind ?? true,
    dopant: (opts.dopant ?? true) && dists.length > 0,
    extraKeys,
    extraFill,
    dopantFillAngstrom: dists.length ? Math.max(...dists) * 1.5 : 10,
  };
}

export function descriptorNames(layout: DescriptorLayout): string[] {
  const names: string[] = [];
  if (layout.image) names.push(...IMAGE_DESCRIPTOR_NAMES);
  if (layout.mep) names.push('mep_eV');
  if (layout.kind) names.push(...SITE_KINDS.map((k) => `kind_${k}`), 'is_saddle');
  if (layout.dopant) names.push('dopant_distance_A', 'inv_dopant_distance');
  names.push(...layout.extraKeys);
  return names;
}

/** One descriptor row per sample. */
export function descriptorRow(sample: Sample, layout: DescriptorLayout): number[] {
  const row: number[] = [];
  if (layout.image) row.push(...imageDescriptors(sample));
  if (layout.mep) row.push(sample.mepEv);
  if (layout.kind) row.push(...SITE_KINDS.map((k) => (sample.kind === k ? 1 : 0)), sample.isSaddle ? 1 : 0);
  if (layout.dopant) {
    const d = sample.dopantDistanceAngstrom ?? layout.dopantFillAngstrom;
    row.push(d, 1 / Math.max(d, 0.5));
  }
  layout.extraKeys.forEach((k, i) => {
    const v = sample.descriptors?.[k];
    row.push(typeof v === 'number' && Number.isFinite(v) ? v : layout.extraFill[i]);
  });
  return row;
}
