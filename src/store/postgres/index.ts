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

  // Writes are numbered as they are issued; `lowest` is the first one not done yet, so every write before it
  // is committed. An acknowledgement waits for the writes issued before it asked, and they leave in order.
  let issued = 0;
  let lowest = 1;
  const inFlight = new Set<number>();
  const acks: Array<{ after: number; send: () => void }> = [];
  let nextAck = 0;
  const sendAcks = () => {
    while (nextAck < acks.length && acks[nextAck]!.after < lowest) {
      const { send } = acks[nextAck]!;
      nextAck += 1;
      try {
        send();
      } catch (error) {
        // As on SQLite, where a throwing send escapes the commit: surface it, keep later acks flowing.
        setImmediate(() => {
          throw error;
        });
      }
    }
    if (nextAck === acks.length) {
      acks.length = 0;
      nextAck = 0;
    }
  };
  const track = <T>(write: Promise<T>): Promise<T> => {
    issued += 1;
    const seq = issued;
    inFlight.add(seq);
    const done = () => {
      inFlight.delete(seq);
      while (lowest <= issued && !inFlight.has(lowest)) lowest += 1;
      sendAcks();
    };
    write.then(done, done);
    return write;
  };
  const allDone = () => new Promise<void>((resolve) => afterCommit(resolve));
  const afterCommit = (send: () => void) => {
    if (acks.length === 0 && lowest > issued) send();
    else acks.push({ after: issued, send });
  };
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
