/**
 * Dump our parse of files for scripts/crosscheck/crosscheck.py: for each input, <out>/<n>.json (kind, dims, lattice,
 * species, Cartesian positions, number of grids) and <n>.grid<g>.f32 (raw little-endian float32, x fastest).
 * Usage: tsx scripts/crosscheck/dump.ts --out DIR FILE...
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { parsePoscar, parseVolumetric, sniffFormat } from '../../lib/formats';

const argv = process.argv.slice(2);
const oi = argv.indexOf('--out');
const out = argv[oi + 1];
const files = argv.filter((_, i) => i !== oi && i !== oi + 1);
mkdirSync(out, { recursive: true });
files.forEach((file, n) => {
  const bytes = readFileSync(file);
  const name = path.basename(file);
  const fmt = sniffFormat(name, bytes.subarray(0, 1 << 16), bytes.length <= 1 << 16).format;
  const meta: Record<string, unknown> = { file, format: fmt };
  if (fmt === 'volumetric') {
    const v = parseVolumetric(bytes, { fileName: name });
    const grids = [v.grid, ...v.extraGrids];
    grids.forEach((g, k) => writeFileSync(path.join(out, `${n}.grid${k}.f32`), Buffer.from(g.data.buffer, g.data.byteOffset, g.data.byteLength)));
    Object.assign(meta, { speciesSource: v.speciesSource, kind: v.kind, dims: v.dims, grids: grids.length, lattice: v.structure.lattice, species: v.structure.species, positions: v.structure.positions });
  } else if (fmt === 'poscar') {
    const r = parsePoscar(bytes, { fileName: name });
    const s = r.structure;
    Object.assign(meta, { speciesSource: r.speciesSource, lattice: s.lattice, species: s.species, positions: s.positions, grids: 0 });
  }
  writeFileSync(path.join(out, `${n}.json`), JSON.stringify(meta));
});
console.log(`dumped ${files.length} files to ${out}`);
