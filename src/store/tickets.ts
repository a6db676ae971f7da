import type { Lang } from '../knowledge/types';
import type { Db } from './database';
import type { Migration } from './migrations';

/** open → answered (an agent replied by e-mail) → open again when the shopper's e-mail reply is added; closed by an agent. */
export type TicketStatus = 'open' | 'answered' | 'closed';

/** A message left for the team when nobody could take the chat. */
export interface Ticket {
  id: number;
  conversationId: string;
  name: string;
  email: string;
  message: string;
  lang: Lang;
  reason: string;
  status: TicketStatus;
  createdAt: string;
  closedAt: string | null;
  closedBy: string | null;
  /** The last e-mail reply: when and by which agent (name, as the shopper saw it signed). */
  answeredAt: string | null;
  answeredBy: string | null;
  /** A reply that could not be sent yet (no SMTP, or the server refused it), kept so nothing is lost. */
  draft: string | null;
}

interface TicketRow {
  id: number;
  conversation_id: string;
  name: string;
  email: string;
  message: string;
  lang: Lang;
  reason: string;
  status: TicketStatus;
  created_at: string;
  closed_at: string | null;
  closed_by: string | null;
  answered_at: string | null;
  answered_by: string | null;
  draft: string | null;
}

/**
 * Appended to MIGRATIONS: the "answered" ticket state (SQLite cannot change a CHECK, so the table is
 * rebuilt), who answered and when, the unsent draft, and messages.via for replies sent or received by e-mail.
 */
export const TICKET_REPLIES_MIGRATION: Migration = {
  version: 3,
  name: 'ticket replies by e-mail',
  up: `
    CREATE TABLE tickets_new (
      id              INTEGER PRIMARY KEY AUTOINCREMENT,
      conversation_id TEXT NOT NULL REFERENCES conversations (id),
      name            TEXT NOT NULL,
      email           TEXT NOT NULL,
      message         TEXT NOT NULL,
      lang            TEXT NOT NULL,
      reason          TEXT NOT NULL,
      status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'answered', 'closed')),
      created_at      TEXT NOT NULL,
      closed_at       TEXT,
      closed_by       TEXT REFERENCES agents (id),
      answered_at     TEXT,
      -- the agent's display name, as signed in the e-mail
      answered_by     TEXT,
      draft           TEXT
    );
    INSERT INTO tickets_new (id, conversation_id, name, email, message, lang, reason, status, created_at, closed_at, closed_by)
      SELECT id, conversation_id, name, email, message, lang, reason, status, created_at, closed_at, closed_by FROM tickets;
    DROP TABLE tickets;
    ALTER TABLE tickets_new RENAME TO tickets;
    CREATE INDEX tickets_by_status ON tickets (status, id);

    -- NULL: through the chat; 'email': a ticket reply sent by an agent, or the shopper's answer pasted in
    ALTER TABLE messages ADD COLUMN via TEXT CHECK (via IN ('email'));
  `,
};

export type TicketTable = ReturnType<typeof ticketTable>;

export function ticketTable(db: Db, now: () => string) {
  const insert = db.prepare<[string, string, string, string, Lang, string, string]>(
    'INSERT INTO tickets (conversation_id, name, email, message, lang, reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const byId = db.prepare<[number], TicketRow>('SELECT * FROM tickets WHERE id = ?');
  const open = db.prepare<[], TicketRow>("SELECT * FROM tickets WHERE status = 'open' ORDER BY id");
  const pending = db.prepare<[], TicketRow>("SELECT * FROM tickets WHERE status <> 'closed' ORDER BY status = 'answered', id");
  const close = db.prepare<[string, string, number]>("UPDATE tickets SET status = 'closed', closed_at = ?, closed_by = ? WHERE id = ? AND status <> 'closed'");
  const answered = db.prepare<[string, string, number]>(
    "UPDATE tickets SET status = 'answered', answered_at = ?, answered_by = ?, draft = NULL WHERE id = ? AND status <> 'closed'",
  );
  const reopen = db.prepare<[number]>("UPDATE tickets SET status = 'open' WHERE id = ? AND status = 'answered'");
  const saveDraft = db.prepare<[string | null, number]>('UPDATE tickets SET draft = ? WHERE id = ?');

  return {
    create(ticket: { conversationId: string; name: string; email: string; message: string; lang: Lang; reason: string }): Ticket {
      const result = insert.run(ticket.conversationId, ticket.name, ticket.email, ticket.message, ticket.lang, ticket.reason, now());
      return toTicket(byId.get(Number(result.lastInsertRowid))!);
    },
    get(id: number): Ticket | undefined {
      const row = byId.get(id);
      return row && toTicket(row);
    },
    /** Tickets still waiting for an answer. */
    open(): Ticket[] {
      return open.all().map(toTicket);
    },
    /** Tickets not closed: open ones first (they need an answer), then answered ones. */
    pending(): Ticket[] {
      return pending.all().map(toTicket);
    },
    close(id: number, agentId: string): boolean {
      return close.run(now(), agentId, id).changes === 1;
    },
    markAnswered(id: number, agentName: string): boolean {
      return answered.run(now(), agentName, id).changes === 1;
    },
    /** The shopper wrote back: the ticket needs an answer again. */
    reopen(id: number): void {
      reopen.run(id);
    },
    saveDraft(id: number, draft: string | null): void {
      saveDraft.run(draft, id);
    },
  };
}

function toTicket(row: TicketRow): Ticket {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    name: row.name,
    email: row.email,
    message: row.message,
    lang: row.lang,
    reason: row.reason,
    status: row.status,
    createdAt: row.created_at,
    closedAt: row.closed_at,
    closedBy: row.closed_by,
    answeredAt: row.answered_at,
    answeredBy: row.answered_by,
    draft: row.draft,
  };
}
