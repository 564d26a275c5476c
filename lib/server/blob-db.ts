import path from 'node:path';
import Database from 'better-sqlite3';
import { databaseUrl } from './database-url';

let connection: Database.Database | undefined;

/**
 * A second, plain better-sqlite3 connection to the app's database, for grid chunk blobs only: Prisma's driver-adapter
 * path copies every Bytes parameter onto the JS heap (storing a 225 MB grid raised heapUsed by ~520 MB), this one
 * binds Buffers directly. Foreign keys are off on it, so chunks can be written before their Grid row exists.
 */
export function blobDb(): Database.Database {
  if (!connection) {
    const file = databaseUrl().replace(/^file:/, '');
    connection = new Database(path.resolve(/*turbopackIgnore: true*/ file));
    // No blocking wait: a busy database is retried asynchronously (withBusyRetry), so that a Prisma transaction
    // of this same process holding the lock can finish meanwhile instead of deadlocking the event loop.
    connection.pragma('busy_timeout = 0');
    connection.pragma('foreign_keys = OFF');
  }
  return connection;
}

const BUSY_RETRY_MS = 25;
const BUSY_GIVE_UP_MS = 10 * 60_000;

/** Run a synchronous statement batch on `blobDb()`, retrying asynchronously while the database is locked. */
export async function withBusyRetry<T>(work: (conn: Database.Database) => T): Promise<T> {
  const started = Date.now();
  for (;;) {
    try {
      return work(blobDb());
    } catch (err) {
      const code = (err as { code?: string }).code;
      if ((code !== 'SQLITE_BUSY' && code !== 'SQLITE_LOCKED') || Date.now() - started > BUSY_GIVE_UP_MS) throw err;
      await new Promise((resolve) => setTimeout(resolve, BUSY_RETRY_MS));
    }
  }
}
