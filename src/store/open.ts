import type { Config } from '../config';
import { connectPostgres, postgresStore, withoutPassword } from './postgres';
import { openStore, type StoreOptions } from './sqlite';
import type { Store } from './types';

/** Opens the store once the app knows its options (the commit-time metric). */
export type StoreOpener = (options: StoreOptions) => Store;

/**
 * The configured backend, ready to open: with `databaseUrl`, PostgreSQL, connected and migrated (under a
 * lock) here, since that is asynchronous; else the SQLite file, which opens and migrates synchronously.
 */
export async function prepareConfiguredStore(config: Pick<Config, 'databaseFile' | 'databaseUrl'>, clock?: () => Date): Promise<StoreOpener> {
  if (!config.databaseUrl) return (options) => openStore(config.databaseFile, clock, options);
  const pool = await connectPostgres(config.databaseUrl);
  return (options) => postgresStore(pool, clock, options);
}

/** The configured backend, open (for the CLI and benchmarks). */
export async function openConfiguredStore(config: Pick<Config, 'databaseFile' | 'databaseUrl'>, clock?: () => Date, options: StoreOptions = {}): Promise<Store> {
  return (await prepareConfiguredStore(config, clock))(options);
}

/** Where the data is, for the start-up log line: the SQLite file, or the PostgreSQL URL without its password. */
export function describeDatabase(config: Pick<Config, 'databaseFile' | 'databaseUrl'>): { databaseFile: string } | { databaseUrl: string } {
  return config.databaseUrl ? { databaseUrl: withoutPassword(config.databaseUrl) } : { databaseFile: config.databaseFile };
}
