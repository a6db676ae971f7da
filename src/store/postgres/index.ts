import type pg from 'pg';
import type { Store } from '../types';
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
import { createPool, database, type PoolOptions } from './pool';
import { shopperStore } from './shoppers';
import { ticketStore } from './tickets';
import { unansweredQuestions } from './unanswered';

/** The URL for error messages and logs: the password never leaves. */
export function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(an unparsable URL)';
  }
}

export { POSTGRES_MIGRATIONS, migratePostgres, type PostgresMigration } from './migrations';

/** The PostgreSQL store; `pool` is there for tests that inspect the database, never for the app. */
export interface PostgresStore extends Store {
  readonly pool: pg.Pool;
}

/**
 * Opens the PostgreSQL store at `url` (postgres://…) and brings the schema up to date (once, under a lock,
 * whichever node gets there first). Each write is committed before its Promise resolves: alone
 * (autocommit) or as one transaction for the operations that must be atomic. `afterCommit` waits for
 * every write issued so far, so an acknowledgement never leaves before what it acknowledges is committed.
 */
export async function openPostgresStore(url: string, clock: () => Date = () => new Date(), options: PoolOptions = {}): Promise<PostgresStore> {
  const pool = createPool(url, options);
  try {
    await migratePostgres(pool);
  } catch (error) {
    await pool.end();
    throw new Error(`PostgreSQL at ${withoutPassword(url)}: ${(error as Error).message}`, { cause: error });
  }
  const now = () => clock().toISOString();

  const pending = new Set<Promise<unknown>>();
  const track = <T>(write: Promise<T>): Promise<T> => {
    const settled = write.then(
      () => undefined,
      () => undefined,
    );
    pending.add(settled);
    void settled.then(() => pending.delete(settled));
    return write;
  };
  // Acknowledgements leave in the order they were asked for, each once the writes before it are done.
  let acks: Promise<void> = Promise.resolve();
  let queuedAcks = 0;
  const db = database(pool, track);

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
    // Each write already commits before it resolves; PostgreSQL groups the WAL flushes of concurrent commits.
    groupWrites() {},
    afterCommit(send) {
      if (pending.size === 0 && queuedAcks === 0) {
        send();
        return;
      }
      queuedAcks += 1;
      const writes = Promise.all(pending);
      acks = acks
        .then(() => writes)
        .then(() => {
          queuedAcks -= 1;
          send();
        })
        .catch((error: unknown) => {
          // As on SQLite, where a throwing send escapes the commit: surface it, keep later acks flowing.
          setImmediate(() => {
            throw error;
          });
        });
    },
    async healthy() {
      try {
        await pool.query('SELECT 1');
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await Promise.all(pending);
      await acks;
      await pool.end();
    },
  };
}
