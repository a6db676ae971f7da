import type { SqliteStore } from '../../src/store';
import { startTestServer, type TestServer } from '../helpers/app';
import { trapCommitsOfMessagesWith } from '../helpers/commit-trap';
import { ShopperClient } from '../helpers/shopper-client';

/**
 * A group commit that fails (disk full, I/O error) rolls back the writes of every turn in it. The
 * shoppers whose messages it carried must hear so and send them again: before, their acks were silently
 * dropped and the widget waited for good. SQLite only: PostgreSQL writes fail one by one (turn-failure).
 */
let server: TestServer;
let store: SqliteStore;

beforeAll(async () => {
  server = await startTestServer();
  store = server.app.store as SqliteStore;
});
afterAll(() => server.stop());

test('the message is refused with `internal` and its clientMessageId, nothing of it is kept, and sending it again once the disk is back gets it answered once', async () => {
  const shopper = await ShopperClient.connect(server.socketUrl);
  const welcome = await shopper.hello({ lang: 'es' });
  const question = { type: 'message', clientMessageId: 'q-disk', text: '¿cuánto cuesta el envío? disco lleno' };
  const untrap = trapCommitsOfMessagesWith(store.db, 'disco lleno');

  shopper.send(question);
  const refused = await shopper.next('error');
  expect(refused).toMatchObject({ code: 'internal', clientMessageId: 'q-disk' });
  const count = () => (store.db.prepare('SELECT count(*) AS n FROM messages WHERE conversation_id = ?').get(welcome.conversationId) as { n: number }).n;
  expect(count()).toBe(0);
  expect(await shopper.unread()).toEqual([]);

  untrap();
  shopper.send(question);
  await shopper.next('ack');
  const answer = await shopper.nextMessageFrom('bot');
  expect(answer.entryId).toBe('shipping-cost');
  expect(count()).toBe(2);
  await shopper.close();
});
