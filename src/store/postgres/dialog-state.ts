import type { DialogStateStore } from '../types';
import type { Db } from './pool';

/**
 * JSON values by key. Unlike SQLite's, this one keeps no in-memory list of the keys that exist: other
 * nodes write the same table, so every read asks the database.
 */
export function dialogStateStore(db: Db, now: () => string): DialogStateStore {
  return {
    async read(key) {
      const [row] = await db.rows<{ value: string }>('SELECT value FROM dialog_state WHERE key = $1', [key]);
      return row ? JSON.parse(row.value) : undefined;
    },
    async write(entries) {
      const rows = Object.entries(entries);
      if (rows.length === 0) return;
      // One statement for all keys: atomic without a transaction of its own.
      await db.write(
        `INSERT INTO dialog_state (key, value, updated_at) SELECT key, value, $3 FROM unnest($1::text[], $2::text[]) AS entry (key, value)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
        [rows.map(([key]) => key), rows.map(([, value]) => JSON.stringify(value)), now()],
      );
    },
    async delete(keys) {
      if (keys.length === 0) return;
      await db.write('DELETE FROM dialog_state WHERE key = ANY($1::text[])', [keys]);
    },
  };
}
