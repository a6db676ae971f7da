import fs from 'node:fs';
import path from 'node:path';
import { openStore, MIGRATIONS, type SqliteStore } from '../../src/store';
import { tempDataDir } from '../helpers/app';

let store: SqliteStore;
let file: string;

beforeEach(() => {
  file = path.join(tempDataDir(), 'atento.db');
  store = openStore(file);
});
afterEach(() => store.close());

async function exchange(conversationId: string, question: string, normalized: string, action: 'answer' | 'clarify' | 'fallback', confidence: number) {
  const asked = await store.messages.insert({ conversationId, sender: 'shopper', text: question, normalized, lang: 'es' });
  await store.messages.insert({ conversationId, sender: 'bot', text: '…', action, confidence, replyTo: asked.id, lang: 'es' });
}

test('a new database file is created in WAL mode with every migration applied', async () => {
  expect(fs.existsSync(file)).toBe(true);
  expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
  expect(store.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
});

test('reopening an up-to-date database keeps its data', async () => {
  const conversation = await store.conversations.create('es');
  await store.close();
  store = openStore(file);
  expect(await store.conversations.get(conversation.id)).toMatchObject({ id: conversation.id, status: 'bot', lang: 'es' });
});

test('dialog state: what is kept survives a restart; a key with nothing kept reads as nothing', async () => {
  await store.dialogState.write({ 'handoff:c1': { lowConfidenceStreak: 1 }, 'handoff:c2': { lowConfidenceStreak: 2 } });
  await store.dialogState.delete(['handoff:c2', 'handoff:never-written']);
  await store.close();
  store = openStore(file);
  expect(await store.dialogState.read('handoff:c1')).toEqual({ lowConfidenceStreak: 1 });
  expect(await store.dialogState.read('handoff:c2')).toBeUndefined();
  expect(await store.dialogState.read('handoff:never-written')).toBeUndefined();
  await store.dialogState.delete(['handoff:c1']);
  expect(store.db.prepare('SELECT count(*) AS n FROM dialog_state').get()).toEqual({ n: 0 });
});

test('a client message id is unique within a conversation only', async () => {
  const a = await store.conversations.create('es');
  const b = await store.conversations.create('es');
  await store.messages.insert({ conversationId: a.id, sender: 'shopper', text: 'hola', clientMessageId: 'same' });
  await store.messages.insert({ conversationId: b.id, sender: 'shopper', text: 'hola', clientMessageId: 'same' });
  await expect(store.messages.insert({ conversationId: a.id, sender: 'shopper', text: 'hola', clientMessageId: 'same' })).rejects.toThrow(/UNIQUE/);
});

test('unanswered questions: fallbacks, clarifications and weak answers, grouped and counted', async () => {
  const c = (await store.conversations.create('es')).id;
  await exchange(c, '¿Venden tarjetas de regalo?', 'venden tarjetas de regalo', 'fallback', 0.1);
  await exchange(c, 'venden tarjetas de regalo', 'venden tarjetas de regalo', 'fallback', 0.12);
  await exchange(c, 'tarjeta', 'tarjeta', 'clarify', 0.4);
  await exchange(c, 'cuanto cuesta el envio', 'cuanto cuesta el envio', 'answer', 0.9);
  await exchange(c, 'plazos', 'plazos', 'answer', 0.3);

  const rows = await store.unanswered();
  expect(rows.map((r) => [r.normalized, r.count, r.lastAction])).toEqual([
    ['venden tarjetas de regalo', 2, 'fallback'],
    ['plazos', 1, 'answer'],
    ['tarjeta', 1, 'clarify'],
  ]);
  expect(rows[0]!.example).toBe('venden tarjetas de regalo');
  expect(await store.unanswered({ limit: 1 })).toHaveLength(1);
  expect(await store.unanswered({ since: '2999-01-01' })).toEqual([]);
});
