/**
 * Seed the demo dataset from data/demo (real GPAW DFT, see scripts/dft/README.md): every surface folder there is
 * imported into the dataset "Demo: Li on doped TMDs (GPAW PBE)", then the default model (lowest held-out saddle MAE,
 * lib/server/default-model.ts) is trained and its predictions stored. Idempotent: unchanged surfaces are left as they
 * are, and the model is retrained only when a surface changed.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { db } from '../lib/server/db';
import { trainDefaultModel } from '../lib/server/default-model';
import { importFolders } from '../lib/server/import-folder';

const DEMO_DIR = path.resolve(__dirname, '..', 'data', 'demo');
const DATASET_NAME = 'Demo: Li on doped TMDs (GPAW PBE)';

function isSurfaceFolder(dir: string): boolean {
  return existsSync(path.join(dir, 'POSCAR')) && readdirSync(dir).some((f) => /^LOCPOT/.test(f) || f.endsWith('.cube'));
}

async function main(): Promise<void> {
  if (!existsSync(DEMO_DIR)) {
    console.log('seed: no data/demo folder; the database stays empty');
    return;
  }
  const folders = readdirSync(DEMO_DIR)
    .map((name) => path.join(DEMO_DIR, name))
    .filter((dir) => isSurfaceFolder(dir))
    .sort();
  if (folders.length === 0) {
    console.log('seed: data/demo holds no finished surface yet');
    return;
  }
  const referencesFile = path.join(DEMO_DIR, 'references.json');
  const references = existsSync(referencesFile)
    ? (JSON.parse(readFileSync(referencesFile, 'utf8')) as {
        entries?: { E_bcc_per_atom_eV?: number; code?: string; settings?: { xc?: string } }[];
      })
    : {};
  const ref = references.entries?.[0];
  const { datasetId, surfaces } = await importFolders(DATASET_NAME, folders, {
    muLiEv: ref?.E_bcc_per_atom_eV ?? null,
    muLiNote: ref
      ? `bcc Li per atom, ${ref.code ?? 'GPAW'} ${ref.settings?.xc ?? ''}, data/demo/references.json`.trim()
      : '',
    description: 'Li on 3x3 MX2 monolayers, pristine and doped, computed with GPAW (LCAO dzp, PBE) by scripts/dft',
  });
  const added = surfaces.filter((s) => !s.unchanged).length;
  console.log(`seed: ${surfaces.length} demo surfaces (${added} new) in '${DATASET_NAME}'`);
  if (added === 0 && (await db.model.count({ where: { datasetId } })) > 0) return;
  const trained = await trainDefaultModel(datasetId);
  if (!trained) {
    console.log('seed: fewer than 3 labelled saddles, no default model');
    return;
  }
  const mae = (v: number) => `${(v * 1000).toFixed(1)} meV`;
  console.log(
    `seed: default model ${trained.model}, chosen by ${trained.chosenBy} from ${trained.chosenFrom.map((c) => `${c.model} ${mae(c.maeEv)}`).join(', ')}; ${trained.predictions} predictions stored`,
  );
}

main().catch((err: unknown) => {
  console.error(`seed failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
