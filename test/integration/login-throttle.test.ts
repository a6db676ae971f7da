import { ADDRESS_POLICY, hashPassword, PAIR_POLICY } from '../../src/auth';
import type { EngineHost } from '../../src/engine';
import { projectEngineHost, startTestServer, type TestServer } from '../helpers/app';

/**
 * The login throttle's schedule, through the real server, on a clock the test moves (the two attacks,
 * lock-out and guessing across a restart, are in agent-auth.test.ts).
 */

let engineHost: EngineHost;
let server: TestServer;
let now = new Date('2026-03-02T15:00:00Z');
const wait = (seconds: number) => (now = new Date(now.getTime() + seconds * 1000));
const AGENT = 'ana@tienda.example';
const PASSWORD = 'la-clave-de-ana-es-larga';

beforeAll(async () => {
  engineHost = projectEngineHost();
  server = await startTestServer({ deps: { engineHost, clock: () => now } });
  await server.app.store.agents.create({ email: AGENT, name: 'Ana', role: 'agent', passwordHash: await hashPassword(PASSWORD) });
});
afterAll(async () => {
  await server.stop();
  engineHost.close();
});

/** A login as the local reverse proxy forwards it: the client's address in X-Forwarded-For. */
async function login(pass: string, address: string): Promise<{ status: number; retryAfter: number | null; message: string }> {
  const response = await fetch(`${server.httpUrl}/agent/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
    body: JSON.stringify({ email: AGENT, password: pass }),
  });
  const body = (await response.json()) as { error?: { message: string } };
  const retryAfter = response.headers.get('retry-after');
  return { status: response.status, retryAfter: retryAfter === null ? null : Number(retryAfter), message: body.error?.message ?? '' };
}

test('a guesser waits 1 s, 2 s, 4 s… (Retry-After says so), up to 15 min; a quiet day forgets', async () => {
  const guesser = '203.0.113.66';
  for (let i = 0; i < PAIR_POLICY.freeFailures; i++) expect((await login(`guess-${i}`, guesser)).status).toBe(401);
  const waits: number[] = [];
  for (let i = 0; i < 12; i++) {
    const refused = await login('guess', guesser);
    expect(refused.status).toBe(429);
    waits.push(refused.retryAfter!);
    wait(refused.retryAfter!);
    expect((await login('guess', guesser)).status).toBe(401);
  }
  expect(waits).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]);
  // Even the right password gets no answer before the wait is over.
  expect(await login(PASSWORD, guesser)).toMatchObject({ status: 429, retryAfter: 900, message: 'Demasiados intentos fallidos. Espera 15 min y vuelve a intentarlo.' });
  wait(24 * 3600);
  expect((await login(PASSWORD, guesser)).status).toBe(200);
});

test('an office address where agents log in all day is never slowed down by their successful logins', async () => {
  const office = '198.51.100.30';
  for (let i = 0; i < ADDRESS_POLICY.freeFailures * 2; i++) {
    wait(600);
    expect((await login(PASSWORD, office)).status).toBe(200);
  }
  // A typo after all those logins is an ordinary 401, not a 429.
  expect((await login('typo', office)).status).toBe(401);
  expect((await login(PASSWORD, office)).status).toBe(200);
});
