/**
 * `epdi import <folder>... [--dataset NAME] [--mu-li EV] [--json]`: load surface folders (../shared/DESIGN.md section 3)
 * into the database, find their sites, MEPs and EPDIs and match their labels. Idempotent: unchanged folders are left
 * as they are; a folder whose files changed replaces its surface. DATABASE_URL picks the database (default
 * data/epdi.db); run `npx prisma migrate deploy` once first.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { CliArgs } from '../args';
import { stringOption } from '../args';
import { importFolders } from '../../lib/server/import-folder';
import { UploadError } from '../../lib/server/upload/errors';

export const summary = 'Load surface folders into the database (sites, MEPs, EPDIs, labels); idempotent';

export async function run(args: CliArgs): Promise<number> {
  const folders = args.positionals;
  if (folders.length === 0) {
    console.error('usage: epdi import <surface folder>... [--dataset NAME] [--mu-li EV] [--json]');
    return 2;
  }
  for (const f of folders) {
    if (!existsSync(f) || !statSync(f).isDirectory()) {
      console.error(`epdi import: ${f} is not a folder`);
      return 2;
    }
  }
  const datasetName = stringOption(args, 'dataset') ?? path.basename(path.resolve(folders[0]));
  const muRaw = stringOption(args, 'mu-li');
  const muLiEv = muRaw === undefined ? undefined : Number(muRaw);
  if (muLiEv !== undefined && !Number.isFinite(muLiEv)) {
    console.error(`epdi import: --mu-li expects a number in eV, got '${muRaw}'`);
    return 2;
  }
  try {
    const result = await importFolders(datasetName, folders, { muLiEv });
    if (args.json) {
      console.log(JSON.stringify({ dataset: datasetName, ...result }, null, 2));
      return 0;
    }
    console.log(`dataset '${datasetName}':`);
    for (const s of result.surfaces) {
      const status = s.unchanged ? 'unchanged' : s.replaced ? 'replaced' : 'added';
      const ex = result.extractions.find((e) => e.surfaceId === s.id);
      const detail = ex
        ? `${ex.sites} sites, ${ex.hops} hops, ${ex.labelsMatched} labels matched` +
          (ex.unmatchedLabels.length
            ? `, ${ex.unmatchedLabels.length} UNMATCHED (${ex.unmatchedLabels.map((u) => u.site).join(', ')})`
            : '')
        : '';
      console.log(`  ${s.name.padEnd(16)} ${status.padEnd(9)} ${detail}`);
    }
    return 0;
  } catch (err) {
    if (err instanceof UploadError) {
      console.error(`epdi import: ${err.message}${err.line ? ` (line ${err.line})` : ''}`);
      return 1;
    }
    throw err;
  }
}
