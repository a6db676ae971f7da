import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import type { EngineHost } from '../../src/engine';
import { agentCookie } from '../helpers/agent-client';
import { projectEngineHost, startTestServer, type TestServer } from '../helpers/app';
import { collectPageProblems, launchChromium, screenshot } from '../helpers/browser';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildWeb } = require('../../scripts/build-web.js') as { buildWeb: (options: { quiet: boolean }) => Promise<unknown> };

/** An agent answers a ticket from the console; the e-mail reaches a real SMTP server on loopback. */

let engineHost: EngineHost;
let server: TestServer;
let browser: Browser;
let smtp: SMTPServer;
const delivered: string[] = [];

beforeAll(async () => {
  await buildWeb({ quiet: true });
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      stream.resume();
      stream.on('end', () => {
        delivered.push(session.envelope.rcptTo.map((r) => r.address).join(','));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  engineHost = projectEngineHost();
  const smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  server = await startTestServer({ config: { smtpUrl, smtpFrom: 'ayuda@tienda.example' }, deps: { engineHost } });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  engineHost?.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

test('the agent writes the reply in the ticket, sends it by e-mail and sees it answered', async () => {
  const conversation = server.app.store.conversations.create('es');
  const ticket = server.app.handoffTables.tickets.create({ conversationId: conversation.id, name: 'Lucía', email: 'lucia@example.com', message: 'Mi pedido 4821 llegó incompleto.', lang: 'es', reason: 'faq:damaged-item' });
  const cookie = await agentCookie(server, 'ana@tienda.example', 'Ana');
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'es-MX' });
  await context.addCookies([{ name: 'atento_agent', value: cookie.split('=')[1]!, url: server.httpUrl }]);
  const page = await context.newPage();
  const problems = collectPageProblems(page);
  await page.goto(`${server.httpUrl}/agent`);
  await page.getByRole('tab', { name: /Tickets/ }).click();
  await page.getByLabel('Responder a lucia@example.com').fill('Hola Lucía, ya enviamos lo que faltaba.');
  await page.getByRole('button', { name: 'Responder por correo' }).click();
  await page.locator(`[data-ticket="${ticket.id}"] .ticket-status`, { hasText: 'Respondido por correo' }).waitFor();
  expect(await page.locator(`[data-ticket="${ticket.id}"] .reason`).innerText()).toMatch(/^Mi producto llegó dañado/);
  expect(delivered).toEqual(['lucia@example.com']);
  expect(await page.getByLabel('Responder a lucia@example.com').inputValue()).toBe('');
  await screenshot(page, 'console-ticket-answered');
  expect(problems).toEqual([]);
  await context.close();
});
