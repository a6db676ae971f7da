import type { Lang } from '../knowledge/types';
import { foldForSearch } from '../nlp/search-fold';
import type { Channel, ConversationStatus } from './conversations';
import type { Db } from './database';
import type { Migration } from './migrations';
import { FOUND_CONVERSATIONS, SEARCHED_CONVERSATIONS, type ClaimResult, type FoundConversation, type PreviousConversation, type StatusChange } from './types';

/** Thrown inside a transaction to roll it back when a conditional write matched no row. */
const UNCHANGED = Symbol('unchanged');

/** Appended to MIGRATIONS (src/store/migrations.ts): agents, their sessions, handoffs and tickets. */
export const HANDOFF_MIGRATION: Migration = {
  version: 2,
  name: 'agents, agent sessions, handoffs, tickets',
  up: `
    CREATE TABLE agents (
      id            TEXT PRIMARY KEY,
      email         TEXT NOT NULL UNIQUE,
      name          TEXT NOT NULL,
      role          TEXT NOT NULL CHECK (role IN ('agent', 'admin')),
      -- scrypt$N$r$p$salt$hash (src/auth/password.ts)
      password_hash TEXT NOT NULL,
      created_at    TEXT NOT NULL
    );

    CREATE TABLE agent_sessions (
      -- sha256 of the cookie's token: a stolen database does not yield live sessions
      token_hash TEXT PRIMARY KEY,
      agent_id   TEXT NOT NULL REFERENCES agents (id),
      created_at TEXT NOT NULL,
      expires_at TEXT NOT NULL
    );

    -- One row per escalation; the open one (closed_at IS NULL) is the conversation's place in the queue
    CREATE TABLE handoffs (
      id              INTEGER PRIMARY KEY AUTOINCREMENT,
      conversation_id TEXT NOT NULL REFERENCES conversations (id),
      -- button | human-request | complaint | negative-sentiment | low-confidence | faq:<id>
      reason          TEXT NOT NULL,
      lang            TEXT NOT NULL,
      requested_at    TEXT NOT NULL,
      -- when it (re-)entered the queue; with front = 1 it goes before new arrivals
      queued_at       TEXT NOT NULL,
      front           INTEGER NOT NULL DEFAULT 0,
      agent_id        TEXT REFERENCES agents (id),
      assigned_at     TEXT,
      closed_at       TEXT,
      -- resolved | handed_back | ticket
      outcome         TEXT
    );
    CREATE UNIQUE INDEX handoffs_one_open ON handoffs (conversation_id) WHERE closed_at IS NULL;
    CREATE INDEX handoffs_by_agent ON handoffs (agent_id) WHERE closed_at IS NULL;

    CREATE TABLE tickets (
      id              INTEGER PRIMARY KEY AUTOINCREMENT,
      conversation_id TEXT NOT NULL REFERENCES conversations (id),
      name            TEXT NOT NULL,
      email           TEXT NOT NULL,
      message         TEXT NOT NULL,
      lang            TEXT NOT NULL,
      reason          TEXT NOT NULL,
      status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
      created_at      TEXT NOT NULL,
      closed_at       TEXT,
      closed_by       TEXT REFERENCES agents (id)
    );
    CREATE INDEX tickets_by_status ON tickets (status, id);
    CREATE INDEX conversations_by_email ON conversations (shopper_email);
  `,
};

export type HandoffOutcome = 'resolved' | 'handed_back' | 'ticket';

export interface Handoff {
  id: number;
  conversationId: string;
  reason: string;
  lang: Lang;
  requestedAt: string;
  queuedAt: string;
  agentId: string | null;
  assignedAt: string | null;
  /** The shopper's name if they gave it (joined from conversations). */
  shopperName: string | null;
}

export interface HandoffRow {
  id: number;
  conversation_id: string;
  reason: string;
  lang: Lang;
  requested_at: string;
  queued_at: string;
  agent_id: string | null;
  assigned_at: string | null;
  shopper_name: string | null;
}

const OPEN = `SELECT h.id, h.conversation_id, h.reason, h.lang, h.requested_at, h.queued_at, h.agent_id, h.assigned_at, c.shopper_name
  FROM handoffs h JOIN conversations c ON c.id = h.conversation_id WHERE h.closed_at IS NULL`;

export type HandoffTable = ReturnType<typeof handoffTable>;

export function handoffTable(db: Db, now: () => string) {
  const insert = db.prepare<[string, string, Lang, string, string]>(
    'INSERT INTO handoffs (conversation_id, reason, lang, requested_at, queued_at) VALUES (?, ?, ?, ?, ?)',
  );
  const openFor = db.prepare<[string], HandoffRow>(`${OPEN} AND h.conversation_id = ?`);
  const queue = db.prepare<[], HandoffRow>(`${OPEN} AND h.agent_id IS NULL ORDER BY h.front DESC, h.queued_at, h.id`);
  const assigned = db.prepare<[], HandoffRow>(`${OPEN} AND h.agent_id IS NOT NULL ORDER BY h.assigned_at`);
  const ofAgent = db.prepare<[string], HandoffRow>(`${OPEN} AND h.agent_id = ? ORDER BY h.assigned_at`);
  // Status changes are conditional: a change decided on a stale read matches no row, and the operation undoes itself.
  const changeStatus = db.prepare<[ConversationStatus, string, string, ConversationStatus]>(
    'UPDATE conversations SET status = ?, updated_at = ? WHERE id = ? AND status = ?',
  );
  // The guard in WHERE is what makes a claim race-free: only one UPDATE can match the unassigned row.
  const claim = db.prepare<[string, string, string]>(
    'UPDATE handoffs SET agent_id = ?, assigned_at = ? WHERE conversation_id = ? AND closed_at IS NULL AND agent_id IS NULL',
  );
  const transfer = db.prepare<[string, string, string, string]>(
    'UPDATE handoffs SET agent_id = ?, assigned_at = ? WHERE conversation_id = ? AND closed_at IS NULL AND agent_id = ?',
  );
  const requeue = db.prepare<[string, string, string]>(
    'UPDATE handoffs SET agent_id = NULL, assigned_at = NULL, front = 1, queued_at = ? WHERE conversation_id = ? AND closed_at IS NULL AND agent_id = ?',
  );
  const close = db.prepare<[string, HandoffOutcome, string, string | null]>(
    'UPDATE handoffs SET closed_at = ?, outcome = ? WHERE conversation_id = ? AND closed_at IS NULL AND agent_id IS ?',
  );
  /** Runs `write` and the status change in one transaction; rolls both back unless both changed a row. */
  const withStatus = <T>(conversationId: string, status: StatusChange, write: () => T | null): T | null => {
    try {
      return db.transaction(() => {
        const result = write();
        if (result === null || changeStatus.run(status.to, now(), conversationId, status.from).changes !== 1) throw UNCHANGED;
        return result;
      })();
    } catch (error) {
      if (error === UNCHANGED) return null;
      throw error;
    }
  };
  const handleTimes = db.prepare<[], { seconds: number }>(
    `SELECT (julianday(closed_at) - julianday(assigned_at)) * 86400 AS seconds FROM handoffs
     WHERE assigned_at IS NOT NULL AND closed_at IS NOT NULL ORDER BY id DESC LIMIT 20`,
  );
  const lastShopperText = db.prepare<[string], { text: string }>(
    "SELECT text FROM messages WHERE conversation_id = ? AND sender = 'shopper' ORDER BY id DESC LIMIT 1",
  );
  // A verified user's conversations, and conversations that only typed the same e-mail; never a verified
  // user's conversations for someone who merely typed their e-mail (anyone can type an address).
  const previous = db.prepare<[string | null, string | null, string], { id: string; created_at: string; updated_at: string; status: string; first_message: string | null; shopper_id: string | null }>(
    `SELECT c.id, c.created_at, c.updated_at, c.status, c.shopper_id,
       (SELECT text FROM messages m WHERE m.conversation_id = c.id AND m.sender = 'shopper' ORDER BY m.id LIMIT 1) AS first_message
     FROM conversations c
     WHERE ((c.shopper_email = ? AND c.shopper_id IS NULL) OR c.shopper_id = ?) AND c.id <> ?
     ORDER BY c.created_at DESC LIMIT 10`,
  );
  // SQLite's lower() folds ASCII only, and agents type "Lopez" for "López": the search folds case and
  // accents in JavaScript (60–100 ms over 50,000 messages, measured with a throwaway script), unless the text searched for has no letter
  // an accent could hide (an order number), where SQLite's own lower() is enough and six times faster.
  db.function('fold_search', { deterministic: true }, (text: unknown) => (typeof text === 'string' ? foldForSearch(text) : text));
  const search = (lower: 'lower' | 'fold_search') =>
    db.prepare<{ text: string; id: string }, FoundRow>(
      `SELECT * FROM (
         SELECT c.id, c.created_at, c.updated_at, c.status, c.channel, c.shopper_name, c.shopper_email,
           (SELECT text FROM messages m WHERE m.conversation_id = c.id AND m.kind <> 'note' AND instr(${lower}(m.text), :text) > 0 ORDER BY m.id LIMIT 1) AS matched
         FROM (SELECT * FROM conversations ORDER BY created_at DESC LIMIT ${SEARCHED_CONVERSATIONS}) c
       )
       WHERE matched IS NOT NULL OR id = :id OR instr(${lower}(coalesce(shopper_name, '')), :text) > 0 OR instr(${lower}(coalesce(shopper_email, '')), :text) > 0
       ORDER BY updated_at DESC LIMIT ${FOUND_CONVERSATIONS}`,
    );
  const searchPlain = search('lower');
  const searchFolded = search('fold_search');

  return {
    request(conversationId: string, details: { reason: string; lang: Lang }, status: StatusChange): Handoff | null {
      if (openFor.get(conversationId)) return null;
      return withStatus(conversationId, status, () => {
        const at = now();
        insert.run(conversationId, details.reason, details.lang, at, at);
        return toHandoff(openFor.get(conversationId)!);
      });
    },
    claim(conversationId: string, agentId: string, status: StatusChange): ClaimResult {
      const open = openFor.get(conversationId);
      if (!open) return 'not_waiting';
      if (open.agent_id !== null) return 'already_taken';
      return withStatus(conversationId, status, () => (claim.run(agentId, now(), conversationId).changes === 1 ? 'ok' : null)) ?? 'not_waiting';
    },
    release(conversationId: string, release: { outcome: HandoffOutcome; heldBy: string | null }, status: StatusChange): boolean {
      return withStatus(conversationId, status, () => (close.run(now(), release.outcome, conversationId, release.heldBy).changes === 1 ? true : null)) ?? false;
    },
    requeue(conversationId: string, agentId: string, status: StatusChange): boolean {
      return withStatus(conversationId, status, () => (requeue.run(now(), conversationId, agentId).changes === 1 ? true : null)) ?? false;
    },
    transfer(conversationId: string, fromAgentId: string, toAgentId: string): boolean {
      return transfer.run(toAgentId, now(), conversationId, fromAgentId).changes === 1;
    },
    current(conversationId: string): Handoff | undefined {
      const row = openFor.get(conversationId);
      return row && toHandoff(row);
    },
    /** Waiting conversations, first in line first. */
    queue(): Handoff[] {
      return queue.all().map(toHandoff);
    },
    assigned(): Handoff[] {
      return assigned.all().map(toHandoff);
    },
    ofAgent(agentId: string): Handoff[] {
      return ofAgent.all(agentId).map(toHandoff);
    },
    /** Median seconds agents kept the last 20 chats, or null with no history. */
    medianHandleSeconds(): number | null {
      const seconds = handleTimes.all().map((row) => row.seconds).sort((a, b) => a - b);
      return seconds.length === 0 ? null : seconds[Math.floor(seconds.length / 2)];
    },
    /** The shopper's latest message, for previews in the console's lists. */
    lastShopperText(conversationId: string): string | null {
      return lastShopperText.get(conversationId)?.text ?? null;
    },
    /**
     * The same shopper's other conversations, newest first: those of the same verified shop user, and those
     * that gave the same e-mail without being verified (`matchedBy: 'email'`, which the console says).
     */
    previousConversations(shopper: { email: string | null; shopperId: string | null }, excludeConversationId: string): PreviousConversation[] {
      if (!shopper.email && !shopper.shopperId) return [];
      return previous.all(shopper.email, shopper.shopperId, excludeConversationId).map((row) => ({
        id: row.id,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
        status: row.status,
        firstMessage: row.first_message,
        matchedBy: row.shopper_id === null ? 'email' : 'user',
      }));
    },
    findConversations(text: string): FoundConversation[] {
      const wanted = foldForSearch(text.trim());
      return (/[a-z]|[^\x00-\x7f]/i.test(text) ? searchFolded : searchPlain).all({ text: wanted, id: text.trim() }).map(toFound);
    },
  };
}

export interface FoundRow {
  id: string;
  created_at: string;
  updated_at: string;
  status: ConversationStatus;
  channel: Channel;
  shopper_name: string | null;
  shopper_email: string | null;
  matched: string | null;
}

export function toFound(row: FoundRow): FoundConversation {
  return {
    id: row.id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    status: row.status,
    channel: row.channel,
    shopperName: row.shopper_name,
    shopperEmail: row.shopper_email,
    matched: row.matched,
  };
}

export function toHandoff(row: HandoffRow): Handoff {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    reason: row.reason,
    lang: row.lang,
    requestedAt: row.requested_at,
    queuedAt: row.queued_at,
    agentId: row.agent_id,
    assignedAt: row.assigned_at,
    shopperName: row.shopper_name,
  };
}
