/**
 * `epdi extract <surface folder>... [--out DIR] [--json] [--pixels 64] [--window 6.4] [--height 1.5] [--radius 1.0]
 *  [--colormap grey|viridis|...] [--range MIN,MAX] [--top-x] [--ignore Li]`
 *
 * For every surface folder (POSCAR or CONTCAR + LOCPOT | LOCPOT.gz | *.cube): sites, hops, vacuum alignment, MEPs and
 * EPDIs. The folders given together form ONE dataset: unless --range is given, one value range (1st-99th percentile of
 * all pixels of all surfaces) maps every EPDI to colours. Writes, under DIR/<folder name>/:
 *   sites.json        settings (+ hash), value range, vacuum alignment, sites (with MEP, group, tensor index) and hops
 *   potentials.f32    Float32 little-endian, Shape [sites, N, N], aligned potential in eV (row 0 = +y, hop along +x)
 *   rgb.f32           Float32 little-endian, Shape [sites, N, N, 3], channels in [0, 1] after the dataset range
 *   png/<site id>.png the same RGB as 8-bit PNG
 */
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync, createReadStream } from 'node:fs';
import path from 'node:path';
import type { CliArgs } from '../args';
import { numberOption, stringOption } from '../args';
import { formatErrorMessage, isFormatError, parseCube, parseVolumetricStream } from '../../lib/formats';
import { readFileSync } from 'node:fs';
import type { Grid3D } from '../../lib/grid/grid3d';
import type { Structure } from '../../lib/structure/structure';
import {
  COLORMAPS,
  datasetValueRange,
  extractSurface,
  potentialsToRgb,
  resolveSettings,
  rgbToPng,
  settingsHash,
  type ColormapName,
  type SurfaceExtraction,
} from '../../lib/epdi';
import { readStructure, siteOptionsFromArgs, structurePath } from './sites';

export const summary = 'MEPs and EPDIs (PNG + Float32 tensors) for every site of one or more surface folders';

function potentialFile(folder: string): string {
  for (const name of ['LOCPOT', 'LOCPOT.gz']) {
    const p = path.join(folder, name);
    if (existsSync(p)) return p;
  }
  const cube = readdirSync(folder).find((f) => /\.cube(\.gz)?$/i.test(f));
  if (cube) return path.join(folder, cube);
  throw new Error(`${folder}: no LOCPOT, LOCPOT.gz or *.cube`);
}

async function readPotential(file: string): Promise<{ grid: Grid3D; structure: Structure }> {
  try {
    if (/\.cube(\.gz)?$/i.test(file)) {
      const cube = parseCube(readFileSync(file), { fileName: path.basename(file) });
      return { grid: cube.grid, structure: cube.structure };
    }
    const data = await parseVolumetricStream(createReadStream(file), { fileName: path.basename(file), totalBytes: statSync(file).size, maxGrids: 1 });
    return { grid: data.grid, structure: data.structure };
  } catch (err) {
    if (isFormatError(err)) throw new Error(formatErrorMessage(err));
    throw err;
  }
}

function parseRange(raw: string | undefined): [number, number] | undefined {
  if (raw === undefined) return undefined;
  const parts = raw.split(',').map(Number);
  if (parts.length !== 2 || !parts.every(Number.isFinite) || !(parts[1] > parts[0])) throw new Error(`--range expects MIN,MAX with MAX > MIN, got '${raw}'`);
  return [parts[0], parts[1]];
}

function f32Bytes(arrays: Float32Array[]): Uint8Array {
  const total = arrays.reduce((s, a) => s + a.length, 0);
  const out = new Float32Array(total);
  let o = 0;
  for (const a of arrays) {
    out.set(a, o);
    o += a.length;
  }
  // Float32Array is platform-endian; every platform Node runs on is little-endian.
  return new Uint8Array(out.buffer);
}

export async function run(args: CliArgs): Promise<number> {
  if (args.positionals.length === 0) {
    console.error('usage: epdi extract <surface folder>... [--out DIR] [--json] [--pixels 64] [--window 6.4] [--height 1.5] [--radius 1.0] [--colormap grey] [--range MIN,MAX]');
    return 2;
  }
  const colormap = stringOption(args, 'colormap') ?? 'grey';
  if (!(COLORMAPS as readonly string[]).includes(colormap)) throw new Error(`--colormap must be one of ${COLORMAPS.join(', ')}`);
  const base = resolveSettings({
    heightA: numberOption(args, 'height', 1.5),
    mepRadiusA: numberOption(args, 'radius', 1.0),
    windowA: numberOption(args, 'window', 6.4),
    pixels: numberOption(args, 'pixels', 64),
    colormap: colormap as ColormapName,
  });
  const siteOptions = siteOptionsFromArgs(args);
  const outDir = stringOption(args, 'out') ?? 'epdi-out';
  const surfaces: { folder: string; name: string; result: SurfaceExtraction; wallMs: number }[] = [];
  for (const folder of args.positionals) {
    const potFile = potentialFile(folder);
    const { grid, structure: gridStructure } = await readPotential(potFile);
    let structure = gridStructure;
    try {
      structure = readStructure(structurePath(folder));
    } catch {
      // No POSCAR/CONTCAR: the potential file's own structure.
    }
    const t0 = performance.now();
    const { heightA: _h, ...rest } = siteOptions;
    void _h;
    const result = extractSurface(structure, grid, base, { sites: rest });
    surfaces.push({ folder, name: path.basename(path.resolve(folder)), result, wallMs: performance.now() - t0 });
    if (!args.json) console.error(`${folder}: ${result.sites.length} sites, vacuum shift ${result.vacuum.shiftEv.toFixed(3)} eV (dipole step ${result.vacuum.dipoleStepEv.toFixed(3)} eV)`);
  }
  // ONE value range for the whole dataset.
  const given = parseRange(stringOption(args, 'range'));
  const range: [number, number] = given ?? (() => {
    const r = datasetValueRange(surfaces.flatMap((s) => s.result.epdis));
    return [r.minEv, r.maxEv] as [number, number];
  })();
  const settings = { ...base, valueRange: range };
  const hash = settingsHash(settings);
  const N = settings.pixels;
  const summaryOut: object[] = [];
  for (const { folder, name, result, wallMs } of surfaces) {
    const dir = path.join(outDir, name);
    mkdirSync(path.join(dir, 'png'), { recursive: true });
    const rgbs = result.epdis.map((im) => potentialsToRgb(im, range, settings.colormap));
    writeFileSync(path.join(dir, 'potentials.f32'), f32Bytes(result.epdis));
    writeFileSync(path.join(dir, 'rgb.f32'), f32Bytes(rgbs));
    result.sites.forEach((s, i) => writeFileSync(path.join(dir, 'png', `${s.id}.png`), rgbToPng(rgbs[i], N, N)));
    const manifest = {
      folder,
      settings,
      settingsHash: hash,
      valueRangeSource: given ? 'given' : 'dataset 1st-99th percentile',
      vacuum: result.vacuum,
      topXHeightA: result.topXHeightA,
      tensors: { potentials: { file: 'potentials.f32', dtype: 'float32', shape: [result.sites.length, N, N] }, rgb: { file: 'rgb.f32', dtype: 'float32', shape: [result.sites.length, N, N, 3] } },
      sites: result.sites.map((s, i) => ({ index: i, id: s.id, kind: s.kind, group: s.group, position: s.position, hopAngleRad: s.hopAngleRad, mepEv: result.meps[i], png: `png/${s.id}.png`, dopantDistances: s.dopantDistances })),
      hops: result.hops.map((h) => ({ id: h.id, from: result.sites[h.from].id, via: result.sites[h.via].id, to: result.sites[h.to].id, saddleS: h.saddleS, group: h.group })),
      wallMs: Math.round(wallMs),
    };
    writeFileSync(path.join(dir, 'sites.json'), JSON.stringify(manifest, null, 2));
    summaryOut.push({ folder, out: dir, sites: result.sites.length, hops: result.hops.length, vacuumShiftEv: result.vacuum.shiftEv, meps: Array.from(result.meps) });
  }
  if (args.json) console.log(JSON.stringify({ settings, settingsHash: hash, surfaces: summaryOut }, null, 2));
  else {
    console.log(`value range [${range[0].toFixed(3)}, ${range[1].toFixed(3)}] eV (${given ? 'given' : 'dataset percentiles'}), settings hash ${hash}`);
    for (const s of surfaces) {
      const meps = Array.from(s.result.meps);
      console.log(`${path.join(outDir, s.name)}: ${s.result.sites.length} EPDIs ${N}x${N}, MEP ${Math.min(...meps).toFixed(3)} .. ${Math.max(...meps).toFixed(3)} eV, ${Math.round(s.wallMs)} ms`);
    }
  }
  return 0;
}
