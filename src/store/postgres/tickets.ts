import type { NewTicket, TicketStore } from '../types';
import { SET_SHOPPER } from './conversations';
import { insertMessage } from './messages';
import type { Db, Sql } from './pool';
import { toTicket, type TicketRow } from '../tickets';

const insertTicket = async (sql: Sql, ticket: NewTicket, at: string) => {
  const { rows } = await sql.query<TicketRow>(
    'INSERT INTO tickets (conversation_id, name, email, message, lang, reason, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *',
    [ticket.conversationId, ticket.name, ticket.email, ticket.message, ticket.lang, ticket.reason, at],
  );
  return toTicket(rows[0]!);
};

export function ticketStore(db: Db, now: () => string): TicketStore {
  const list = async (text: string, params: unknown[] = []) => (await db.rows<TicketRow>(text, params)).map(toTicket);
  return {
    create: (ticket) => db.run((sql) => insertTicket(sql, ticket, now())),
    leave: (ticket) =>
      db.transaction(async (client) => {
        const at = now();
        await client.query(SET_SHOPPER, [ticket.name, ticket.email, at, ticket.conversationId]);
        return insertTicket(client, ticket, at);
      }),
    recordAnswer: (ticketId, agentId, messages) =>
      db.transaction(async (client) => {
        const at = now();
        await client.query(
          "UPDATE tickets SET status = 'closed', closed_at = $1, closed_by = $2, answered_at = $1, answered_by = $2 WHERE id = $3 AND status = 'open'",
          [at, agentId, ticketId],
        );
        const stored = [];
        for (const message of messages) stored.push(await insertMessage(client, message, now()));
        return stored;
      }),
    open: () => list("SELECT * FROM tickets WHERE status = 'open' ORDER BY id"),
    async get(id) {
      const [ticket] = await list('SELECT * FROM tickets WHERE id = $1', [id]);
      return ticket;
    },
    // Open ones first (oldest first), then the latest answered, so agents see what went out.
    listed: (answeredSince) =>
      list(
        "SELECT * FROM tickets WHERE status = 'open' OR answered_at >= $1 ORDER BY status = 'open' DESC, CASE WHEN status = 'open' THEN id ELSE -id END LIMIT 200",
        [answeredSince],
      ),
    async close(id, agentId) {
      const { rowCount } = await db.write("UPDATE tickets SET status = 'closed', closed_at = $1, closed_by = $2 WHERE id = $3 AND status = 'open'", [now(), agentId, id]);
      return rowCount === 1;
    },
  };
}
