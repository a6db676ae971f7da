import type { Db, SqliteStore, Store } from '../../src/store';

/** The SQLite connection behind a store, for assertions on what is on disk (tests run on the SQLite store). */
export function dbOf(store: Store): Db {
  return (store as SqliteStore).db;
}
