import type { Lang } from '../../knowledge/types';
import type { Handoff } from '../handoff';
import { FOUND_CONVERSATIONS, SEARCHED_CONVERSATIONS, type ClaimResult, type HandoffStore, type StatusChange } from '../types';
import { Rollback, type Db } from './pool';
import type pg from 'pg';
import { foldForSearch, SEARCH_FOLDS } from '../../nlp/search-fold';
import { toFound, toHandoff, type FoundRow, type HandoffRow } from '../handoff';

/**
 * As SQLite's search (src/store/handoff.ts): accents are dropped before lower(), which follows the
 * database's ctype and may be C (ASCII only, as in the tests' clusters), so "Lopez" finds "LÓPEZ" everywhere.
 */
const folded = (column: string) => `lower(translate(${column}, '${SEARCH_FOLDS.from}', '${SEARCH_FOLDS.to}'))`;

const OPEN = `SELECT h.id, h.conversation_id, h.reason, h.lang, h.requested_at, h.queued_at, h.agent_id, h.assigned_at, c.shopper_name
  FROM handoffs h JOIN conversations c ON c.id = h.conversation_id WHERE h.closed_at IS NULL`;

/**
 * Every operation that changes a handoff and the conversation's status changes the status first: the
 * conditional UPDATE locks the conversation's row until the commit, so two nodes acting on one conversation
 * queue up there (always in the same order: no deadlock), and the second finds it no longer `from`.
 */
const CHANGE_STATUS = 'UPDATE conversations SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4 RETURNING shopper_name';

export function handoffStore(db: Db, now: () => string): HandoffStore {
  const list = async (text: string, params: unknown[] = []) => (await db.rows<HandoffRow>(text, params)).map(toHandoff);
  /** The conversation's row after the change (its shopper's name), or undefined if it was not `status.from`. */
  const changeStatus = async (client: pg.PoolClient, conversationId: string, status: StatusChange, at: string) =>
    (await client.query<{ shopper_name: string | null }>(CHANGE_STATUS, [status.to, at, conversationId, status.from])).rows[0];
  /** Applies `status`, then `write`; both change a row, or the transaction is rolled back and answers `unchanged`. */
  const withStatus = <T>(
    conversationId: string,
    status: StatusChange,
    unchanged: T,
    write: (client: pg.PoolClient, at: string, shopperName: string | null) => Promise<T | null>,
  ) =>
    db.transaction(async (client) => {
      const at = now();
      const conversation = await changeStatus(client, conversationId, status, at);
      if (!conversation) throw new Rollback(unchanged);
      const result = await write(client, at, conversation.shopper_name);
      if (result === null) throw new Rollback(unchanged);
      return result;
    });

  return {
    request: (conversationId, details, status) =>
      withStatus<Handoff | null>(conversationId, status, null, async (client, at, shopperName) => {
        // The partial unique index (one open handoff per conversation) settles a double request.
        const inserted = await client.query<{ id: number; conversation_id: string; reason: string; lang: Lang; requested_at: string; queued_at: string }>(
          `INSERT INTO handoffs (conversation_id, reason, lang, requested_at, queued_at) VALUES ($1, $2, $3, $4, $4)
           ON CONFLICT (conversation_id) WHERE closed_at IS NULL DO NOTHING RETURNING id, conversation_id, reason, lang, requested_at, queued_at`,
          [conversationId, details.reason, details.lang, at],
        );
        const row = inserted.rows[0];
        return row ? toHandoff({ ...row, agent_id: null, assigned_at: null, shopper_name: shopperName }) : null;
      }),
    claim: (conversationId, agentId, status) =>
      db.transaction<ClaimResult>(async (client) => {
        const at = now();
        // Two agents claiming at once: the second waits on the conversation's row lock, then finds it no longer waiting.
        const changed = await changeStatus(client, conversationId, status, at);
        const claimed = changed
          ? await client.query('UPDATE handoffs SET agent_id = $1, assigned_at = $2 WHERE conversation_id = $3 AND closed_at IS NULL AND agent_id IS NULL', [agentId, at, conversationId])
          : undefined;
        if (claimed?.rowCount === 1) return 'ok';
        const open = await client.query<{ agent_id: string | null }>('SELECT agent_id FROM handoffs WHERE conversation_id = $1 AND closed_at IS NULL', [conversationId]);
        throw new Rollback<ClaimResult>(open.rows[0]?.agent_id ? 'already_taken' : 'not_waiting');
      }),
    release: (conversationId, release, status) =>
      withStatus(conversationId, status, false, async (client, at) => {
        const closed = await client.query(
          'UPDATE handoffs SET closed_at = $1, outcome = $2 WHERE conversation_id = $3 AND closed_at IS NULL AND agent_id IS NOT DISTINCT FROM $4',
          [at, release.outcome, conversationId, release.heldBy],
        );
        return closed.rowCount === 1 ? true : null;
      }),
    requeue: (conversationId, agentId, status) =>
      withStatus(conversationId, status, false, async (client, at) => {
        const requeued = await client.query(
          'UPDATE handoffs SET agent_id = NULL, assigned_at = NULL, front = true, queued_at = $1 WHERE conversation_id = $2 AND closed_at IS NULL AND agent_id = $3',
          [at, conversationId, agentId],
        );
        return requeued.rowCount === 1 ? true : null;
      }),
    async transfer(conversationId, fromAgentId, toAgentId) {
      const { rowCount } = await db.write(
        'UPDATE handoffs SET agent_id = $1, assigned_at = $2 WHERE conversation_id = $3 AND closed_at IS NULL AND agent_id = $4',
        [toAgentId, now(), conversationId, fromAgentId],
      );
      return rowCount === 1;
    },
    async current(conversationId) {
      const [handoff] = await list(`${OPEN} AND h.conversation_id = $1`, [conversationId]);
      return handoff;
    },
    queue: () => list(`${OPEN} AND h.agent_id IS NULL ORDER BY h.front DESC, h.queued_at, h.id`),
    assigned: () => list(`${OPEN} AND h.agent_id IS NOT NULL ORDER BY h.assigned_at`),
    ofAgent: (agentId) => list(`${OPEN} AND h.agent_id = $1 ORDER BY h.assigned_at`, [agentId]),
    async medianHandleSeconds() {
      const rows = await db.rows<{ seconds: number }>(
        `SELECT extract(epoch FROM closed_at - assigned_at)::double precision AS seconds FROM handoffs
          WHERE assigned_at IS NOT NULL AND closed_at IS NOT NULL ORDER BY id DESC LIMIT 20`,
      );
      const seconds = rows.map((row) => row.seconds).sort((a, b) => a - b);
      return seconds.length === 0 ? null : seconds[Math.floor(seconds.length / 2)]!;
    },
    async lastShopperText(conversationId) {
      const [row] = await db.rows<{ text: string }>(
        "SELECT text FROM messages WHERE conversation_id = $1 AND sender = 'shopper' ORDER BY id DESC LIMIT 1",
        [conversationId],
      );
      return row?.text ?? null;
    },
    async previousConversations(shopper, excludeConversationId) {
      if (!shopper.email && !shopper.shopperId) return [];
      // A verified user's conversations, and conversations that only typed the same e-mail; never a verified
      // user's conversations for someone who merely typed their e-mail (anyone can type an address).
      const rows = await db.rows<{ id: string; created_at: string; updated_at: string; status: string; first_message: string | null; shopper_id: string | null }>(
        `SELECT c.id, c.created_at, c.updated_at, c.status, c.shopper_id,
           (SELECT text FROM messages m WHERE m.conversation_id = c.id AND m.sender = 'shopper' ORDER BY m.id LIMIT 1) AS first_message
         FROM conversations c
         WHERE ((c.shopper_email = $1 AND c.shopper_id IS NULL) OR c.shopper_id = $2) AND c.id <> $3
         ORDER BY c.created_at DESC LIMIT 10`,
        [shopper.email, shopper.shopperId, excludeConversationId],
      );
      return rows.map((row) => ({
        id: row.id,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
        status: row.status,
        firstMessage: row.first_message,
        matchedBy: row.shopper_id === null ? 'email' : 'user',
      }));
    },
    async findConversations(text) {
      const rows = await db.rows<FoundRow>(
        `SELECT * FROM (
           SELECT c.id, c.created_at, c.updated_at, c.status, c.channel, c.shopper_name, c.shopper_email,
             (SELECT text FROM messages m WHERE m.conversation_id = c.id AND m.kind <> 'note' AND strpos(${folded('m.text')}, $1) > 0 ORDER BY m.id LIMIT 1) AS matched
           FROM (SELECT * FROM conversations ORDER BY created_at DESC LIMIT ${SEARCHED_CONVERSATIONS}) c
         ) found
         WHERE matched IS NOT NULL OR id = $2 OR strpos(${folded("coalesce(shopper_name, '')")}, $1) > 0 OR strpos(${folded("coalesce(shopper_email, '')")}, $1) > 0
         ORDER BY updated_at DESC LIMIT ${FOUND_CONVERSATIONS}`,
        [foldForSearch(text.trim()), text.trim()],
      );
      return rows.map(toFound);
    },
  };
}
