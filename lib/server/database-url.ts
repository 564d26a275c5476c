import path from 'node:path';

/** Default SQLite file, relative to the repository root. */
export const DEFAULT_DATABASE_FILE = path.join('data', 'epdi.db');

/**
 * The SQLite URL the app and the Prisma CLI use: DATABASE_URL when set (`file:/abs/path.db` or `file:./rel.db`,
 * relative to the working directory), else data/epdi.db under the working directory.
 */
export function databaseUrl(): string {
  const fromEnv = process.env.DATABASE_URL;
  if (fromEnv && fromEnv.trim() !== '') return fromEnv;
  return `file:${path.resolve(/*turbopackIgnore: true*/ DEFAULT_DATABASE_FILE)}`;
}
