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

test("a conversation's messages are read through the index keyed by conversation, never through another or a scan", async () => {
  // A message has one index entry keyed by conversation (migration 11); every read of one conversation must use it.
  for (const [name, statement] of Object.entries(store.messages.statements)) {
    const plan = (store.db.prepare(`EXPLAIN QUERY PLAN ${statement.source}`).all(...statement.source.split('?').slice(1).map(() => 1)) as Array<{ detail: string }>).map((row) => row.detail);
    expect({ name, plan: plan.filter((detail) => /^(SEARCH|SCAN) messages/.test(detail)) }).toEqual({
      name,
      plan: [expect.stringMatching(/^SEARCH messages USING INDEX sqlite_autoindex_messages_1 \(conversation_id=\?/)],
    });
  }
  const indexes = store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'messages' AND sql LIKE '%conversation_id%'").all();
  expect(indexes).toEqual([]);
});

describe('WAL checkpoints on their own thread (src/store/checkpointer.ts)', () => {
  const walBytes = () => (fs.existsSync(`${file}-wal`) ? fs.statSync(`${file}-wal`).size : 0);
  const committed = () => new Promise<void>((resolve) => store.afterCommit(resolve));

  /** One group commit of `count` shopper messages of about 2 KB each. */
  async function writeGroup(conversationId: string, first: number, count: number): Promise<void> {
    store.groupWrites();
    for (let i = first; i < first + count; i++) {
      await store.messages.insert({ conversationId, sender: 'shopper', text: `${i} `.padEnd(2000, 'x'), clientMessageId: `m-${i}` });
    }
    await committed();
  }

  test('once the server groups writes, the thread copies them into the database file', async () => {
    const { id } = await store.conversations.create('es');
    const sizeBefore = fs.statSync(file).size;
    // 1,000 messages: about 600 pages, under SQLite's own auto-checkpoint (1,000), which is off now.
    for (let group = 0; group < 10; group++) await writeGroup(id, group * 100, 100);
    const deadline = Date.now() + 10_000;
    while (fs.statSync(file).size < sizeBefore + 1_000_000 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fs.statSync(file).size).toBeGreaterThan(sizeBefore + 1_000_000);
    // And the file alone (what a copy taken after a checkpoint holds) has them all.
    const reader = openStore(file);
    expect((await reader.messages.listAfter(id, 0, 5000)).length).toBe(1000);
    await reader.close();
  });

  test('under writes without a pause the WAL still starts over: it stays bounded', async () => {
    const { id } = await store.conversations.create('es');
    let largest = 0;
    // Back to back, these writes make a WAL of about 300 MB if it never starts over. It stays under the
    // thread's limit (64 MiB, twice that if its passes never get short) plus what is written during one
    // of its passes, which a busy machine slows.
    for (let group = 0; group < 600; group++) {
      await writeGroup(id, group * 100, 100);
      largest = Math.max(largest, walBytes());
    }
    expect(largest).toBeLessThan(200 * 1024 * 1024);
    expect((await store.messages.listAfter(id, 0, 100_000)).length).toBe(60_000);
  });

  test('closing the store stops the thread and leaves no WAL behind, as SQLite does on its own', async () => {
    const { id } = await store.conversations.create('es');
    await writeGroup(id, 0, 10);
    await store.close();
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
    store = openStore(file);
    expect((await store.messages.listAfter(id)).length).toBe(10);
  });
});
