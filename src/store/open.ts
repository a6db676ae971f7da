import type { Config } from '../config';
import { openPostgresStore, withoutPassword } from './postgres';
import { openStore, type StoreOptions } from './sqlite';
import type { Store } from './types';

/** The configured backend: PostgreSQL when `databaseUrl` is set (migrated under a lock), else the SQLite file. */
export async function openConfiguredStore(
  config: Pick<Config, 'databaseFile' | 'databaseUrl'>,
  clock?: () => Date,
  options: StoreOptions = {},
): Promise<Store> {
  return config.databaseUrl ? openPostgresStore(config.databaseUrl, clock) : openStore(config.databaseFile, clock, options);
}

/** Where the data is, for the start-up log line: the SQLite file, or the PostgreSQL URL without its password. */
export function describeDatabase(config: Pick<Config, 'databaseFile' | 'databaseUrl'>): { databaseFile: string } | { databaseUrl: string } {
  return config.databaseUrl ? { databaseUrl: withoutPassword(config.databaseUrl) } : { databaseFile: config.databaseFile };
}
