import path from 'node:path';
import { openStore } from '../../src/store';
import { tempDataDir } from '../helpers/app';
import { runCli } from './run-cli';

/** A shopper's right to see and to erase what the shop's Atento keeps about them. */

async function seed(dataDir: string) {
  const store = openStore(path.join(dataDir, 'atento.db'));
  const marta = await store.conversations.create('es', 'https://tienda.example/');
  await store.conversations.setShopper(marta.id, { name: 'Marta', email: 'marta@example.com' });
  const question = await store.messages.insert({ conversationId: marta.id, sender: 'shopper', text: 'mi dirección es Av. Siempre Viva 742' });
  const answer = await store.messages.insert({ conversationId: marta.id, sender: 'bot', text: 'Gracias', replyTo: question.id });
  await store.feedback.record(answer.id, marta.id, true);
  await store.dialogState.write({ [`handoff:${marta.id}`]: { lowConfidenceStreak: 1 } });
  // A second chat, known only through the ticket she left.
  const later = await store.conversations.create('es');
  await store.messages.insert({ conversationId: later.id, sender: 'shopper', text: 'llegó roto' });
  await store.tickets.create({ conversationId: later.id, name: 'Marta', email: 'marta@example.com', message: 'llegó roto, pedido 99', lang: 'es', reason: 'button' });
  const other = await store.conversations.create('es');
  await store.conversations.setShopper(other.id, { email: 'luis@example.com' });
  await store.messages.insert({ conversationId: other.id, sender: 'shopper', text: 'hola' });
  await store.close();
  return { marta: marta.id, later: later.id, other: other.id };
}

test('export prints everything about the shopper as JSON; forget erases it, logs no e-mail, and leaves others alone', async () => {
  const dataDir = tempDataDir();
  const ids = await seed(dataDir);
  const env = { ATENTO_DATA_DIR: dataDir };

  const exported = runCli(['shopper', 'export', '--email', 'Marta@Example.com'], { env });
  expect(exported.code).toBe(0);
  const record = JSON.parse(exported.stdout) as { email: string; conversations: Array<{ conversation: { id: string }; messages: unknown[]; feedback: unknown[]; tickets: unknown[] }> };
  expect(record.email).toBe('marta@example.com');
  expect(record.conversations.map((c) => c.conversation.id).sort()).toEqual([ids.marta, ids.later].sort());
  expect(exported.stdout).toContain('Av. Siempre Viva 742');
  expect(exported.stdout).toContain('llegó roto, pedido 99');
  expect(exported.stdout).not.toContain('luis@example.com');

  const forgotten = runCli(['shopper', 'forget', '--email', 'marta@example.com'], { env });
  expect(forgotten.code).toBe(0);
  expect(forgotten.stdout).toMatch(/^forgot 2 conversations, 3 messages, 1 tickets for shopper #[0-9a-f]{12}\n$/);
  expect(forgotten.stdout).not.toContain('marta');

  const store = openStore(path.join(dataDir, 'atento.db'));
  const count = (sql: string) => (store.db.prepare(sql).get() as { n: number }).n;
  expect(count('SELECT COUNT(*) AS n FROM conversations')).toBe(1);
  expect((await store.conversations.get(ids.other))?.shopperEmail).toBe('luis@example.com');
  expect(count('SELECT COUNT(*) AS n FROM messages')).toBe(1);
  expect(count('SELECT COUNT(*) AS n FROM tickets') + count('SELECT COUNT(*) AS n FROM feedback') + count('SELECT COUNT(*) AS n FROM dialog_state')).toBe(0);
  await store.close();
  expect(JSON.parse(runCli(['shopper', 'export', '--email', 'marta@example.com'], { env }).stdout).conversations).toEqual([]);
});

test('a missing or wrong subcommand or e-mail gets the usage', async () => {
  const { code, stderr } = runCli(['shopper', 'forget'], { env: { ATENTO_DATA_DIR: tempDataDir() } });
  expect(code).toBe(2);
  expect(stderr).toContain('atento shopper export --email E');
});

test('a WhatsApp shopper is found and forgotten by their number, however it is typed', async () => {
  const dataDir = tempDataDir();
  const store = openStore(path.join(dataDir, 'atento.db'));
  const chat = await store.conversations.createOnChannel('whatsapp', '+5215512345678', 'es');
  await store.messages.insert({ conversationId: chat.id, sender: 'shopper', text: 'mi pedido 48213 no llega' });
  const other = await store.conversations.createOnChannel('whatsapp', '+5215500000000', 'es');
  await store.close();
  const env = { ATENTO_DATA_DIR: dataDir };

  const exported = JSON.parse(runCli(['shopper', 'export', '--whatsapp', '+52 1 55 1234 5678'], { env }).stdout) as { email: string; conversations: Array<{ conversation: { id: string; channel_user: string } }> };
  expect(exported.email).toBe('whatsapp:+5215512345678');
  expect(exported.conversations.map((c) => c.conversation)).toEqual([expect.objectContaining({ id: chat.id, channel_user: '+5215512345678' })]);

  const forgotten = runCli(['shopper', 'forget', '--whatsapp', 'whatsapp:+5215512345678'], { env });
  expect(forgotten.stdout).toMatch(/^forgot 1 conversations, 1 messages, 0 tickets for shopper #[0-9a-f]{12}\n$/);
  expect(forgotten.stdout).not.toContain('5512345678');
  const after = openStore(path.join(dataDir, 'atento.db'));
  expect(await after.conversations.get(chat.id)).toBeUndefined();
  expect(await after.conversations.get(other.id)).toBeDefined();
  await after.close();
  expect(runCli(['shopper', 'forget', '--whatsapp', 'no es un número'], { env }).code).toBe(2);
});

test('forget where there is no database says so and exits 1, instead of reporting an erasure of nothing', () => {
  const dataDir = tempDataDir();
  const { code, stdout, stderr } = runCli(['shopper', 'forget', '--email', 'marta@example.com'], { env: { ATENTO_DATA_DIR: dataDir } });
  expect(code).toBe(1);
  expect(stdout).toBe('');
  expect(stderr).toContain(`atento shopper forget: no database at ${path.join(dataDir, 'atento.db')} yet`);
});
