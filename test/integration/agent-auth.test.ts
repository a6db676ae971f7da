import fs from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import { ADDRESS_POLICY, hashPassword, PAIR_POLICY } from '../../src/auth';
import { agentCommand } from '../../src/cli/agent';
import { parseConfig } from '../../src/config';
import type { EngineHost } from '../../src/engine';
import { projectEngineHost, startTestServer, tempDataDir, type TestServer } from '../helpers/app';
import { dbOf } from '../helpers/db';
import { databaseConfig, postgresDumpOf } from '../helpers/postgres';

/** Agent accounts, login, sessions and the socket's upgrade-time authentication, over real HTTP. */

let engineHost: EngineHost;
let server: TestServer;
let password: string;

beforeAll(async () => {
  engineHost = projectEngineHost();
  const dataDir = tempDataDir();
  // The account is created the way an operator would: with the CLI, against the same database file.
  const output: string[] = [];
  const code = await agentCommand(['add', '--email', 'Ana@Tienda.example', '--name', 'Ana Pérez'], parseConfig(await databaseConfig(dataDir)), { write: (t: string) => output.push(t) });
  expect(code).toBe(0);
  password = /Password \(shown only this once; only a hash is stored\): (\S+)/.exec(output.join(''))![1];
  server = await startTestServer({ dataDir, deps: { engineHost } });
});
afterAll(async () => {
  await server.stop();
  engineHost.close();
});

function login(email: string, pass: string, form = false, headers: Record<string, string> = {}, fields: Record<string, string> = {}) {
  return fetch(`${server.httpUrl}/agent/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json', ...headers },
    body: form ? new URLSearchParams({ email, password: pass, ...fields }).toString() : JSON.stringify({ email, password: pass, ...fields }),
  });
}

function upgrade(headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${server.httpUrl.replace('http', 'ws')}/agent/socket`, { headers });
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', reject);
  });
}

test('the CLI stores only a scrypt hash and refuses a second account with the same e-mail', async () => {
  const row = dbOf(server.app.store).prepare('SELECT email, password_hash FROM agents').get() as { email: string; password_hash: string };
  expect(row.email).toBe('ana@tienda.example');
  expect(row.password_hash).toMatch(/^scrypt\$/);
  expect(row.password_hash).not.toContain(password);
  const errors: string[] = [];
  const code = await agentCommand(['add', '--email', 'ana@tienda.example', '--name', 'Otra'], parseConfig(await databaseConfig(server.dataDir)), { write: () => 0 }, { write: (t: string) => errors.push(t) });
  expect(code).toBe(1);
  expect(errors.join('')).toMatch(/already exists/);
});

test('the CLI explains bad flags', async () => {
  const errors: string[] = [];
  const code = await agentCommand(['add', '--email', 'nope', '--name', 'X', '--role', 'boss'], parseConfig({ dataDir: tempDataDir() }), { write: () => 0 }, { write: (t: string) => errors.push(t) });
  expect(code).toBe(2);
  expect(errors.join('')).toMatch(/--email must be an e-mail address.*--role must be one of agent, editor, admin \(admin has everything\), not "boss"/);
});

test('no session: /agent sends you to the login page, and the socket refuses the upgrade', async () => {
  const response = await fetch(`${server.httpUrl}/agent`, { redirect: 'manual' });
  expect(response.status).toBe(303);
  expect(response.headers.get('location')).toBe('/agent/login');
  const page = await fetch(`${server.httpUrl}/agent/login`);
  expect(await page.text()).toContain('<form method="post" action="/agent/login">');
  expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  expect(await upgrade({})).toBe(401);
  expect(await upgrade({ cookie: 'atento_agent=forged-token' })).toBe(401);
});

test('login sets an HTTP-only SameSite=Strict cookie that opens the console and the socket; logout ends it', async () => {
  const wrong = await login('ana@tienda.example', 'wrong password', true);
  expect(wrong.status).toBe(401);
  expect(await wrong.text()).toContain('Correo o contraseña incorrectos');

  const response = await login('ANA@tienda.example', password, true);
  expect(response.status).toBe(303);
  const setCookie = response.headers.get('set-cookie')!;
  expect(setCookie).toMatch(/^atento_agent=[\w-]{40,}; Path=\/agent; Expires=.*; HttpOnly; SameSite=Strict$/);
  const cookie = setCookie.split(';')[0];

  const consolePage = await fetch(`${server.httpUrl}/agent`, { headers: { cookie } });
  expect(consolePage.status).toBe(200);
  expect(await consolePage.text()).toContain('data-agent-name="Ana Pérez"');
  expect(await upgrade({ cookie })).toBe(101);
  // Another site's page cannot ride the agent's session.
  expect(await upgrade({ cookie, origin: 'https://evil.example' })).toBe(403);

  // An open console socket closes as soon as its session is logged out.
  const open = new WebSocket(`${server.httpUrl.replace('http', 'ws')}/agent/socket`, { headers: { cookie } });
  await new Promise((resolve) => open.once('open', resolve));
  const closed = new Promise<number>((resolve) => open.once('close', (code) => resolve(code)));
  const logout = await fetch(`${server.httpUrl}/agent/logout`, { method: 'POST', headers: { cookie }, redirect: 'manual' });
  expect(logout.status).toBe(303);
  expect(await closed).toBe(4401);
  expect(await upgrade({ cookie })).toBe(401);
});

test('an operator locks a person out: disable ends their sessions and every login; password gives a new one that works, the old one does not', async () => {
  const config = parseConfig(await databaseConfig(server.dataDir));
  const output: string[] = [];
  const cli = async (...args: string[]) => {
    output.length = 0;
    return agentCommand(args, config, { write: (t: string) => output.push(t) }, { write: (t: string) => output.push(t) });
  };
  expect(await cli('add', '--email', 'ines@tienda.example', '--name', 'Inés')).toBe(0);
  const first = /Password \(shown only this once; only a hash is stored\): (\S+)/.exec(output.join(''))![1]!;
  const cookie = (await login('ines@tienda.example', first)).headers.get('set-cookie')!.split(';')[0]!;
  expect(await upgrade({ cookie })).toBe(101);

  expect(await cli('disable', '--email', 'Ines@Tienda.example')).toBe(0);
  expect(output.join('')).toContain('ines@tienda.example is disabled');
  expect(await upgrade({ cookie })).toBe(401);
  expect((await fetch(`${server.httpUrl}/agent`, { headers: { cookie }, redirect: 'manual' })).status).toBe(303);
  expect((await login('ines@tienda.example', first)).status).toBe(401);
  expect(await cli('list')).toBe(0);
  expect(output.join('')).toContain('ines@tienda.example\tInés\tagent\tdisabled\n');

  expect(await cli('password', '--email', 'ines@tienda.example')).toBe(0);
  const second = /New password for ines@tienda\.example \(shown only this once\): (\S+)/.exec(output.join(''))![1]!;
  expect((await login('ines@tienda.example', first)).status).toBe(401);
  expect((await login('ines@tienda.example', second)).status).toBe(200);
  expect(await cli('disable', '--email', 'nadie@tienda.example')).toBe(1);
  expect(output.join('')).toContain('no agent with e-mail nadie@tienda.example');
});

test('a page asked for while logged out is where the login form returns to', async () => {
  for (const page of ['/agent/knowledge', '/agent/analytics?from=2026-11-01']) {
    const asked = await fetch(`${server.httpUrl}${page}`, { redirect: 'manual' });
    expect(asked.status).toBe(303);
    expect(asked.headers.get('location')).toBe(`/agent/login?next=${encodeURIComponent(page)}`);
    const form = await (await fetch(`${server.httpUrl}${asked.headers.get('location')}`)).text();
    expect(form).toContain(`<input type="hidden" name="next" value="${page.replace('&', '&amp;')}">`);
  }
  // A wrong password shows the form again, still on its way back to the page.
  const wrong = await login('ana@tienda.example', 'wrong password', true, {}, { next: '/agent/knowledge' });
  expect(await wrong.text()).toContain('<input type="hidden" name="next" value="/agent/knowledge">');

  const back = await login('ana@tienda.example', password, true, {}, { next: '/agent/knowledge' });
  expect(back.status).toBe(303);
  expect(back.headers.get('location')).toBe('/agent/knowledge');
});

test.each(['//evil.example', '/\\evil.example', 'https://evil.example/agent', '/agent/../evil', '/elsewhere', '/agent/login'])(
  'after logging in, next=%s goes to the console, never another site or page',
  async (next) => {
    const page = await fetch(`${server.httpUrl}/agent/login?next=${encodeURIComponent(next)}`);
    expect(await page.text()).not.toContain('name="next"');
    const response = await login('ana@tienda.example', password, true, {}, { next });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/agent');
  },
);

test('login and logout refuse posts from another site\'s page (login CSRF, forced logout)', async () => {
  const evil = { origin: 'https://evil.example' };
  const forged = await login('ana@tienda.example', password, true, evil);
  expect(forged.status).toBe(403);
  expect(forged.headers.get('set-cookie')).toBeNull();

  const own = await login('ana@tienda.example', password, true, { origin: server.httpUrl });
  expect(own.status).toBe(303);
  const cookie = own.headers.get('set-cookie')!.split(';')[0];
  const forcedLogout = await fetch(`${server.httpUrl}/agent/logout`, { method: 'POST', headers: { cookie, ...evil }, redirect: 'manual' });
  expect(forcedLogout.status).toBe(403);
  expect(await upgrade({ cookie })).toBe(101);
});

test('the session cookie is Secure when the local proxy says the request came over HTTPS', async () => {
  const proxied = await login('ana@tienda.example', password, false, { 'x-forwarded-proto': 'https' });
  expect(proxied.headers.get('set-cookie')).toMatch(/; Secure$/);
  const plain = await login('ana@tienda.example', password);
  expect(plain.headers.get('set-cookie')).not.toContain('Secure');
});

test('behind the local proxy, one address guessing does not lock out agents at other addresses', async () => {
  const attacker = { 'x-forwarded-for': '203.0.113.5' };
  for (let i = 0; i < ADDRESS_POLICY.freeFailures; i++) expect((await login(`nobody-${i}@tienda.example`, 'guess', false, attacker)).status).toBe(401);
  expect((await login('nobody-x@tienda.example', 'guess', false, attacker)).status).toBe(429);
  expect((await login('ana@tienda.example', password, false, { 'x-forwarded-for': '198.51.100.7' })).status).toBe(200);
});

test('guesses sent all at once meet the limit too', async () => {
  const address = { 'x-forwarded-for': '203.0.113.9' };
  const burst = ADDRESS_POLICY.freeFailures * 2;
  const statuses = await Promise.all(Array.from({ length: burst }, (_, i) => login(`burst-${i}@tienda.example`, 'guess', false, address).then((r) => r.status)));
  expect(statuses.filter((status) => status === 401)).toHaveLength(ADDRESS_POLICY.freeFailures);
  expect(statuses.filter((status) => status === 429)).toHaveLength(burst - ADDRESS_POLICY.freeFailures);
});

test('the database never holds a session token in the clear', async () => {
  const response = await login('ana@tienda.example', password);
  const token = response.headers.get('set-cookie')!.split(';')[0].split('=')[1];
  const dump = postgresDumpOf(server.app.store); // under npm run test:pg
  if (dump !== undefined) {
    expect(dump).toContain('agent_sessions');
    expect(dump.includes(token)).toBe(false);
    return;
  }
  const file = fs.readFileSync(path.join(server.dataDir, 'atento.db'));
  const wal = fs.existsSync(path.join(server.dataDir, 'atento.db-wal')) ? fs.readFileSync(path.join(server.dataDir, 'atento.db-wal')) : Buffer.alloc(0);
  expect(file.includes(token) || wal.includes(token)).toBe(false);
});

test('guessing one agent\'s password from one address is slowed down, and told when to retry', async () => {
  await server.app.store.agents.create({ email: 'beto@tienda.example', name: 'Beto', role: 'agent', passwordHash: 'scrypt$x' });
  const guesser = { 'x-forwarded-for': '203.0.113.77' };
  const statuses: number[] = [];
  // Waits double (1 s, 2 s, 4 s…): however slow this machine is, a 429 comes within a few more guesses.
  for (let i = 0; i < PAIR_POLICY.freeFailures + 5 && !statuses.includes(429); i++) statuses.push((await login('beto@tienda.example', `guess-${i}`, false, guesser)).status);
  expect(statuses.slice(0, PAIR_POLICY.freeFailures)).toEqual(Array(PAIR_POLICY.freeFailures).fill(401));
  expect(statuses.at(-1)).toBe(429);
  const limited = await login('beto@tienda.example', 'again', false, guesser);
  expect(limited.status).toBe(429);
  expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
});

describe('with the clock stopped (no wait ever runs out)', () => {
  const clock = () => new Date('2026-03-02T15:00:00Z');
  const own = { 'x-forwarded-for': '198.51.100.20' };
  let dataDir: string;
  let stopped: TestServer;

  beforeAll(async () => {
    dataDir = tempDataDir();
    stopped = await startTestServer({ dataDir, deps: { engineHost, clock } });
    await stopped.app.store.agents.create({ email: 'carla@tienda.example', name: 'Carla', role: 'agent', passwordHash: await hashPassword('la-clave-de-carla') });
  });
  afterAll(() => stopped.stop());

  const loginAt = (srv: TestServer, pass: string, headers: Record<string, string>) =>
    fetch(`${srv.httpUrl}/agent/login`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ email: 'carla@tienda.example', password: pass }) });

  test('lock-out attack: failing for an agent\'s e-mail from many addresses does not stop her logging in from hers', async () => {
    for (let address = 1; address <= 6; address++) {
      const from = { 'x-forwarded-for': `203.0.113.${100 + address}` };
      for (let i = 0; i < PAIR_POLICY.freeFailures + 2; i++) await loginAt(stopped, 'wrong', from);
      expect((await loginAt(stopped, 'wrong', from)).status).toBe(429);
    }
    expect((await loginAt(stopped, 'la-clave-de-carla', own)).status).toBe(200);
  });

  test('guessing attack: the throttle survives a restart on the same database', async () => {
    const guesser = { 'x-forwarded-for': '203.0.113.200' };
    for (let i = 0; i < PAIR_POLICY.freeFailures; i++) expect((await loginAt(stopped, `guess-${i}`, guesser)).status).toBe(401);
    expect((await loginAt(stopped, 'la-clave-de-carla', guesser)).status).toBe(429);
    await stopped.stop();
    stopped = await startTestServer({ dataDir, deps: { engineHost, clock } });
    expect((await loginAt(stopped, 'la-clave-de-carla', guesser)).status).toBe(429);
    expect((await loginAt(stopped, 'la-clave-de-carla', own)).status).toBe(200);
  });
});
