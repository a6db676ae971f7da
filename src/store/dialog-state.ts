import type { Db } from './database';

export type DialogStateTable = ReturnType<typeof dialogStateTable>;

/**
 * JSON values by key, for the conversation runtime's dialog state. Nearly every turn asks for a key that
 * has no row (no form open, no offer pending) and "deletes" it again; the keys that exist are kept in
 * memory, so those turns cost no SQL at all. This process is the only writer of the table while it runs
 * (the CLI's `shopper forget` may delete rows behind it: a stale key only costs one empty SELECT).
 */
export function dialogStateTable(db: Db, now: () => string) {
  const select = db.prepare<[string], { value: string }>('SELECT value FROM dialog_state WHERE key = ?');
  const upsert = db.prepare<[string, string, string]>(
    'INSERT INTO dialog_state (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
  );
  const remove = db.prepare<[string]>('DELETE FROM dialog_state WHERE key = ?');
  const stored = new Set(db.prepare<[], { key: string }>('SELECT key FROM dialog_state').all().map((row) => row.key));
  return {
    read(key: string): unknown {
      if (!stored.has(key)) return undefined;
      const row = select.get(key);
      return row ? JSON.parse(row.value) : undefined;
    },
    write(entries: Record<string, unknown>): void {
      const at = now();
      db.transaction(() => {
        for (const [key, value] of Object.entries(entries)) upsert.run(key, JSON.stringify(value), at);
      })();
      for (const key of Object.keys(entries)) stored.add(key);
    },
    delete(keys: string[]): void {
      const present = keys.filter((key) => stored.has(key));
      if (present.length === 0) return;
      db.transaction(() => present.forEach((key) => remove.run(key)))();
      present.forEach((key) => stored.delete(key));
    },
  };
}
