import type Database from 'better-sqlite3';
import { HANDOFF_MIGRATION } from './handoff';
import { ROLES_MIGRATION } from './agents';
import { CSAT_MIGRATION } from './csat';
import { LOGIN_FAILURES_MIGRATION } from './login-failures';
import { KNOWLEDGE_GAPS_MIGRATION } from './knowledge-gaps';
import { ANALYTICS_MIGRATION } from './analytics';

/**
 * The schema, as an ordered list of migrations. `PRAGMA user_version` records how many have run.
 * Never edit a published migration: append a new one (the handoff service appends its own).
 */
export interface Migration {
  version: number;
  name: string;
  up: string | ((db: Database.Database) => void);
  /**
   * Drops and recreates a table other tables refer to: foreign keys are off while it runs (a drop would
   * otherwise delete the referring rows or fail) and checked before it commits.
   */
  rebuildsTables?: true;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'conversations, messages, feedback, dialog state',
    up: `
      CREATE TABLE conversations (
        id            TEXT PRIMARY KEY,
        -- bot | waiting | agent | resolved (src/store/conversations.ts)
        status        TEXT NOT NULL DEFAULT 'bot',
        lang          TEXT NOT NULL,
        shopper_name  TEXT,
        shopper_email TEXT,
        -- the page the shopper was on when they last connected
        page          TEXT,
        created_at    TEXT NOT NULL,
        updated_at    TEXT NOT NULL
      );
      CREATE INDEX conversations_by_status ON conversations (status, updated_at);

      CREATE TABLE messages (
        -- also the resume cursor: a client sends the last id it saw
        id                INTEGER PRIMARY KEY AUTOINCREMENT,
        conversation_id   TEXT NOT NULL REFERENCES conversations (id),
        sender            TEXT NOT NULL CHECK (sender IN ('shopper', 'bot', 'agent', 'system')),
        -- text: shown to the shopper; note: agents only
        kind              TEXT NOT NULL DEFAULT 'text' CHECK (kind IN ('text', 'note')),
        text              TEXT NOT NULL,
        lang              TEXT,
        -- shopper messages: the text after normalization, to group unanswered questions
        normalized        TEXT,
        -- bot replies: what the engine decided
        entry_id          TEXT,
        action            TEXT,
        confidence        REAL,
        -- bot replies: JSON {"options": Choice[], "related": Choice[]}
        choices           TEXT,
        reply_to          INTEGER REFERENCES messages (id),
        author_name       TEXT,
        client_message_id TEXT,
        created_at        TEXT NOT NULL,
        UNIQUE (conversation_id, client_message_id)
      );
      CREATE INDEX messages_by_conversation ON messages (conversation_id, id);
      CREATE INDEX messages_by_reply ON messages (reply_to);

      CREATE TABLE feedback (
        message_id      INTEGER PRIMARY KEY REFERENCES messages (id),
        conversation_id TEXT NOT NULL REFERENCES conversations (id),
        helpful         INTEGER NOT NULL CHECK (helpful IN (0, 1)),
        created_at      TEXT NOT NULL,
        updated_at      TEXT NOT NULL
      );

      -- Botkit dialog state (e.g. a form the bot is filling in), so it survives restarts
      CREATE TABLE dialog_state (
        key        TEXT PRIMARY KEY,
        value      TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
    `,
  },
  HANDOFF_MIGRATION,
  LOGIN_FAILURES_MIGRATION,
  {
    version: 4,
    name: 'verified shopper identity',
    up: `
      -- the shop's own user id, set only when the widget's data-user-hash verified it (src/session/identity.ts)
      ALTER TABLE conversations ADD COLUMN shopper_id TEXT;
      CREATE INDEX conversations_by_shopper ON conversations (shopper_id, updated_at) WHERE shopper_id IS NOT NULL;
    `,
  },
  {
    version: 5,
    name: 'ticket replies by e-mail',
    up: `
      -- answered: an agent's reply went out by e-mail (the ticket is then closed)
      ALTER TABLE tickets ADD COLUMN answered_at TEXT;
      ALTER TABLE tickets ADD COLUMN answered_by TEXT REFERENCES agents (id);
      -- 'email': a ticket reply sent by e-mail, or the shopper's e-mail answer pasted by an agent
      ALTER TABLE messages ADD COLUMN via TEXT CHECK (via IN ('email'));
    `,
  },
  CSAT_MIGRATION,
  ROLES_MIGRATION,
  KNOWLEDGE_GAPS_MIGRATION,
  ANALYTICS_MIGRATION,
  {
    version: 10,
    name: 'conversations on WhatsApp and Messenger',
    up: `
      -- web | whatsapp | messenger: where the shopper writes from, and where replies go
      ALTER TABLE conversations ADD COLUMN channel TEXT NOT NULL DEFAULT 'web' CHECK (channel IN ('web', 'whatsapp', 'messenger'));
      -- the shopper's address on that channel (a phone number "whatsapp:+52…", a Messenger page-scoped id): personal data
      ALTER TABLE conversations ADD COLUMN channel_user TEXT;
      CREATE INDEX conversations_by_channel_user ON conversations (channel, channel_user, updated_at) WHERE channel_user IS NOT NULL;
    `,
  },
  {
    version: 11,
    name: 'fewer index entries per message',
    rebuildsTables: true,
    // A turn writes two messages; each index entry keyed by conversation lands on a page of its own, which
    // the commit then writes out, and so does each index entry that a conversation's update moves. The
    // table's UNIQUE (conversation_id, client_message_id) indexed bot messages too (under NULL): now a
    // partial unique index holds only messages with a client id, and messages_by_conversation serves every
    // read of one conversation. SQLite cannot drop a table's constraint, hence the copy (the 12 steps of
    // sqlite.org/lang_altertable.html).
    up: `
      CREATE TABLE messages_rebuilt (
        id                INTEGER PRIMARY KEY AUTOINCREMENT,
        conversation_id   TEXT NOT NULL REFERENCES conversations (id),
        sender            TEXT NOT NULL CHECK (sender IN ('shopper', 'bot', 'agent', 'system')),
        kind              TEXT NOT NULL DEFAULT 'text' CHECK (kind IN ('text', 'note')),
        text              TEXT NOT NULL,
        lang              TEXT,
        normalized        TEXT,
        entry_id          TEXT,
        action            TEXT,
        confidence        REAL,
        choices           TEXT,
        reply_to          INTEGER REFERENCES messages (id),
        author_name       TEXT,
        client_message_id TEXT,
        created_at        TEXT NOT NULL,
        via               TEXT CHECK (via IN ('email'))
      );
      INSERT INTO messages_rebuilt SELECT id, conversation_id, sender, kind, text, lang, normalized, entry_id, action,
        confidence, choices, reply_to, author_name, client_message_id, created_at, via FROM messages;
      -- ids are never reused, even those of deleted newest messages (AUTOINCREMENT's high-water mark)
      DELETE FROM sqlite_sequence WHERE name = 'messages_rebuilt';
      INSERT INTO sqlite_sequence (name, seq) SELECT 'messages_rebuilt', seq FROM sqlite_sequence WHERE name = 'messages';
      DROP TABLE messages;
      ALTER TABLE messages_rebuilt RENAME TO messages;
      CREATE UNIQUE INDEX messages_by_client_id ON messages (conversation_id, client_message_id) WHERE client_message_id IS NOT NULL;
      CREATE INDEX messages_by_conversation ON messages (conversation_id, id);
      CREATE INDEX messages_by_reply ON messages (reply_to);
      CREATE INDEX messages_by_sender_date ON messages (sender, created_at);
      -- read by no query, and moved by every shopper message (updated_at)
      DROP INDEX conversations_by_status;
    `,
  },
  {
    version: 12,
    name: 'client ids indexed in the order they are made',
    // Keyed by conversation first, every shopper message's entry landed on a page of its own, which the
    // group commit then wrote out. Clients now make their ids starting with the time (web-widget/src/
    // client-id.ts): keyed by the id first, a commit's new entries share the last few pages.
    up: `
      DROP INDEX messages_by_client_id;
      CREATE UNIQUE INDEX messages_by_client_id ON messages (client_message_id, conversation_id) WHERE client_message_id IS NOT NULL;
    `,
  },
];

export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const newest = migrations.at(-1)?.version ?? 0;
  if (current > newest) {
    throw new Error(`${db.name}: the database schema is version ${current}, newer than this Atento (${newest}); upgrade Atento`);
  }
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    // Outside the transaction: SQLite ignores this pragma inside one.
    if (migration.rebuildsTables) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        if (typeof migration.up === 'string') db.exec(migration.up);
        else migration.up(db);
        if (migration.rebuildsTables && (db.pragma('foreign_key_check') as unknown[]).length > 0) {
          throw new Error(`${db.name}: migration ${migration.version} (${migration.name}) would break foreign keys; nothing was changed`);
        }
        db.pragma(`user_version = ${migration.version}`);
      })();
    } finally {
      db.pragma(`foreign_keys = ${foreignKeys}`);
    }
  }
}
