import path from 'node:path';
import { openStore } from '../../src/store';
import { openPostgresStore } from '../../src/store/postgres';
import type { Store } from '../../src/store/types';
import { tempDataDir } from './app';
import { createTestDatabase, testPostgresAdminUrl } from './postgres';

/** The backend the conformance suite runs against: PostgreSQL under `npm run test:pg`, else SQLite. */
export const BACKEND: 'postgres' | 'sqlite' = testPostgresAdminUrl() ? 'postgres' : 'sqlite';

/** Opens a fresh, empty store on the run's backend, and can open a second node on the same database. */
export async function openTestStore(clock: () => Date = () => new Date()): Promise<{ store: Store; openAnother(): Promise<Store> }> {
  if (BACKEND === 'postgres') {
    const url = await createTestDatabase();
    return { store: await openPostgresStore(url, clock), openAnother: () => openPostgresStore(url, clock) };
  }
  const file = path.join(tempDataDir(), 'atento.db');
  return { store: openStore(file, clock), openAnother: async () => openStore(file, clock) };
}
