import pg from 'pg';
import { openPostgresStore } from '../../src/store/postgres';
import type { Store } from '../../src/store/types';

/** The throwaway server of scripts/throwaway-postgres.js (one implementation for tests and the shell). */
export interface ThrowawayPostgres {
  host: string;
  port: number;
  dir: string;
  /** The `postgres` maintenance database, for creating others. */
  adminUrl: string;
  urlFor(database: string): string;
  createDatabase(name?: string): Promise<string>;
  stop(): Promise<void>;
}

export const startPostgres = (require('../../scripts/throwaway-postgres.js') as {
  startPostgres: (options?: { timeoutSeconds?: number; durable?: boolean }) => Promise<ThrowawayPostgres>;
}).startPostgres;

/** Set by test/postgres/global-setup.ts for `npm run test:pg`: the run's throwaway server. */
export const POSTGRES_ADMIN_URL_ENV = 'ATENTO_TEST_POSTGRES_ADMIN_URL';

/** The run's throwaway server, or undefined under plain `npm test` (SQLite only). */
export function testPostgresAdminUrl(): string | undefined {
  return process.env[POSTGRES_ADMIN_URL_ENV] || undefined;
}

let created = 0;

/** A new, empty database on the run's throwaway server; its URL. */
export async function createTestDatabase(): Promise<string> {
  const adminUrl = testPostgresAdminUrl();
  if (!adminUrl) throw new Error(`createTestDatabase: no throwaway PostgreSQL (${POSTGRES_ADMIN_URL_ENV} is unset); run it with npm run test:pg`);
  const name = `atento_${process.pid}_${Date.now().toString(36)}_${(created += 1)}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

const databaseOfDataDir = new Map<string, string>();

/**
 * Under `npm run test:pg`: the PostgreSQL store for a test server's data folder, on a database of its own
 * (a server restarted on the same folder finds the same database, as it would the same SQLite file).
 * Undefined under plain `npm test`, where the server opens SQLite in the folder.
 */
export async function postgresStoreFor(dataDir: string, clock?: () => Date): Promise<Store | undefined> {
  if (!testPostgresAdminUrl()) return undefined;
  let url = databaseOfDataDir.get(dataDir);
  if (!url) {
    url = await createTestDatabase();
    databaseOfDataDir.set(dataDir, url);
  }
  return openPostgresStore(url, clock);
}
