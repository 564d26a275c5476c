// Prisma CLI configuration. The JavaScript schema engine with the better-sqlite3 adapter migrates fully offline
// (Prisma 7's native schema engine is downloaded from Prisma's host, which this project never reaches).
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { databaseUrl } from './lib/server/database-url';

// The schema's datasource reads DATABASE_URL; give it the app's default when unset.
process.env.DATABASE_URL = databaseUrl();

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations'), seed: 'tsx prisma/seed.ts' },
  async adapter() {
    return new PrismaBetterSQLite3({ url: databaseUrl() });
  },
});
