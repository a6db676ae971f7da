import { agentCommand } from '../../src/cli/agent';
import { parseConfig } from '../../src/config';
import type { EngineHost } from '../../src/engine';
import { projectEngineHost, startTestServer, tempDataDir, type TestServer } from '../helpers/app';
import { capturedLogger } from '../helpers/log-capture';
import { dbOf } from '../helpers/db';
import { databaseConfig } from '../helpers/postgres';

/** Roles on the server: every editor/admin route answers by the role of the session, over real HTTP. */

let engineHost: EngineHost;
let server: TestServer;
const cookies: Record<string, string> = {};
const { logger, lines: logs } = capturedLogger();

async function addAgent(dataDir: string, email: string, role?: string): Promise<string> {
  const output: string[] = [];
  const args = ['add', '--email', email, '--name', email.split('@')[0], ...(role ? ['--role', role] : [])];
  expect(await agentCommand(args, parseConfig(await databaseConfig(dataDir)), { write: (t: string) => output.push(t) })).toBe(0);
  return /only a hash is stored\): (\S+)/.exec(output.join(''))![1];
}

beforeAll(async () => {
  engineHost = projectEngineHost();
  const dataDir = tempDataDir();
  const passwords = {
    agent: await addAgent(dataDir, 'ana@tienda.example'),
    editor: await addAgent(dataDir, 'eva@tienda.example', 'editor'),
    admin: await addAgent(dataDir, 'alba@tienda.example', 'admin'),
  };
  server = await startTestServer({ dataDir, deps: { engineHost, logger } });
  for (const [role, email] of [['agent', 'ana@tienda.example'], ['editor', 'eva@tienda.example'], ['admin', 'alba@tienda.example']] as const) {
    const res = await fetch(`${server.httpUrl}/agent/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: passwords[role] }),
    });
    expect(await res.json()).toMatchObject({ agent: { role } });
    cookies[role] = res.headers.get('set-cookie')!.split(';')[0];
  }
});
afterAll(async () => {
  await server.stop();
  engineHost.close();
});

const get = (path: string, role?: string) => fetch(`${server.httpUrl}${path}`, { headers: role ? { cookie: cookies[role] } : {} });

test('knowledge status: editor and admin see it, an agent gets 403 role_forbidden, nobody logged in 401', async () => {
  expect((await get('/agent/api/knowledge/status')).status).toBe(401);
  const forbidden = await get('/agent/api/knowledge/status', 'agent');
  expect(forbidden.status).toBe(403);
  expect(await forbidden.json()).toMatchObject({ error: { code: 'role_forbidden' } });
  for (const role of ['editor', 'admin']) {
    const res = await get('/agent/api/knowledge/status', role);
    expect(res.status).toBe(200);
    const status = await res.json();
    expect(status.version).toBe(engineHost.current().version);
    expect(status.entries).toBeGreaterThan(10);
    expect(Array.isArray(status.problems)).toBe(true);
  }
});

test('transcript export: admin gets JSON and CSV (formulas defused), editor and agent get 403', async () => {
  const { store } = server.app;
  const conversation = await store.conversations.create('es');
  await store.messages.insert({ conversationId: conversation.id, sender: 'shopper', text: '¿cuánto tarda el envío?, "pronto"' });
  await store.messages.insert({ conversationId: conversation.id, sender: 'bot', text: 'De 3 a 5 días.', entryId: 'shipping-time', confidence: 0.9 });
  await store.messages.insert({ conversationId: conversation.id, sender: 'shopper', text: '=HYPERLINK("x")' });
  const path = `/agent/api/conversations/${conversation.id}/transcript`;

  for (const role of ['agent', 'editor']) expect((await get(path, role)).status).toBe(403);
  const json = await (await get(path, 'admin')).json();
  expect(json.conversation.id).toBe(conversation.id);
  expect(json.messages.map((m: { sender: string; text: string }) => `${m.sender}: ${m.text}`)).toEqual([
    'shopper: ¿cuánto tarda el envío?, "pronto"',
    'bot: De 3 a 5 días.',
    'shopper: =HYPERLINK("x")',
  ]);

  const csv = await get(`${path}?format=csv`, 'admin');
  expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
  const lines = (await csv.text()).trimEnd().split('\r\n');
  expect(lines[0]).toBe('id,createdAt,sender,kind,authorName,entryId,confidence,text');
  expect(lines[1]).toMatch(/,shopper,text,,,,"¿cuánto tarda el envío\?, ""pronto"""$/);
  expect(lines[2]).toMatch(/,bot,text,,shipping-time,0\.9,De 3 a 5 días\.$/);
  expect(lines[3]).toMatch(/,"'=HYPERLINK\(""x""\)"$/);

  expect((await get('/agent/api/conversations/nope/transcript', 'admin')).status).toBe(404);
});

test('forgetting a shopper over HTTP: admin only, logged without the e-mail', async () => {
  const { seedShopper } = await import('../helpers/seed-shoppers');
  const kept = await seedShopper(server.app.store, 'otro@example.com', 'hola');
  await seedShopper(server.app.store, 'rosa@example.com', '¿cuánto tarda el envío?');
  const post = (path: string, role: string, body: unknown) =>
    fetch(`${server.httpUrl}${path}`, { method: 'POST', headers: { cookie: cookies[role], 'content-type': 'application/json' }, body: JSON.stringify(body) });

  for (const role of ['agent', 'editor']) expect((await post('/agent/api/shoppers/forget', role, { email: 'rosa@example.com' })).status).toBe(403);
  const exported = (await (await post('/agent/api/shoppers/export', 'admin', { email: 'rosa@example.com' })).json()).conversations;
  expect(exported).toHaveLength(1);
  expect(exported[0].csat).toEqual([expect.objectContaining({ rating: 2, comment: 'lento' })]);
  expect((await post('/agent/api/shoppers/forget', 'admin', {})).status).toBe(400);

  const res = await post('/agent/api/shoppers/forget', 'admin', { email: 'rosa@example.com' });
  expect(await res.json()).toEqual({ forgotten: { conversations: 1, messages: 3, tickets: 1 } });
  expect(dbOf(server.app.store).prepare('SELECT comment FROM csat').all()).toEqual([{ comment: 'lento' }]); // only the other shopper's
  expect(logs.find((line) => line.msg.startsWith('forgot 1 conversation'))?.msg).toMatch(/for shopper #[0-9a-f]{12} \(by agent /);
  expect(JSON.stringify(logs)).not.toContain('rosa@');
  expect((await (await post('/agent/api/shoppers/export', 'admin', { email: 'rosa@example.com' })).json()).conversations).toEqual([]);
  expect(await server.app.store.conversations.get(kept)).toBeDefined();
});

test('shopper export is admin only too; nobody logged in gets 401 on every admin route', async () => {
  const post = (path: string, role?: string) =>
    fetch(`${server.httpUrl}${path}`, { method: 'POST', headers: { ...(role ? { cookie: cookies[role] } : {}), 'content-type': 'application/json' }, body: JSON.stringify({ email: 'rosa@example.com' }) });
  for (const role of ['agent', 'editor']) {
    const res = await post('/agent/api/shoppers/export', role);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'role_forbidden' } });
  }
  for (const path of ['/agent/api/shoppers/export', '/agent/api/shoppers/forget']) expect((await post(path)).status).toBe(401);
  expect((await get('/agent/api/conversations/any/transcript')).status).toBe(401);
});

test('the console page shows each role its sections, in the agent\'s language', async () => {
  const page = async (role: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${server.httpUrl}/agent`, { headers: { cookie: cookies[role], ...headers } });
    expect(res.status).toBe(200);
    return res.text();
  };
  const sections = (html: string) => [...html.matchAll(/<a href="(\/agent[^"]*)"/g)].map((m) => m[1]);
  expect(sections(await page('agent'))).toEqual(['/agent']);
  expect(sections(await page('editor'))).toEqual(['/agent', '/agent/knowledge']);
  expect(sections(await page('admin'))).toEqual(['/agent', '/agent/knowledge', '/agent/analytics', '/agent#privacy']);
  expect(await page('admin')).toContain('<html lang="es">');
  const english = await page('admin', { 'accept-language': 'en-US,en;q=0.9' });
  expect(english).toContain('<html lang="en">');
  expect(english).toContain('>Analytics</a>');
  // The choice saved by the console's language switch wins over the browser's.
  expect(await page('admin', { cookie: `${cookies.admin}; atento_lang=es`, 'accept-language': 'en-US' })).toContain('>Analítica</a>');
});

test('a form on another site cannot make a logged-in admin export or erase a shopper (403 origin_forbidden, nothing erased)', async () => {
  const { seedShopper } = await import('../helpers/seed-shoppers');
  const conversation = await seedShopper(server.app.store, 'lidia@example.com', '¿cuánto tarda el envío?');
  // What a plain HTML form posts, with the admin's cookie (a sibling subdomain is the same site for SameSite).
  const formPost = (path: string, origin: string) =>
    fetch(`${server.httpUrl}${path}`, { method: 'POST', headers: { cookie: cookies.admin, 'content-type': 'application/x-www-form-urlencoded', origin }, body: 'email=lidia%40example.com' });
  for (const path of ['/agent/api/shoppers/forget', '/agent/api/shoppers/export']) {
    const res = await formPost(path, 'https://shop.example');
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'origin_forbidden' } });
  }
  expect(await server.app.store.conversations.get(conversation)).toBeDefined();
  // The console's own page still may.
  expect((await formPost('/agent/api/shoppers/export', server.httpUrl)).status).toBe(200);
});
