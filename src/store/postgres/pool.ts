import { createHash } from 'node:crypto';
import pg from 'pg';

/** A pool or one of its clients (inside a transaction): both run queries. */
export type Sql = Pick<pg.Pool, 'query'> | pg.PoolClient;

/**
 * Rows come back shaped like SQLite's: counts and ids as numbers (bigint and numeric would be strings;
 * every value Atento stores fits a double), and times as the same ISO strings `toISOString()` writes.
 */
const parseTimestamp = pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ);
const PARSERS: Partial<Record<number, (value: string) => unknown>> = {
  [pg.types.builtins.INT8]: Number,
  [pg.types.builtins.NUMERIC]: Number,
  [pg.types.builtins.TIMESTAMPTZ]: (value) => (parseTimestamp(value) as Date).toISOString(),
};

const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => PARSERS[oid] ?? pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export interface PoolOptions {
  /** Connections per node (default 20). */
  max?: number;
}

export function createPool(url: string, options: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 20,
    // A database that does not answer fails the call (and /healthz) instead of hanging it.
    connectionTimeoutMillis: 10_000,
    // Bounded waits: a row lock held by a stray psql session or by a node that lost its network must
    // fail the writes behind it (the shopper's client re-sends), not hold every acknowledgement for hours.
    lock_timeout: 5_000,
    statement_timeout: 30_000,
    idle_in_transaction_session_timeout: 30_000,
    keepAlive: true,
    types,
    // Dates without a zone (e.g. a `since` of "2026-01-01") mean UTC, as the ISO strings in SQLite do.
    options: '-c TimeZone=UTC',
  });
  // An idle client losing its connection (the server restarted) must not crash the process: the pool
  // drops that client and the next query opens a new connection; `healthy()` reports the outage.
  pool.on('error', () => {});
  return pool;
}

const names = new Map<string, string>();

/**
 * A named statement: each connection parses and plans it once, then only binds and runs it (the same
 * handful of statements run for every message, so parsing them every time is PostgreSQL's biggest cost).
 */
export function prepared(text: string, values: unknown[] = []): pg.QueryConfig {
  let name = names.get(text);
  if (!name) {
    name = `atento_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
    names.set(text, name);
  }
  return { name, text, values };
}

/**
 * Thrown inside a transaction's work to roll it back and answer `value` instead: a domain "no" (the
 * conversation was no longer in the expected state) that must not commit half of the change.
 */
export class Rollback<T> {
  constructor(readonly value: T) {}
}

/** Errors worth one more try of the whole transaction: PostgreSQL aborted it to break a deadlock or conflict. */
const RETRYABLE = new Set(['40001', '40P01']);
const ATTEMPTS = 3;

/** Runs `work` in one transaction on one pooled client: all of it commits, or none of it. */
export async function transaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    const client = await pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true; // the connection itself failed: do not hand it back to the pool
      }
      if (error instanceof Rollback) return error.value as T;
      if (attempt < ATTEMPTS && RETRYABLE.has((error as { code?: string }).code ?? '')) continue;
      throw error;
    } finally {
      client.release(broken);
    }
  }
}

/**
 * What the table modules get: reads straight from the pool, and writes and transactions counted as
 * pending until they commit, so `afterCommit` knows what an acknowledgement must wait for.
 */
export interface Db {
  /** Rows of one statement (a read, or a write whose completion nobody acknowledges). */
  rows<R extends object>(text: string, params?: unknown[]): Promise<R[]>;
  /** One statement that changes data, committed on its own; its rows (RETURNING) and row count. */
  write<R extends object>(text: string, params?: unknown[]): Promise<{ rows: R[]; rowCount: number }>;
  /** Statements that change data, each committed on its own (autocommit), on the pool. */
  run<T>(work: (sql: Sql) => Promise<T>): Promise<T>;
  /** Several statements as one transaction (throw a Rollback to undo it and return a value). */
  transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T>;
  /**
   * Group commit: a write that may share a commit with other such writes (each must stand alone, so it
   * can be run again by itself). Resolves once that commit is done.
   */
  grouped<T>(work: (sql: Sql) => Promise<T>): Promise<T>;
  /** Counts a write that starts later (e.g. after another one) as pending from now on. */
  pending<T>(write: Promise<T>): Promise<T>;
}

export function database(pool: pg.Pool, track: <T>(write: Promise<T>) => Promise<T>, onCommit?: (seconds: number) => void): Db {
  const group = groupCommit(pool, onCommit);
  return {
    grouped: (work) => track(group(work)),
    pending: track,
    rows: async (text, params) => (await pool.query(prepared(text, params))).rows,
    write: async (text, params) => {
      const result = await track(pool.query(prepared(text, params)));
      return { rows: result.rows, rowCount: result.rowCount ?? 0 };
    },
    run: (work) => track(work(pool)),
    transaction: (work) => track(transaction(pool, work)),
  };
}

interface GroupedWrite {
  work: (sql: Sql) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** At most this many group commits in flight, so reads and transactions keep connections of their own. */
const GROUPS_IN_FLIGHT = 8;
const MAX_GROUP = 100;

/**
 * Group commit on PostgreSQL: writes queue up and run in one transaction per group, so one commit (one WAL
 * flush) carries many. Alone, a write runs at once on its own; under load, writes that arrive while
 * GROUPS_IN_FLIGHT groups are committing wait for the next group, which grows with the load. If any write
 * of a group fails (a duplicate clientMessageId, a deadlock with another node's group), the group is rolled
 * back and each of its writes runs again alone, so only the faulty one fails.
 */
function groupCommit(pool: pg.Pool, onCommit?: (seconds: number) => void) {
  const queue: GroupedWrite[] = [];
  let inFlight = 0;
  const alone = (write: GroupedWrite) => write.work(pool).then(write.resolve, write.reject);
  const timed = async (group: GroupedWrite[]) => {
    const started = performance.now();
    await commitGroup(group);
    onCommit?.((performance.now() - started) / 1000);
  };
  const commitGroup = async (group: GroupedWrite[]) => {
    if (group.length === 1) return alone(group[0]!);
    let results: unknown[];
    try {
      results = await transaction(pool, async (client) => {
        const done: unknown[] = [];
        for (const write of group) done.push(await write.work(client));
        return done;
      });
    } catch {
      for (const write of group) await alone(write); // in order: a conversation's messages keep theirs
      return;
    }
    group.forEach((write, index) => write.resolve(results[index]));
  };
  const drain = () => {
    while (queue.length > 0 && inFlight < GROUPS_IN_FLIGHT) {
      inFlight += 1;
      void timed(queue.splice(0, MAX_GROUP)).finally(() => {
        inFlight -= 1;
        drain();
      });
    }
  };
  return <T>(work: (sql: Sql) => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      drain();
    });
}
