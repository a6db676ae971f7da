import { createHash } from 'node:crypto';
import type { Db } from './database';
import type { Migration } from './migrations';

/** Appended to MIGRATIONS: failed agent logins per throttle key, so a restart does not forget them. */
export const LOGIN_FAILURES_MIGRATION: Migration = {
  version: 3,
  name: 'login failures',
  up: `
    CREATE TABLE login_failures (
      -- sha256 of the throttle key ("pair:<e-mail>|<address>", "ip:<address>"): no e-mails or addresses at rest
      key_hash        TEXT PRIMARY KEY,
      failures        INTEGER NOT NULL,
      last_failure_ms INTEGER NOT NULL
    );
    CREATE INDEX login_failures_by_age ON login_failures (last_failure_ms);
  `,
};

export interface LoginFailures {
  failures: number;
  lastFailureMs: number;
}

export type LoginFailureTable = ReturnType<typeof loginFailureTable>;

export function loginFailureTable(db: Db) {
  const select = db.prepare<[string], { failures: number; last_failure_ms: number }>(
    'SELECT failures, last_failure_ms FROM login_failures WHERE key_hash = ?',
  );
  const add = db.prepare<[string, number]>(
    `INSERT INTO login_failures (key_hash, failures, last_failure_ms) VALUES (?, 1, ?)
     ON CONFLICT (key_hash) DO UPDATE SET failures = failures + 1, last_failure_ms = excluded.last_failure_ms`,
  );
  const remove = db.prepare<[string]>('DELETE FROM login_failures WHERE key_hash = ?');
  const decrement = db.prepare<[string]>('UPDATE login_failures SET failures = failures - 1 WHERE key_hash = ?');
  const removeIfNone = db.prepare<[string]>('DELETE FROM login_failures WHERE key_hash = ? AND failures <= 0');
  const takeBackOne = db.transaction((keyHash: string) => {
    decrement.run(keyHash);
    removeIfNone.run(keyHash);
  });
  const sweep = db.prepare<[number]>('DELETE FROM login_failures WHERE last_failure_ms < ?');
  const count = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM login_failures');
  return {
    get(key: string): LoginFailures | undefined {
      const row = select.get(hash(key));
      return row && { failures: row.failures, lastFailureMs: row.last_failure_ms };
    },
    /** One more failure for each key, and forgets keys quiet since `forgetBeforeMs`, in one commit. */
    record(keys: string[], atMs: number, forgetBeforeMs: number): void {
      db.transaction(() => {
        sweep.run(forgetBeforeMs);
        for (const key of keys) add.run(hash(key), atMs);
      })();
    },
    clear(key: string): void {
      remove.run(hash(key));
    },
    /** One failure fewer (the attempt was counted before its password turned out right). */
    forgiveOne(key: string): void {
      takeBackOne(hash(key));
    },
    size(): number {
      return count.get()!.n;
    },
  };
}

function hash(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
