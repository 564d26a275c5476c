/**
 * Quadrature rules for sphere, ball and cylinder averages.
 *
 * - Angular: the 50-point Lebedev rule (Lebedev 1976; weights as tabulated by Burkardt), exact for spherical harmonics
 *   up to degree 11 (tests check the moments <x^2> = 1/3, <x^4> = 1/5, <x^2 y^2 z^2> = 1/105, <x^10> = 1/11 ...).
 * - Radial: n-point Gauss-Legendre on [0, R] with the r^2 volume weight folded in, exact for f(r) polynomial of
 *   degree <= 2n - 3.
 * For a smooth potential the error of the ball average with the defaults (4 radial x 50 angular = 200 points) is
 * below 1e-4 of the potential's variation for features wider than ~0.5 A at R = 1 A (see tests/lib/grid/averages).
 */

/** Unit directions (x, y, z interleaved) and weights (summing to 1) of an angular rule. */
export interface AngularRule {
  directions: Float64Array;
  weights: Float64Array;
}

function pushOrbit(dirs: number[], weights: number[], weight: number, points: [number, number, number][]): void {
  for (const p of points) {
    dirs.push(p[0], p[1], p[2]);
    weights.push(weight);
  }
}

function signed(a: number, b: number, c: number): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (const sa of a === 0 ? [1] : [1, -1]) for (const sb of b === 0 ? [1] : [1, -1]) for (const sc of c === 0 ? [1] : [1, -1]) out.push([sa * a, sb * b, sc * c]);
  return out;
}

function permutations(a: number, b: number, c: number): [number, number, number][] {
  const seen = new Set<string>();
  const out: [number, number, number][] = [];
  for (const p of [[a, b, c], [a, c, b], [b, a, c], [b, c, a], [c, a, b], [c, b, a]] as [number, number, number][]) {
    const key = p.join(',');
    if (!seen.has(key)) {
      seen.add(key);
      out.push(p);
    }
  }
  return out;
}

function orbit(a: number, b: number, c: number): [number, number, number][] {
  return permutations(a, b, c).flatMap((p) => signed(p[0], p[1], p[2]));
}

let lebedev50: AngularRule | undefined;

/** The 50-point Lebedev rule (degree 11). */
export function lebedev50Rule(): AngularRule {
  if (lebedev50) return lebedev50;
  const dirs: number[] = [];
  const weights: number[] = [];
  const s2 = Math.SQRT1_2;
  const s3 = 1 / Math.sqrt(3);
  const l = 1 / Math.sqrt(11); // 0.3015113445777636
  const m = 3 / Math.sqrt(11); // 0.9045340337332909
  pushOrbit(dirs, weights, 4 / 315, orbit(1, 0, 0)); // 6 vertices of the octahedron
  pushOrbit(dirs, weights, 64 / 2835, orbit(s2, s2, 0)); // 12 edge midpoints
  pushOrbit(dirs, weights, 27 / 1280, orbit(s3, s3, s3)); // 8 cube corners
  pushOrbit(dirs, weights, 14641 / 725760, orbit(l, l, m)); // 24 points (l, l, m)
  lebedev50 = { directions: Float64Array.from(dirs), weights: Float64Array.from(weights) };
  return lebedev50;
}

/** Gauss-Legendre nodes and weights on [-1, 1] (Newton iteration on P_n; accurate to ~1e-15 for n <= 64). */
export function gaussLegendre(n: number): { nodes: Float64Array; weights: Float64Array } {
  if (!(Number.isInteger(n) && n >= 1)) throw new RangeError('gaussLegendre: n must be a positive integer');
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  for (let i = 0; i < Math.ceil(n / 2); i++) {
    let x = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let dp = 0;
    for (let iter = 0; iter < 100; iter++) {
      let p0 = 1;
      let p1 = x;
      for (let k = 2; k <= n; k++) {
        const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      if (n === 1) {
        p1 = x;
        p0 = 1;
      }
      dp = (n * (x * p1 - p0)) / (x * x - 1);
      const dx = p1 / dp;
      x -= dx;
      if (Math.abs(dx) < 1e-16) break;
    }
    nodes[i] = -x;
    nodes[n - 1 - i] = x;
    const w = 2 / ((1 - x * x) * dp * dp);
    weights[i] = w;
    weights[n - 1 - i] = w;
  }
  return { nodes, weights };
}

/** Sample offsets (Cartesian Angstrom, x,y,z interleaved) and weights (sum 1) for an average over a volume or surface. */
export interface PointRule {
  offsets: Float64Array;
  weights: Float64Array;
}

/** Rule for the average over the surface of a sphere of radius `radius` (50 Lebedev points). */
export function sphereShellRule(radius: number): PointRule {
  const { directions, weights } = lebedev50Rule();
  const offsets = new Float64Array(directions.length);
  for (let i = 0; i < directions.length; i++) offsets[i] = directions[i] * radius;
  return { offsets, weights: Float64Array.from(weights) };
}

/** Rule for the average over a solid ball of radius `radius`: Gauss-Legendre in r (weight r^2) x Lebedev 50. */
export function ballRule(radius: number, radialPoints = 4): PointRule {
  if (!(radius > 0)) throw new RangeError('ballRule: radius must be positive');
  const { directions, weights: aw } = lebedev50Rule();
  const gl = gaussLegendre(radialPoints);
  const na = aw.length;
  const offsets = new Float64Array(3 * na * radialPoints);
  const weights = new Float64Array(na * radialPoints);
  // (3 / R^3) * int_0^R r^2 f(r) dr, with r = R (1 + x) / 2, dr = R dx / 2.
  let p = 0;
  for (let q = 0; q < radialPoints; q++) {
    const r = (radius * (1 + gl.nodes[q])) / 2;
    const wr = (3 / radius ** 3) * r * r * (radius / 2) * gl.weights[q];
    for (let a = 0; a < na; a++, p++) {
      offsets[3 * p] = directions[3 * a] * r;
      offsets[3 * p + 1] = directions[3 * a + 1] * r;
      offsets[3 * p + 2] = directions[3 * a + 2] * r;
      weights[p] = wr * aw[a];
    }
  }
  return { offsets, weights };
}

/**
 * Rule for the average over a solid cylinder: axis `axis` (unit vector), radius, length (centred on the centre).
 * Gauss-Legendre along the axis and in r (weight r), uniform (trapezoidal, spectrally accurate) in angle.
 */
export function cylinderRule(
  axis: readonly [number, number, number],
  radius: number,
  length: number,
  { axialPoints = 4, radialPoints = 4, angularPoints = 16 }: { axialPoints?: number; radialPoints?: number; angularPoints?: number } = {},
): PointRule {
  const n = Math.hypot(axis[0], axis[1], axis[2]);
  if (!(n > 0) || !(radius > 0) || !(length >= 0)) throw new RangeError('cylinderRule: bad axis, radius or length');
  const t: [number, number, number] = [axis[0] / n, axis[1] / n, axis[2] / n];
  // Two unit vectors perpendicular to the axis.
  const helper: [number, number, number] = Math.abs(t[0]) < 0.9 ? [1, 0, 0] : [0, 1, 0];
  const e1x = helper[1] * t[2] - helper[2] * t[1];
  const e1y = helper[2] * t[0] - helper[0] * t[2];
  const e1z = helper[0] * t[1] - helper[1] * t[0];
  const l1 = Math.hypot(e1x, e1y, e1z);
  const e1 = [e1x / l1, e1y / l1, e1z / l1];
  const e2 = [t[1] * e1[2] - t[2] * e1[1], t[2] * e1[0] - t[0] * e1[2], t[0] * e1[1] - t[1] * e1[0]];
  const ga = gaussLegendre(axialPoints);
  const gr = gaussLegendre(radialPoints);
  const count = axialPoints * radialPoints * angularPoints;
  const offsets = new Float64Array(3 * count);
  const weights = new Float64Array(count);
  let p = 0;
  for (let ia = 0; ia < axialPoints; ia++) {
    const s = (length / 2) * ga.nodes[ia];
    const wa = ga.weights[ia] / 2;
    for (let ir = 0; ir < radialPoints; ir++) {
      const r = (radius * (1 + gr.nodes[ir])) / 2;
      const wr = (2 / (radius * radius)) * r * (radius / 2) * gr.weights[ir];
      for (let it = 0; it < angularPoints; it++, p++) {
        const th = (2 * Math.PI * it) / angularPoints;
        const c = Math.cos(th) * r;
        const sn = Math.sin(th) * r;
        offsets[3 * p] = s * t[0] + c * e1[0] + sn * e2[0];
        offsets[3 * p + 1] = s * t[1] + c * e1[1] + sn * e2[1];
        offsets[3 * p + 2] = s * t[2] + c * e1[2] + sn * e2[2];
        weights[p] = wa * wr / angularPoints;
      }
    }
  }
  return { offsets, weights };
}
