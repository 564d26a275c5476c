import { PrismaClient } from '@prisma/client';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { databaseUrl } from './database-url';
import { serialisedFactory } from './db-serial';

const globalForPrisma = globalThis as unknown as { epdiPrisma?: PrismaClient };

function createClient(): PrismaClient {
  return new PrismaClient({ adapter: serialisedFactory(new PrismaBetterSQLite3({ url: databaseUrl() })) });
}

/** The one Prisma client of the process (kept on globalThis so Next.js dev reloads reuse it). */
export const db: PrismaClient = globalForPrisma.epdiPrisma ?? createClient();
globalForPrisma.epdiPrisma = db;
