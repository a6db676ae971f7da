import type { Db, SqliteStore, Store } from '../../src/store';
import { postgresUrlOf, synchronousSelects } from './postgres';

/**
 * The SQLite connection behind a store, for assertions on what is on disk. Under `npm run test:pg` a test
 * server's store is PostgreSQL: its plain SELECTs then run there (test/helpers/postgres.ts).
 */
export function dbOf(store: Store): Db {
  const url = postgresUrlOf(store);
  return url ? (synchronousSelects(url) as unknown as Db) : (store as SqliteStore).db;
}
