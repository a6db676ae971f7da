import pg from 'pg';
import { POSTGRES_MIGRATIONS, migratePostgres, type PostgresMigration } from '../../src/store/postgres/migrations';
import { openPostgresStore } from '../../src/store/postgres';
import { createPool } from '../../src/store/postgres/pool';
import { createTestDatabase } from '../helpers/postgres';

const pools: pg.Pool[] = [];
const poolFor = (url: string) => {
  const pool = createPool(url, { max: 2 });
  pools.push(pool);
  return pool;
};
afterAll(() => Promise.all(pools.map((pool) => pool.end())));

const tablesOf = async (pool: pg.Pool) =>
  (await pool.query<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")).rows.map((row) => row.name);

describe('PostgreSQL migrations', () => {
  test('three nodes starting together: the schema is applied exactly once, by one of them', async () => {
    const url = await createTestDatabase();
    const nodes = [poolFor(url), poolFor(url), poolFor(url)];
    const applied = await Promise.all(nodes.map((pool) => migratePostgres(pool)));

    const allVersions = POSTGRES_MIGRATIONS.map((migration) => migration.version);
    expect(applied.filter((versions) => versions.length > 0)).toEqual([allVersions]);
    const { rows } = await nodes[0]!.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.map((row) => row.version)).toEqual(allVersions);
    expect(await tablesOf(nodes[0]!)).toEqual([
      'agent_sessions', 'agents', 'conversations', 'csat', 'dialog_state', 'feedback', 'handoffs',
      'knowledge_gaps_handled', 'login_failures', 'messages', 'schema_migrations', 'tickets',
    ]);
    // A node started later has nothing left to do.
    expect(await migratePostgres(poolFor(url))).toEqual([]);
  });

  test('a new migration is applied on the next start, once; a failing one leaves no trace', async () => {
    const pool = poolFor(await createTestDatabase());
    await migratePostgres(pool);
    const newest = POSTGRES_MIGRATIONS.at(-1)!.version;
    const next: PostgresMigration = { version: newest + 1, name: 'test column', up: 'ALTER TABLE agents ADD COLUMN nickname text' };
    const broken: PostgresMigration = { version: newest + 2, name: 'broken', up: 'ALTER TABLE agents ADD COLUMN x text; SELECT * FROM no_such_table' };

    await expect(migratePostgres(pool, [...POSTGRES_MIGRATIONS, next, broken])).rejects.toThrow(/no_such_table/);
    const columns = async () =>
      (await pool.query<{ name: string }>("SELECT column_name AS name FROM information_schema.columns WHERE table_name = 'agents'")).rows.map((row) => row.name);
    expect(await columns()).not.toContain('nickname'); // all of one start's migrations commit together, or none

    expect(await migratePostgres(pool, [...POSTGRES_MIGRATIONS, next])).toEqual([newest + 1]);
    expect(await columns()).toContain('nickname');
    await expect(migratePostgres(pool)).rejects.toThrow(`PostgreSQL: the database schema is version ${newest + 1}, newer than this Atento (${newest}); upgrade Atento`);
  });

  test('version 2 on a database of version 1: the unread index is gone, messages are stored as before', async () => {
    const url = await createTestDatabase();
    const pool = poolFor(url);
    expect(await migratePostgres(pool, POSTGRES_MIGRATIONS.slice(0, 1))).toEqual([1]);
    const conversationIndexes = async () =>
      (await pool.query<{ name: string }>("SELECT indexname AS name FROM pg_indexes WHERE tablename = 'conversations'")).rows.map((row) => row.name);
    expect(await conversationIndexes()).toContain('conversations_by_status');

    expect(await migratePostgres(pool)).toEqual(POSTGRES_MIGRATIONS.slice(1).map((migration) => migration.version));
    expect(await conversationIndexes()).not.toContain('conversations_by_status');
    const store = await openPostgresStore(url);
    try {
      const conversation = await store.conversations.create('es');
      await store.messages.insert({ conversationId: conversation.id, sender: 'shopper', text: 'hola', clientMessageId: 'm1' });
      await expect(store.messages.insert({ conversationId: conversation.id, sender: 'shopper', text: 'hola', clientMessageId: 'm1' })).rejects.toThrow(/client id "m1"/);
      expect(await store.conversations.get(conversation.id)).toMatchObject({ status: 'bot' });
    } finally {
      await store.close();
    }
  });

  test('the constraints of the SQLite schema hold: one open handoff per conversation, known senders, ratings 1 to 5', async () => {
    const pool = poolFor(await createTestDatabase());
    await migratePostgres(pool);
    const at = new Date().toISOString();
    await pool.query("INSERT INTO conversations (id, lang, created_at, updated_at) VALUES ('c1', 'es', $1, $1)", [at]);
    await pool.query("INSERT INTO handoffs (conversation_id, reason, lang, requested_at, queued_at) VALUES ('c1', 'button', 'es', $1, $1)", [at]);
    await expect(pool.query("INSERT INTO handoffs (conversation_id, reason, lang, requested_at, queued_at) VALUES ('c1', 'button', 'es', $1, $1)", [at])).rejects.toThrow(/handoffs_one_open/);
    await expect(pool.query("INSERT INTO messages (conversation_id, sender, text, created_at) VALUES ('c1', 'robot', 'hola', $1)", [at])).rejects.toThrow(/sender_check/);
    await expect(pool.query("INSERT INTO messages (conversation_id, sender, text, created_at) VALUES ('nope', 'bot', 'hola', $1)", [at])).rejects.toThrow(/foreign key/);
    const { rows } = await pool.query<{ id: number }>("INSERT INTO messages (conversation_id, sender, text, created_at) VALUES ('c1', 'bot', '¿Qué tal?', $1) RETURNING id", [at]);
    await expect(pool.query("INSERT INTO csat (request_id, conversation_id, rating, created_at) VALUES ($1, 'c1', 6, $2)", [rows[0]!.id, at])).rejects.toThrow(/rating_check/);
    const stored = await pool.query<{ created_at: string }>("SELECT created_at FROM conversations WHERE id = 'c1'");
    expect(stored.rows[0]!.created_at).toBe(at); // times come back as the ISO strings SQLite stores
  });
});
