import type { Store } from '../../src/store';

/** One conversation of a shopper with everything that hangs from it: messages (one a reply), feedback, a CSAT rating, a ticket, dialog state. */
export async function seedShopper(store: Store, email: string, text: string): Promise<string> {
  const conversation = await store.conversations.create('es');
  await store.conversations.setShopper(conversation.id, { name: 'Rosa Díaz', email });
  const question = await store.messages.insert({ conversationId: conversation.id, sender: 'shopper', text });
  const answer = await store.messages.insert({ conversationId: conversation.id, sender: 'bot', text: 'De 3 a 5 días.', entryId: 'shipping-time', replyTo: question.id });
  await store.feedback.record(answer.id, conversation.id, false);
  await store.tickets.create({ conversationId: conversation.id, name: 'Rosa Díaz', email, message: 'Mi pedido no llega', lang: 'es', reason: 'no_agents' });
  const ask = await store.messages.insert({ conversationId: conversation.id, sender: 'bot', text: '¿Cómo te atendimos?' });
  await store.csat.record({ requestId: ask.id, conversationId: conversation.id, rating: 2, comment: 'lento' });
  await store.dialogState.write({ [`atento/conversations/${conversation.id}/state`]: { step: 1 } });
  return conversation.id;
}
