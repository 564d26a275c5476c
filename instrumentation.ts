/** Start-up recovery: runs once when the Next.js server starts (before it serves requests). */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { recoverAfterRestart } = await import('./lib/server/startup');
  await recoverAfterRestart();
  const { requeueInterruptedExtractions } = await import('./lib/server/requeue');
  await requeueInterruptedExtractions();
}
