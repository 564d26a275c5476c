import { failInterruptedJobs } from './jobs';
import { cleanUploadTemp } from './upload/import-upload';

/**
 * After a crash (kill -9 mid-upload): uploads are committed in one transaction, so no partial rows exist; what can be
 * left is the temporary folder and jobs marked running. Remove the one, mark the others failed.
 */
export async function recoverAfterRestart(): Promise<void> {
  await cleanUploadTemp();
  const interrupted = await failInterruptedJobs();
  if (interrupted > 0) console.log(`epdi: marked ${interrupted} interrupted job(s) as failed`);
}
