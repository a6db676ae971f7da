import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { connectPostgres, postgresStore } from '../../src/store/postgres';
import type { StoreOpener } from '../../src/store/open';
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
 * Under `npm run test:pg`: how to open the PostgreSQL store for a test server's data folder, on a database of its own
 * (a server restarted on the same folder finds the same database, as it would the same SQLite file).
 * Undefined under plain `npm test`, where the server opens SQLite in the folder.
 */
export async function postgresOpenerFor(dataDir: string, clock?: () => Date): Promise<StoreOpener | undefined> {
  const url = await databaseUrlFor(dataDir);
  if (!url) return undefined;
  const pool = await connectPostgres(url);
  return (options) => {
    const store = postgresStore(pool, clock, options);
    urlOfStore.set(store, url);
    return store;
  };
}

const urlOfStore = new WeakMap<Store, string>();

/** The URL of a store opened by postgresOpenerFor, or undefined for any other store. */
export function postgresUrlOf(store: Store): string | undefined {
  return urlOfStore.get(store);
}

/** A PostgreSQL client program: from Debian's PostgreSQL binaries (as scripts/throwaway-postgres.js), else $PATH. */
function clientProgram(name: 'psql' | 'pg_dump'): string {
  if (process.env.ATENTO_PG_BIN_DIR) return path.join(process.env.ATENTO_PG_BIN_DIR, name);
  const debian = '/usr/lib/postgresql';
  const version = fs.existsSync(debian) ? fs.readdirSync(debian).filter((entry) => /^\d+$/.test(entry)).sort((a, b) => Number(b) - Number(a))[0] : undefined;
  const candidate = version && path.join(debian, version, 'bin', name);
  return candidate && fs.existsSync(candidate) ? candidate : name;
}

/** Everything a PostgreSQL test store's database holds, as pg_dump writes it (the counterpart of reading the SQLite file). */
export function postgresDumpOf(store: Store): string | undefined {
  const url = postgresUrlOf(store);
  return url && execFileSync(clientProgram('pg_dump'), ['--data-only', url], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
}

const literal = (value: unknown): string => {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return `'${String(value).replace(/'/g, "''")}'`;
};

/**
 * The assertions of the integration tests read what is on disk with a few plain SELECTs written for
 * better-sqlite3 (`prepare(sql).get(...)` / `.all(...)`, synchronous, `?` parameters). On PostgreSQL the same
 * SELECTs run through psql, synchronously, and come back as the same plain rows (via json_agg).
 */
export function synchronousSelects(url: string) {
  const run = (sql: string, params: unknown[]): Record<string, unknown>[] => {
    let index = 0;
    const bound = sql.replace(/\?/g, () => literal(params[index++]));
    const output = execFileSync(clientProgram('psql'), [url, '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-c', `SELECT coalesce(json_agg(row_to_json(row)), '[]') FROM (${bound}) AS row`], {
      encoding: 'utf8',
    });
    return JSON.parse(output) as Record<string, unknown>[];
  };
  return {
    prepare: (sql: string) => ({
      get: (...params: unknown[]) => run(sql, params)[0],
      all: (...params: unknown[]) => run(sql, params),
    }),
  };
}

/** The database a data folder's server uses: under `npm run test:pg` its PostgreSQL database (created on first use). */
async function databaseUrlFor(dataDir: string): Promise<string | undefined> {
  if (!testPostgresAdminUrl()) return undefined;
  let url = databaseOfDataDir.get(dataDir);
  if (!url) {
    url = await createTestDatabase();
    databaseOfDataDir.set(dataDir, url);
  }
  return url;
}

/** Config input for the CLI against a test server's database: the data folder, and its PostgreSQL URL under test:pg. */
export async function databaseConfig(dataDir: string): Promise<{ dataDir: string; databaseUrl?: string }> {
  const databaseUrl = await databaseUrlFor(dataDir);
  return databaseUrl ? { dataDir, databaseUrl } : { dataDir };
}

/** The same as environment variables, for a CLI run as a child process. */
export async function databaseEnv(dataDir: string): Promise<Record<string, string>> {
  const databaseUrl = await databaseUrlFor(dataDir);
  return databaseUrl ? { ATENTO_DATA_DIR: dataDir, ATENTO_DATABASE_URL: databaseUrl } : { ATENTO_DATA_DIR: dataDir };
}
