import type { Vec3 } from '../math/mat3';
import { cartToFracInto, collapseAtFractionalC, createPlaneSampler, gridFrame, type Grid3D, type GridPlane } from '../grid';

/**
 * EPDI rendering: an N x N image of V in the plane through the Li position parallel to the surface, a square window
 * of side `windowA` centred on the site, axes rotated by `angleRad` (from the surface frame's e1 towards e2) so that a
 * bridge's hop runs along +x of the image.
 *
 * Layout: row-major, Shape [N, N]; row 0 is the top of the picture (largest y'), column 0 the left (smallest x'), so
 * the PNG shows the surface seen from above (+normal towards the viewer). Pixel (r, c) samples the point
 *   centre + ((c + 0.5) / N - 1/2) W x' + (1/2 - (r + 0.5) / N) W y',  x' = cos t e1 + sin t e2,  y' = -sin t e1 + cos t e2.
 * Sampling is periodic tricubic (Catmull-Rom), done as a c-collapse of the grid at the plane's height once (shared by
 * every site at that height) then bicubic per pixel: identical to full tricubic sampling up to rounding.
 */
export interface EpdiRenderer {
  /** Render one site into `out` (length N*N, allocated when absent). Values are raw grid values (add the shift). */
  render(centre: Readonly<Vec3>, angleRad: number, windowA: number, pixels: number, out?: Float32Array): Float32Array;
}

export function createEpdiRenderer(grid: Grid3D, e1: Readonly<Vec3>, e2: Readonly<Vec3>): EpdiRenderer {
  const frame = gridFrame(grid);
  const inv = frame.inverseLattice;
  const planes = new Map<number, { plane: GridPlane; at: (u: number, v: number) => number }>();
  const f0: Vec3 = [0, 0, 0];
  const fx: Vec3 = [0, 0, 0];
  const fy: Vec3 = [0, 0, 0];
  return {
    render(centre, angleRad, windowA, pixels, out) {
      const image = out && out.length === pixels * pixels ? out : new Float32Array(pixels * pixels);
      const c = Math.cos(angleRad);
      const s = Math.sin(angleRad);
      // Image axes in Cartesian, scaled by the window side.
      const xx = windowA * (c * e1[0] + s * e2[0]);
      const xy = windowA * (c * e1[1] + s * e2[1]);
      const xz = windowA * (c * e1[2] + s * e2[2]);
      const yx = windowA * (-s * e1[0] + c * e2[0]);
      const yy = windowA * (-s * e1[1] + c * e2[1]);
      const yz = windowA * (-s * e1[2] + c * e2[2]);
      cartToFracInto(inv, centre[0], centre[1], centre[2], f0);
      cartToFracInto(inv, xx, xy, xz, fx);
      cartToFracInto(inv, yx, yy, yz, fy);
      // Key the collapsed plane by the height (fractional c wrapped, rounded to 1e-9).
      const w = f0[2] - Math.floor(f0[2]);
      const key = Math.round(w * 1e9);
      let entry = planes.get(key);
      if (!entry) {
        const plane = collapseAtFractionalC(grid, w);
        entry = { plane, at: createPlaneSampler(plane) };
        planes.set(key, entry);
      }
      const at = entry.at;
      for (let r = 0; r < pixels; r++) {
        const ty = 0.5 - (r + 0.5) / pixels;
        const u0 = f0[0] + ty * fy[0];
        const v0 = f0[1] + ty * fy[1];
        for (let col = 0; col < pixels; col++) {
          const tx = (col + 0.5) / pixels - 0.5;
          image[col + pixels * r] = at(u0 + tx * fx[0], v0 + tx * fx[1]);
        }
      }
      return image;
    },
  };
}
