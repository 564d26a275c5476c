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
    connection.pragma('busy_timeout = 60000');
    connection.pragma('foreign_keys = OFF');
  }
  return connection;
}
