import crypto from 'node:crypto';
import type { Db } from './database';

/** Everything stored about one shopper, found by the e-mail they gave (chat form or ticket). */
export interface ShopperRecord {
  email: string;
  conversations: Array<Record<string, unknown> & { messages: unknown[]; feedback: unknown[]; tickets: unknown[]; handoffs: unknown[] }>;
}

export interface ForgetCounts {
  conversations: number;
  messages: number;
  tickets: number;
  feedback: number;
  handoffs: number;
  dialogStates: number;
}

export type ShopperData = ReturnType<typeof shopperData>;

/** A short, non-reversible name for a shopper in logs: the data is gone, the log must not keep it. */
export function shopperTag(email: string): string {
  return '#' + crypto.createHash('sha256').update(normalizeEmail(email)).digest('hex').slice(0, 10);
}

function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Export and erasure of one shopper's data (privacy requests). */
export function shopperData(db: Db) {
  const conversationIds = db.prepare<[string, string], { id: string }>(
    `SELECT id FROM conversations WHERE lower(shopper_email) = ?
     UNION SELECT conversation_id FROM tickets WHERE lower(email) = ? ORDER BY 1`,
  );
  const conversation = db.prepare<[string], Record<string, unknown>>('SELECT * FROM conversations WHERE id = ?');
  const rows = (table: string) => db.prepare<[string], Record<string, unknown>>(`SELECT * FROM ${table} WHERE conversation_id = ? ORDER BY 1`);
  const messages = rows('messages');
  const feedback = rows('feedback');
  const tickets = rows('tickets');
  const handoffs = rows('handoffs');
  const remove = (table: string) => db.prepare<[string]>(`DELETE FROM ${table} WHERE conversation_id = ?`);
  const removeFeedback = remove('feedback');
  const removeTickets = remove('tickets');
  const removeHandoffs = remove('handoffs');
  // reply_to points inside the same conversation: cut those links first so the delete order does not matter.
  const unlinkReplies = db.prepare<[string]>('UPDATE messages SET reply_to = NULL WHERE conversation_id = ?');
  const removeMessages = remove('messages');
  // Botkit's dialog-state keys embed the conversation id.
  const removeDialogState = db.prepare<[string]>('DELETE FROM dialog_state WHERE instr(key, ?) > 0');
  const removeConversation = db.prepare<[string]>('DELETE FROM conversations WHERE id = ?');

  const idsOf = (email: string) => conversationIds.all(normalizeEmail(email), normalizeEmail(email)).map((row) => row.id);

  return {
    export(email: string): ShopperRecord {
      return {
        email: normalizeEmail(email),
        conversations: idsOf(email).map((id) => ({
          ...conversation.get(id)!,
          messages: messages.all(id),
          feedback: feedback.all(id),
          tickets: tickets.all(id),
          handoffs: handoffs.all(id),
        })),
      };
    },
    /** Deletes every conversation of the shopper and all that hangs from it, in one transaction. */
    forget(email: string): ForgetCounts {
      return db.transaction(() => {
        const counts: ForgetCounts = { conversations: 0, messages: 0, tickets: 0, feedback: 0, handoffs: 0, dialogStates: 0 };
        for (const id of idsOf(email)) {
          counts.feedback += removeFeedback.run(id).changes;
          counts.tickets += removeTickets.run(id).changes;
          counts.handoffs += removeHandoffs.run(id).changes;
          unlinkReplies.run(id);
          counts.messages += removeMessages.run(id).changes;
          counts.dialogStates += removeDialogState.run(id).changes;
          counts.conversations += removeConversation.run(id).changes;
        }
        return counts;
      })();
    },
  };
}

export function describeForget(email: string, counts: ForgetCounts): string {
  const n = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  return `forgot ${n(counts.conversations, 'conversation')}, ${n(counts.messages, 'message')}, ${n(counts.tickets, 'ticket')}, ${n(counts.feedback, 'feedback vote')}, ${n(counts.handoffs, 'handoff')} for shopper ${shopperTag(email)}`;
}
