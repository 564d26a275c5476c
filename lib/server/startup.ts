import { deleteOrphanGridChunks } from './grid-store';
import { failInterruptedJobs } from './jobs';
import { cleanUploadTemp } from './upload/import-upload';

/**
 * After a crash (kill -9 mid-upload): uploads are committed in one transaction, so no partial rows exist; what can be
 * left is the temporary folder, grid chunks written just before that transaction, and jobs marked running. Remove the
 * first two, mark the jobs failed.
 */
export async function recoverAfterRestart(): Promise<void> {
  await cleanUploadTemp();
  const orphans = await deleteOrphanGridChunks();
  if (orphans > 0) console.log(`epdi: removed ${orphans} grid chunk(s) of an upload that never committed`);
  const interrupted = await failInterruptedJobs();
  if (interrupted > 0) console.log(`epdi: marked ${interrupted} interrupted job(s) as failed`);
}
