import { openPostgresStore } from '../../src/store/postgres';
import type { Store } from '../../src/store/types';
import { createTestDatabase, testPostgresAdminUrl } from './postgres';

/** The backend the conformance suite runs against: PostgreSQL under `npm run test:pg`, else SQLite. */
export const BACKEND: 'postgres' | 'sqlite' = testPostgresAdminUrl() ? 'postgres' : 'sqlite';

/** Opens a fresh, empty store on the run's backend, and a second node on the same database. */
export async function openTestStore(clock: () => Date = () => new Date()): Promise<{ store: Store; openAnother(): Promise<Store> }> {
  if (BACKEND === 'sqlite') throw new Error('openTestStore: the SQLite backend comes with the async SQLite store');
  const url = await createTestDatabase();
  return { store: await openPostgresStore(url, clock), openAnother: () => openPostgresStore(url, clock) };
}
