import type { Db } from './database';

export type DialogStateTable = ReturnType<typeof dialogStateTable>;

/** JSON values by key, for the conversation runtime's dialog state. */
export function dialogStateTable(db: Db, now: () => string) {
  const select = db.prepare<[string], { value: string }>('SELECT value FROM dialog_state WHERE key = ?');
  const upsert = db.prepare<[string, string, string]>(
    'INSERT INTO dialog_state (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
  );
  const remove = db.prepare<[string]>('DELETE FROM dialog_state WHERE key = ?');
  return {
    read(key: string): unknown {
      const row = select.get(key);
      return row ? JSON.parse(row.value) : undefined;
    },
    write(entries: Record<string, unknown>): void {
      const at = now();
      const rows = Object.entries(entries);
      // One row needs no transaction of its own (inside a group commit it would be a savepoint per turn).
      if (rows.length === 1) upsert.run(rows[0]![0], JSON.stringify(rows[0]![1]), at);
      else db.transaction(() => rows.forEach(([key, value]) => upsert.run(key, JSON.stringify(value), at)))();
    },
    delete(keys: string[]): void {
      if (keys.length === 1) remove.run(keys[0]!);
      else db.transaction(() => keys.forEach((key) => remove.run(key)))();
    },
  };
}
