import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openStore, MIGRATIONS, type SqliteStore } from '../../src/store';
import { migrate } from '../../src/store/migrations';
import { tempDataDir } from '../helpers/app';
import { trapCommitsOfMessagesWith } from '../helpers/commit-trap';
import { eventually } from '../helpers/wait';
import { committed } from '../../src/store/committed';

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

test('the file is readable by its owner only, and an erased shopper is gone from it and from its journal', async () => {
  const { seedShopper } = await import('../helpers/seed-shoppers');
  for (const name of ['atento.db', 'atento.db-wal', 'atento.db-shm']) expect(fs.statSync(path.join(path.dirname(file), name)).mode & 0o777).toBe(0o600);
  expect(fs.statSync(path.dirname(file)).mode & 0o077).toBe(0);
  await seedShopper(store, 'rosa@example.com', 'vivo en Calle Secreta 123');
  await seedShopper(store, 'otro@example.com', 'hola');
  const onDisk = () => ['atento.db', 'atento.db-wal'].map((name) => path.join(path.dirname(file), name)).filter(fs.existsSync).map((f) => fs.readFileSync(f).toString('latin1')).join('');
  expect(onDisk()).toContain('Calle Secreta');
  // As the server does it: inside a group commit (with the checkpointer thread running), then once it is on disk.
  store.groupWrites();
  expect(await store.shoppers.forget('rosa@example.com')).toMatchObject({ conversations: 1 });
  await committed(store);
  await eventually(() => {
    expect(onDisk()).not.toContain('Calle Secreta');
    expect(onDisk()).not.toContain('rosa@example.com');
  }, 5000);
  await store.close();
  expect(onDisk()).not.toContain('Calle Secreta');
  store = openStore(file);
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

test('another process holding the write lock: the group is skipped, not thrown (it runs in an event handler), and groups again once the lock is free', async () => {
  store.db.pragma('busy_timeout = 100');
  const other = new Database(file);
  other.exec('BEGIN IMMEDIATE');
  expect(() => store.groupWrites()).not.toThrow();
  other.exec('ROLLBACK');
  other.close();
  await new Promise((resolve) => setImmediate(resolve));
  store.groupWrites();
  const conversation = await store.conversations.create('es');
  await new Promise<void>((resolve) => store.afterCommit(resolve));
  expect(await store.conversations.get(conversation.id)).toBeDefined();
});

test('a group commit that fails rolls back every write of the group and calls `lost`, never `send`, for what waited on it', async () => {
  trapCommitsOfMessagesWith(store.db, 'romper');
  const failures: string[] = [];
  const failing = openStore(file, undefined, { onCommitError: (error) => failures.push(error.message) });
  failing.groupWrites();
  const { id } = await failing.conversations.create('es');
  await failing.messages.insert({ conversationId: id, sender: 'shopper', text: 'esto va a romper el commit' });
  const heard = await new Promise<string>((resolve) => failing.afterCommit(() => resolve('sent'), (error) => resolve(`lost: ${error.message}`)));
  expect(heard).toMatch(/^lost: FOREIGN KEY constraint failed/);
  expect(failures).toHaveLength(1);
  expect(await failing.conversations.get(id)).toBeUndefined();
  // The next group commits as usual.
  failing.groupWrites();
  const next = await failing.conversations.create('es');
  await expect(new Promise<string>((resolve, reject) => failing.afterCommit(() => resolve('sent'), reject))).resolves.toBe('sent');
  expect(await failing.conversations.get(next.id)).toBeDefined();
  await failing.close();
});

test("every read of one conversation's messages searches an index with the conversation in its key", async () => {
  for (const [name, statement] of Object.entries(store.messages.statements)) {
    const plan = (store.db.prepare(`EXPLAIN QUERY PLAN ${statement.source}`).all(...statement.source.split('?').slice(1).map(() => 1)) as Array<{ detail: string }>).map((row) => row.detail);
    expect({ name, plan: plan.filter((detail) => /^(SEARCH|SCAN) messages/.test(detail)) }).toEqual({
      name,
      plan: [expect.stringMatching(/^SEARCH messages USING INDEX (messages_by_conversation \(conversation_id=\?|messages_by_client_id \(client_message_id=\? AND conversation_id=\?)/)],
    });
  }
});

test('migrations 11 and later bring a version 10 database up to date: rows, links, ids and uniqueness kept', () => {
  const old = path.join(tempDataDir(), 'v10.db');
  const v10 = new Database(old);
  v10.pragma('foreign_keys = ON');
  migrate(v10, MIGRATIONS.filter((migration) => migration.version <= 10));
  const at = '2026-01-01T00:00:00.000Z';
  v10.prepare("INSERT INTO conversations (id, lang, created_at, updated_at) VALUES ('c1', 'es', ?, ?)").run(at, at);
  const insert = v10.prepare("INSERT INTO messages (conversation_id, sender, text, reply_to, client_message_id, created_at) VALUES ('c1', ?, ?, ?, ?, ?)");
  const question = Number(insert.run('shopper', 'hola', null, 'm1', at).lastInsertRowid);
  const answer = Number(insert.run('bot', '¡Hola!', question, null, at).lastInsertRowid);
  v10.prepare("INSERT INTO feedback (message_id, conversation_id, helpful, created_at, updated_at) VALUES (?, 'c1', 1, ?, ?)").run(answer, at, at);
  // The newest message deleted: its id must not be handed out again.
  const deleted = Number(insert.run('shopper', 'borrado', null, 'm2', at).lastInsertRowid);
  v10.prepare('DELETE FROM messages WHERE id = ?').run(deleted);

  migrate(v10);
  expect(v10.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
  expect(v10.pragma('foreign_keys', { simple: true })).toBe(1);
  expect(v10.prepare('SELECT id, sender, text, reply_to AS replyTo FROM messages ORDER BY id').all()).toEqual([
    { id: question, sender: 'shopper', text: 'hola', replyTo: null },
    { id: answer, sender: 'bot', text: '¡Hola!', replyTo: question },
  ]);
  expect(v10.pragma('foreign_key_check')).toEqual([]);
  expect(Number(insert.run('bot', 'siguiente', null, null, at).lastInsertRowid)).toBe(deleted + 1);
  expect(() => insert.run('shopper', 'otra vez', null, 'm1', at)).toThrow(/UNIQUE/);
  // A client id is unique per conversation, not across them.
  v10.prepare("INSERT INTO conversations (id, lang, created_at, updated_at) VALUES ('c2', 'es', ?, ?)").run(at, at);
  expect(() => v10.prepare("INSERT INTO messages (conversation_id, sender, text, client_message_id, created_at) VALUES ('c2', 'shopper', 'hola', 'm1', ?)").run(at)).not.toThrow();
  v10.close();
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
