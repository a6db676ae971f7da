import { hashPassword } from '../../src/auth';
import type { TestServer } from './app';
import { ShopperClient, type Frame } from './shopper-client';

export const AGENT_PASSWORD = 'correct horse battery staple';

/** Logs in over HTTP like the console does and returns the session cookie. */
export async function agentCookie(server: TestServer, email: string, name = email.split('@')[0]!): Promise<string> {
  if (!await server.app.store.agents.credentials(email)) {
    await server.app.store.agents.create({ email, name, role: 'agent', passwordHash: hashPassword(AGENT_PASSWORD) });
  }
  const response = await fetch(`${server.httpUrl}/agent/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: AGENT_PASSWORD }),
  });
  if (response.status !== 200) throw new Error(`agent login failed: ${response.status}`);
  return response.headers.get('set-cookie')!.split(';')[0]!;
}

/** An agent console's socket (a real `ws` client); resolves after the welcome frame. */
export async function connectAgent(server: TestServer, email: string, name?: string): Promise<{ client: ShopperClient; welcome: Frame }> {
  const cookie = await agentCookie(server, email, name);
  const client = await ShopperClient.connect(server.socketUrl.replace('/ws/shopper', '/agent/socket'), { headers: { cookie } });
  return { client, welcome: await client.next('welcome') };
}
