import type { Lang } from '../knowledge/types';
import type { Db } from './database';

/** A message left for the team when nobody could take the chat. */
export interface Ticket {
  id: number;
  conversationId: string;
  name: string;
  email: string;
  message: string;
  lang: Lang;
  reason: string;
  /** answered: an agent's reply went out by e-mail; closed: marked done without one. */
  status: 'open' | 'answered' | 'closed';
  createdAt: string;
  closedAt: string | null;
  closedBy: string | null;
  answeredAt: string | null;
}

export interface TicketRow {
  id: number;
  conversation_id: string;
  name: string;
  email: string;
  message: string;
  lang: Lang;
  reason: string;
  status: 'open' | 'closed';
  created_at: string;
  closed_at: string | null;
  closed_by: string | null;
  answered_at: string | null;
}

export type TicketTable = ReturnType<typeof ticketTable>;

export function ticketTable(db: Db, now: () => string) {
  const insert = db.prepare<[string, string, string, string, Lang, string, string]>(
    'INSERT INTO tickets (conversation_id, name, email, message, lang, reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const byId = db.prepare<[number], TicketRow>('SELECT * FROM tickets WHERE id = ?');
  const open = db.prepare<[], TicketRow>("SELECT * FROM tickets WHERE status = 'open' ORDER BY id");
  // Open ones first (oldest first), then the latest answered, so agents see what went out.
  const listed = db.prepare<[string], TicketRow>(
    "SELECT * FROM tickets WHERE status = 'open' OR answered_at >= ? ORDER BY status = 'open' DESC, CASE WHEN status = 'open' THEN id ELSE -id END LIMIT 200",
  );
  const close = db.prepare<[string, string, number]>("UPDATE tickets SET status = 'closed', closed_at = ?, closed_by = ? WHERE id = ? AND status = 'open'");
  const answer = db.prepare<[string, string, string, string, number]>(
    "UPDATE tickets SET status = 'closed', closed_at = ?, closed_by = ?, answered_at = ?, answered_by = ? WHERE id = ? AND status = 'open'",
  );

  return {
    create(ticket: { conversationId: string; name: string; email: string; message: string; lang: Lang; reason: string }): Ticket {
      const result = insert.run(ticket.conversationId, ticket.name, ticket.email, ticket.message, ticket.lang, ticket.reason, now());
      return toTicket(byId.get(Number(result.lastInsertRowid))!);
    },
    open(): Ticket[] {
      return open.all().map(toTicket);
    },
    get(id: number): Ticket | undefined {
      const row = byId.get(id);
      return row && toTicket(row);
    },
    /** Open tickets, then those answered since `answeredSince`. */
    listed(answeredSince: string): Ticket[] {
      return listed.all(answeredSince).map(toTicket);
    },
    close(id: number, agentId: string): boolean {
      return close.run(now(), agentId, id).changes === 1;
    },
    /** Marks an open ticket answered (and closed); false if someone else already did. */
    markAnswered(id: number, agentId: string): boolean {
      const at = now();
      return answer.run(at, agentId, at, agentId, id).changes === 1;
    },
  };
}

export function toTicket(row: TicketRow): Ticket {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    name: row.name,
    email: row.email,
    message: row.message,
    lang: row.lang,
    reason: row.reason,
    status: row.answered_at ? 'answered' : row.status,
    createdAt: row.created_at,
    closedAt: row.closed_at,
    closedBy: row.closed_by,
    answeredAt: row.answered_at,
  };
}
