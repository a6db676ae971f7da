import type { Store } from '../../src/store';
import { openHandoffTables } from '../../src/store/handoff';

/** One conversation of a shopper with everything that hangs from it: messages (one a reply), feedback, a CSAT rating, a ticket, dialog state. */
export function seedShopper(store: Store, email: string, text: string): string {
  const conversation = store.conversations.create('es');
  store.conversations.setShopper(conversation.id, { name: 'Rosa Díaz', email });
  const question = store.messages.insert({ conversationId: conversation.id, sender: 'shopper', text });
  const answer = store.messages.insert({ conversationId: conversation.id, sender: 'bot', text: 'De 3 a 5 días.', entryId: 'shipping-time', replyTo: question.id });
  store.feedback.record(answer.id, conversation.id, false);
  openHandoffTables(store.db, () => new Date().toISOString()).tickets.create({ conversationId: conversation.id, name: 'Rosa Díaz', email, message: 'Mi pedido no llega', lang: 'es', reason: 'no_agents' });
  const ask = store.messages.insert({ conversationId: conversation.id, sender: 'bot', text: '¿Cómo te atendimos?' });
  store.db.prepare("INSERT INTO csat (request_id, conversation_id, rating, comment, created_at) VALUES (?, ?, 2, 'lento', '2026-12-01')").run(ask.id, conversation.id);
  store.dialogState.write({ [`atento/conversations/${conversation.id}/state`]: { step: 1 } });
  return conversation.id;
}
