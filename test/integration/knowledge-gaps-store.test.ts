import type { Store } from '../../src/store';
import { openTestStore } from '../helpers/stores';

/** Which stored questions are gaps, and handled marks, on a real database (SQLite, or PostgreSQL under `npm run test:pg`). */

let store: Store;
let now = '2026-12-04T10:00:00.000Z';
const clock = () => new Date(now);

beforeEach(async () => {
  ({ store } = await openTestStore(clock));
});
afterEach(async () => await store.close());

async function turn(conversationId: string, text: string, reply: { action: 'answer' | 'clarify' | 'fallback'; confidence: number; entryId?: string }) {
  const asked = await store.messages.insert({ conversationId, sender: 'shopper', text, normalized: text.toLowerCase(), lang: 'es' });
  return await store.messages.insert({ conversationId, sender: 'bot', text: '…', lang: 'es', replyTo: asked.id, ...reply });
}

test('fallbacks, unpicked clarifications, low confidence and thumbs-down are gaps; good answers and picked options are not', async () => {
  const { id } = await store.conversations.create('es');
  await turn(id, 'aceptan bitcoin', { action: 'fallback', confidence: 0 });
  await turn(id, 'el cartero no vino', { action: 'clarify', confidence: 0.4, entryId: 'damaged-item' });
  await turn(id, 'mi caja llego rota', { action: 'clarify', confidence: 0.45, entryId: 'damaged-item' });
  // The shopper pressed one of the buttons: the clarification worked. Choices are stored without normalized text.
  const picked = await store.messages.insert({ conversationId: id, sender: 'shopper', text: '¿Mi producto llegó dañado?', lang: 'es' });
  await store.messages.insert({ conversationId: id, sender: 'bot', text: '…', lang: 'es', replyTo: picked.id, action: 'answer', confidence: 1, entryId: 'damaged-item' });
  await turn(id, 'cuanto tarda', { action: 'answer', confidence: 0.3, entryId: 'shipping-time' });
  const disliked = await turn(id, 'cuanto cuesta el envio', { action: 'answer', confidence: 0.9, entryId: 'shipping-cost' });
  await store.feedback.record(disliked.id, id, false);
  const liked = await turn(id, 'horario', { action: 'answer', confidence: 0.9, entryId: 'support-hours' });
  await store.feedback.record(liked.id, id, true);

  const gaps = await store.gaps.questions({ belowConfidence: 0.5 });
  expect(gaps.map((g) => [g.text, g.reason, g.entryId])).toEqual([
    ['cuanto cuesta el envio', 'thumbs_down', 'shipping-cost'],
    ['cuanto tarda', 'low_confidence', 'shipping-time'],
    ['el cartero no vino', 'clarify_unpicked', 'damaged-item'],
    ['aceptan bitcoin', 'fallback', null],
  ]);
  expect(await store.gaps.questions({ belowConfidence: 0.5, lang: 'en' })).toEqual([]);
});

test('marking handled records the time per language and term key; marking again moves it', async () => {
  const gaps = store.gaps;
  await gaps.markHandled('es', ['bitcoin', 'aceptan bitcoin'], null);
  now = '2026-12-05T10:00:00.000Z';
  await gaps.markHandled('es', ['bitcoin'], null);
  expect(await gaps.handled()).toEqual(new Map([['es bitcoin', '2026-12-05T10:00:00.000Z'], ['es aceptan bitcoin', '2026-12-04T10:00:00.000Z']]));
});
