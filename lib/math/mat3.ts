/** 3-vectors and 3x3 matrices as plain tuples. Lattices are row matrices: rows are the vectors a, b, c (Angstrom). */
export type Vec3 = [number, number, number];
export type Mat3 = [Vec3, Vec3, Vec3];

export function dot(a: Vec3, b: Vec3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

export function cross(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

export function norm(a: Vec3): number {
  return Math.sqrt(dot(a, a));
}

export function sub(a: Vec3, b: Vec3): Vec3 {
  return [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
}

export function add(a: Vec3, b: Vec3): Vec3 {
  return [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
}

export function scale(a: Vec3, s: number): Vec3 {
  return [a[0] * s, a[1] * s, a[2] * s];
}

export function determinant(m: Mat3): number {
  return dot(m[0], cross(m[1], m[2]));
}

/** Cell volume in Angstrom^3 (absolute value of the determinant). */
export function cellVolume(lattice: Mat3): number {
  return Math.abs(determinant(lattice));
}

export function transpose(m: Mat3): Mat3 {
  return [
    [m[0][0], m[1][0], m[2][0]],
    [m[0][1], m[1][1], m[2][1]],
    [m[0][2], m[1][2], m[2][2]],
  ];
}

export function inverse(m: Mat3): Mat3 {
  const det = determinant(m);
  if (det === 0 || !Number.isFinite(det)) throw new RangeError('singular 3x3 matrix');
  const c0 = cross(m[1], m[2]);
  const c1 = cross(m[2], m[0]);
  const c2 = cross(m[0], m[1]);
  // Columns of the inverse are the cross products divided by the determinant.
  return [
    [c0[0] / det, c1[0] / det, c2[0] / det],
    [c0[1] / det, c1[1] / det, c2[1] / det],
    [c0[2] / det, c1[2] / det, c2[2] / det],
  ];
}

/** Row vector times matrix: v * M. With M a lattice this maps fractional to Cartesian. */
export function vecMat(v: Vec3, m: Mat3): Vec3 {
  return [
    v[0] * m[0][0] + v[1] * m[1][0] + v[2] * m[2][0],
    v[0] * m[0][1] + v[1] * m[1][1] + v[2] * m[2][1],
    v[0] * m[0][2] + v[1] * m[1][2] + v[2] * m[2][2],
  ];
}

export function fractionalToCartesian(frac: Vec3, lattice: Mat3): Vec3 {
  return vecMat(frac, lattice);
}

export function cartesianToFractional(cart: Vec3, lattice: Mat3): Vec3 {
  return vecMat(cart, inverse(lattice));
}
