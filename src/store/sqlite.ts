import { agentTable } from './agents';
import { analyticsQueries } from './analytics';
import { startCheckpointer, type Checkpointer } from './checkpointer';
import { conversationTable } from './conversations';
import { csatTable } from './csat';
import { emptyWriteAheadLog, openDatabase, type Db } from './database';
import { dialogStateTable } from './dialog-state';
import { feedbackTable } from './feedback';
import { handoffTable } from './handoff';
import { knowledgeGapTable } from './knowledge-gaps';
import { loginFailureTable } from './login-failures';
import { messageTable, type MessageTable, type NewMessage } from './messages';
import { shopperTable } from './shoppers';
import { ticketTable } from './tickets';
import type { NewTicket, Store } from './types';
import { unansweredQuestions } from './unanswered';

/** The SQLite store; `db` is there for tests and benchmarks that inspect the file, never for the app. */
export interface SqliteStore extends Store {
  readonly db: Db;
  /** The analytics statements, for tests that check their query plans. */
  readonly analytics: Store['analytics'] & { readonly statements: ReturnType<typeof analyticsQueries>['statements'] };
  /** The per-conversation message reads, likewise. */
  readonly messages: Store['messages'] & { readonly statements: MessageTable['statements'] };
}

export interface StoreOptions {
  /** Told how long each group commit took, in seconds (for metrics). */
  onCommit?: (seconds: number) => void;
  /**
   * Told when a group commit failed (disk full, I/O error): its writes are rolled back, and what waited
   * on it hears `lost` instead of being sent.
   */
  onCommitError?: (error: Error) => void;
}

/** Each function of a synchronous table, returning a Promise (a throw becomes a rejection). */
type Promised<T> = { [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<R> : T[K] };

function promised<T extends object>(table: T): Promised<T> {
  const wrapped: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(table)) {
    wrapped[name] = typeof member === 'function' ? (...args: unknown[]) => settle(() => member(...args)) : member;
  }
  return wrapped as Promised<T>;
}

function settle<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * Opens (creating and migrating if needed) the SQLite store. better-sqlite3 is synchronous: each call
 * does its work at once and returns a settled Promise, and each domain operation is one `db.transaction`.
 * Group commit: `groupWrites` opens a transaction that a setImmediate commits, so every write of this
 * event-loop turn (including those of `await` continuations, which run as microtasks before it) shares
 * one commit, and `afterCommit` holds acknowledgements until then.
 */
export function openStore(file: string, clock: () => Date = () => new Date(), options: StoreOptions = {}): SqliteStore {
  const db = openDatabase(file);
  // A tick writes hundreds of rows within the same millisecond: one ISO string for all of them.
  let nowMs = Number.NaN;
  let nowIso = '';
  const now = () => {
    const date = clock();
    if (date.getTime() !== nowMs) {
      nowMs = date.getTime();
      nowIso = date.toISOString();
    }
    return nowIso;
  };
  const ping = db.prepare('SELECT 1');
  // A callback that throws is a bug: surfaced as such, while the commit's other callbacks still run.
  const guarded = (callback: () => void) => {
    try {
      callback();
    } catch (error) {
      setImmediate(() => {
        throw error;
      });
    }
  };
  const waiting: Array<{ send: () => void; lost?: (error: Error) => void }> = [];
  let grouping = false;
  let checkpointer: Checkpointer | undefined;
  const commit = () => {
    if (!grouping) return;
    grouping = false;
    const started = performance.now();
    try {
      db.exec('COMMIT');
    } catch (error) {
      // In a setImmediate a throw would take the whole node down; acking what is not on disk would lose it.
      if (db.inTransaction) db.exec('ROLLBACK');
      options.onCommitError?.(error as Error);
      for (const { lost } of waiting.splice(0)) guarded(() => lost?.(error as Error));
      return;
    }
    options.onCommit?.((performance.now() - started) / 1000);
    for (const { send } of waiting.splice(0)) guarded(send);
    checkpointer?.afterCommit();
  };

  const conversations = conversationTable(db, now);
  const messages = messageTable(db, now);
  const tickets = ticketTable(db, now);
  const shoppers = shopperTable(db);
  const afterCommit = (send: () => void, lost?: (error: Error) => void) => {
    if (grouping) waiting.push({ send, lost });
    else send();
  };

  return {
    db,
    conversations: promised(conversations),
    messages: promised(messages),
    feedback: promised(feedbackTable(db, now)),
    dialogState: promised(dialogStateTable(db, now)),
    agents: promised(agentTable(db, now)),
    handoffs: promised(handoffTable(db, now)),
    tickets: {
      ...promised(tickets),
      leave: (ticket: NewTicket) =>
        settle(() =>
          db.transaction(() => {
            conversations.setShopper(ticket.conversationId, { name: ticket.name, email: ticket.email });
            return tickets.create(ticket);
          })(),
        ),
      recordAnswer: (ticketId: number, agentId: string, replies: NewMessage[]) =>
        settle(() =>
          db.transaction(() => {
            tickets.markAnswered(ticketId, agentId);
            return replies.map((reply) => messages.insert(reply));
          })(),
        ),
    },
    csat: promised(csatTable(db, now)),
    loginFailures: promised(loginFailureTable(db)),
    analytics: promised(analyticsQueries(db)),
    gaps: promised(knowledgeGapTable(db, now)),
    shoppers: {
      ...promised(shoppers),
      // After the commit that carries it (the server groups writes in a transaction): only then can the log be emptied.
      forget: (key) =>
        settle(() => {
          const result = shoppers.forget(key);
          if (result.conversations > 0) afterCommit(() => emptyWriteAheadLog(db));
          return result;
        }),
    },
    unanswered: (query) => settle(() => unansweredQuestions(db, query)),
    groupWrites() {
      if (grouping || db.inTransaction) return;
      // Only a process that groups writes (the server) gets the thread; the CLI's short runs keep SQLite's own.
      if (!checkpointer && !db.memory) checkpointer = startCheckpointer(db);
      // IMMEDIATE: the group takes the write lock now, waiting busy_timeout for a CLI command's write,
      // rather than failing its first write with SQLITE_BUSY_SNAPSHOT after reading.
      try {
        db.exec('BEGIN IMMEDIATE');
      } catch {
        // Another process held the write lock past busy_timeout (a long CLI command, an operator's sqlite3):
        // this tick's writes go one by one, each failing on its own with an error its caller reports, and
        // the group is tried again next tick. A throw here would end the server (it runs in an event handler).
        return;
      }
      grouping = true;
      setImmediate(commit);
    },
    afterCommit,
    healthy() {
      try {
        return Promise.resolve(ping.get() !== undefined);
      } catch {
        return Promise.resolve(false);
      }
    },
    close() {
      return settle(() => {
        commit();
        db.close();
      }).finally(() => checkpointer?.stop());
    },
  };
}
