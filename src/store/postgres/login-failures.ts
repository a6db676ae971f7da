import { createHash } from 'node:crypto';
import type { LoginFailureStore } from '../types';
import type { Db } from './pool';

/** Failed agent logins per throttle key; keys are stored as sha256 (no e-mails or addresses at rest). */
export function loginFailureStore(db: Db): LoginFailureStore {
  return {
    async get(key) {
      const [row] = await db.rows<{ failures: number; last_failure_ms: number }>('SELECT failures, last_failure_ms FROM login_failures WHERE key_hash = $1', [hash(key)]);
      return row && { failures: row.failures, lastFailureMs: row.last_failure_ms };
    },
    record: (keys, atMs, forgetBeforeMs) =>
      db.transaction(async (client) => {
        await client.query('DELETE FROM login_failures WHERE last_failure_ms < $1', [forgetBeforeMs]);
        await client.query(
          `INSERT INTO login_failures (key_hash, failures, last_failure_ms) SELECT key_hash, 1, $2 FROM unnest($1::text[]) AS key (key_hash)
           ON CONFLICT (key_hash) DO UPDATE SET failures = login_failures.failures + 1, last_failure_ms = excluded.last_failure_ms`,
          // one row may not be changed twice by one statement: a key listed twice counts once (callers pass distinct keys)
          [[...new Set(keys.map(hash))], atMs],
        );
      }),
    async clear(key) {
      await db.write('DELETE FROM login_failures WHERE key_hash = $1', [hash(key)]);
    },
    forgiveOne: (key) =>
      db.transaction(async (client) => {
        await client.query('UPDATE login_failures SET failures = failures - 1 WHERE key_hash = $1', [hash(key)]);
        await client.query('DELETE FROM login_failures WHERE key_hash = $1 AND failures <= 0', [hash(key)]);
      }),
    async size() {
      const [row] = await db.rows<{ n: number }>('SELECT count(*) AS n FROM login_failures');
      return row!.n;
    },
  };
}

function hash(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
