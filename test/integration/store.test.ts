import fs from 'node:fs';
import path from 'node:path';
import { openStore, MIGRATIONS, type SqliteStore } from '../../src/store';
import { tempDataDir } from '../helpers/app';

/**
 * What only the SQLite store has: the file, its WAL journal and user_version, and group commit seen from a
 * second connection to the file. The store's contract on both backends is test/store/conformance.test.ts.
 */
let store: SqliteStore;
let file: string;

beforeEach(() => {
  file = path.join(tempDataDir(), 'atento.db');
  store = openStore(file);
});
afterEach(() => store.close());

test('a new database file is created in WAL mode with every migration applied', async () => {
  expect(fs.existsSync(file)).toBe(true);
  expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
  expect(store.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
});

test('group commit: the writes of one event-loop turn, awaits included, share one commit; afterCommit runs once they are on disk', async () => {
  const reader = openStore(file);
  const visible = () => (reader.db.prepare('SELECT count(*) AS n FROM conversations').get() as { n: number }).n;
  store.groupWrites();
  const { id } = await store.conversations.create('es');
  await store.messages.insert({ conversationId: id, sender: 'shopper', text: 'hola' });
  const order: string[] = [];
  store.afterCommit(() => order.push(`ack: ${visible()} visible`));
  order.push(`before commit: ${visible()} visible`);
  await new Promise<void>((resolve) => store.afterCommit(resolve));
  expect(order).toEqual(['before commit: 0 visible', 'ack: 1 visible']);
  await reader.close();
});
