import type pg from 'pg';
import type { Store } from '../types';
import { commitTracker } from './acks';
import { agentStore } from './agents';
import { analyticsStore } from './analytics';
import { conversationStore } from './conversations';
import { csatStore } from './csat';
import { dialogStateStore } from './dialog-state';
import { feedbackStore } from './feedback';
import { handoffStore } from './handoffs';
import { knowledgeGapStore } from './knowledge-gaps';
import { loginFailureStore } from './login-failures';
import { messageStore } from './messages';
import { migratePostgres } from './migrations';
import { redactUrl } from '../../observability/redact-url';
import { createPool, database, type PoolOptions } from './pool';
import { shopperStore } from './shoppers';
import { ticketStore } from './tickets';
import { unansweredQuestions } from './unanswered';

/** The URL for error messages and logs: the password never leaves. */
export const withoutPassword = redactUrl;

export { POSTGRES_MIGRATIONS, migratePostgres, type PostgresMigration } from './migrations';

/** The PostgreSQL store; `pool` is there for tests that inspect the database, never for the app. */
export interface PostgresStore extends Store {
  readonly pool: pg.Pool;
}

/**
 * Connects to PostgreSQL at `url` (postgres://…) and brings the schema up to date (once, under a lock,
 * whichever node gets there first). The pool is then handed to `postgresStore`.
 */
export async function connectPostgres(url: string, options: PoolOptions = {}): Promise<pg.Pool> {
  const pool = createPool(url, options);
  try {
    await migratePostgres(pool);
  } catch (error) {
    await pool.end();
    throw new Error(`PostgreSQL at ${withoutPassword(url)}: ${(error as Error).message}`, { cause: error });
  }
  return pool;
}

export interface PostgresStoreOptions {
  /** Told how long each group commit took, in seconds (for metrics), as SQLite's store does. */
  onCommit?: (seconds: number) => void;
}

/** Connects (see connectPostgres) and opens the store. */
export async function openPostgresStore(url: string, clock?: () => Date, options: PostgresStoreOptions & PoolOptions = {}): Promise<PostgresStore> {
  return postgresStore(await connectPostgres(url, options), clock, options);
}

/**
 * The store over a migrated pool. Each write is committed before its Promise resolves: alone
 * (autocommit), in a group commit with other messages (pool.ts), or as one transaction for the operations
 * that must be atomic. `afterCommit` waits for every write issued so far (acks.ts), so an acknowledgement
 * never leaves before what it acknowledges is committed.
 */
export function postgresStore(pool: pg.Pool, clock: () => Date = () => new Date(), options: PostgresStoreOptions = {}): PostgresStore {
  const now = () => clock().toISOString();

  const { track, afterCommit, allDone } = commitTracker();
  const db = database(pool, track, options.onCommit);

  return {
    pool,
    conversations: conversationStore(db, now),
    messages: messageStore(db, now),
    feedback: feedbackStore(db, now),
    dialogState: dialogStateStore(db, now),
    agents: agentStore(db, now),
    handoffs: handoffStore(db, now),
    tickets: ticketStore(db, now),
    csat: csatStore(db, now),
    loginFailures: loginFailureStore(db),
    analytics: analyticsStore(db),
    gaps: knowledgeGapStore(db, now),
    shoppers: shopperStore(db, pool),
    unanswered: (options) => unansweredQuestions(db, options),
    // SQLite's hint; here message inserts form groups by themselves when they arrive faster than they commit.
    groupWrites() {},
    afterCommit,
    async healthy() {
      try {
        await pool.query('SELECT 1');
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await allDone();
      await pool.end();
    },
  };
}
