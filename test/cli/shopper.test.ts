import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../../src/store';
import { seedShoppersFile } from '../helpers/seed-shoppers';
import { runCli } from './run-cli';

/** Privacy requests from the command line, on a real SQLite file. */

let dataDir: string;
const cli = (...args: string[]) => runCli(args, { env: { ATENTO_DATA_DIR: dataDir } });
beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atento-shopper-'));
  seedShoppersFile(path.join(dataDir, 'atento.db'));
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

test('shopper export prints every conversation of that e-mail (any case) with its messages, feedback and tickets', () => {
  const result = cli('shopper', 'export', '--email', 'ROSA@example.com');
  expect(result.code).toBe(0);
  const record = JSON.parse(result.stdout);
  expect(record.email).toBe('rosa@example.com');
  expect(record.conversations).toHaveLength(2);
  const texts = record.conversations.flatMap((c: { messages: Array<{ text: string }> }) => c.messages.map((m) => m.text));
  expect(texts).toEqual(expect.arrayContaining(['¿cuánto tarda el envío?', 'y el precio?']));
  expect(texts).not.toContain('hola');
  expect(record.conversations[0].tickets[0]).toMatchObject({ message: 'Mi pedido no llega' });
  expect(record.conversations[0].feedback).toHaveLength(1);
});

test('shopper forget deletes everything of that shopper, keeps the others, and prints no personal data', () => {
  const result = cli('shopper', 'forget', '--email', 'rosa@example.com');
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/^forgot 2 conversations, 4 messages, 2 tickets, 2 feedback votes, 0 handoffs for shopper #[0-9a-f]{10}\n$/);
  expect(result.stdout).not.toMatch(/rosa/i);

  const store = openStore(path.join(dataDir, 'atento.db'));
  const count = (sql: string) => (store.db.prepare(sql).get() as { n: number }).n;
  expect(count('SELECT COUNT(*) AS n FROM conversations')).toBe(1);
  expect(count('SELECT COUNT(*) AS n FROM messages')).toBe(2);
  expect(count("SELECT COUNT(*) AS n FROM tickets WHERE email <> 'otro@example.com'")).toBe(0);
  expect(count('SELECT COUNT(*) AS n FROM feedback')).toBe(1);
  expect(count('SELECT COUNT(*) AS n FROM dialog_state')).toBe(1);
  expect(count("SELECT COUNT(*) AS n FROM conversations WHERE shopper_name = 'Rosa Díaz' AND shopper_email <> 'otro@example.com'")).toBe(0);
  store.close();
  expect(JSON.parse(cli('shopper', 'export', '--email', 'rosa@example.com').stdout).conversations).toEqual([]);
});

test('a missing e-mail is a usage error', () => {
  const result = cli('shopper', 'forget');
  expect(result.code).toBe(2);
  expect(result.stderr).toContain('--email must be the e-mail the shopper gave');
});
