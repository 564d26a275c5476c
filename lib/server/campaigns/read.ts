/**
 * Campaign results from disk: a campaign folder, collect.sh's results-<id>.tar.gz or a .zip, as path -> bytes relative
 * to the folder that holds manifest.json (lib/campaign/archive.ts). Large engine files that the import never reads
 * (WAVECAR, CHGCAR, ...) and POTCAR are skipped.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { campaignRoot, untar, unzip } from '@/lib/campaign';

const SKIP = /^(POTCAR|WAVECAR|CHG|CHGCAR|PROCAR|DOSCAR|EIGENVAL|XDATCAR|vaspout\.h5|.*\.gpw|slurm-.*\.out)$/;

async function walk(dir: string, rel: string, out: Map<string, Uint8Array>): Promise<void> {
  for (const entry of await readdir(path.join(dir, rel), { withFileTypes: true })) {
    const p = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) await walk(dir, p, out);
    else if (entry.isFile() && !SKIP.test(entry.name) && !/^results-.*\.(tar\.gz|zip)$/.test(entry.name)) {
      out.set(p, new Uint8Array(await readFile(path.join(dir, p))));
    }
  }
}

/** Files of an archive's bytes (gzip'd tar, plain tar or zip, by magic bytes). */
export function readArchiveBytes(bytes: Uint8Array): Map<string, Uint8Array> {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return campaignRoot(untar(new Uint8Array(gunzipSync(bytes))));
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return campaignRoot(unzip(bytes));
  return campaignRoot(untar(bytes));
}

/** A campaign folder or a results archive on disk. */
export async function readCampaignResults(target: string): Promise<Map<string, Uint8Array>> {
  if ((await stat(target)).isDirectory()) {
    const out = new Map<string, Uint8Array>();
    await walk(target, '', out);
    return campaignRoot(out);
  }
  return readArchiveBytes(new Uint8Array(await readFile(target)));
}
