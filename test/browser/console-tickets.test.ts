import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { agentCookie } from '../helpers/agent-client';
import { agentPage, collectPageProblems, screenshot } from '../helpers/browser';
import { useBrowserServer } from '../helpers/browser-server';

/** An agent answers a ticket from the console; the e-mail reaches a real SMTP server on loopback. */

const delivered: string[] = [];
const smtp = new SMTPServer({
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
const context = useBrowserServer(async () => {
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  return { smtpUrl: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`, smtpFrom: 'ayuda@tienda.example' };
});
afterAll(() => new Promise<void>((resolve) => smtp.close(() => resolve())));

test('the agent writes the reply in the ticket, sends it by e-mail and sees it answered', async () => {
  const { server, browser } = context;
  const conversation = await server.app.store.conversations.create('es');
  const ticket = await server.app.store.tickets.create({ conversationId: conversation.id, name: 'Lucía', email: 'lucia@example.com', message: 'Mi pedido 4821 llegó incompleto.', lang: 'es', reason: 'faq:damaged-item' });
  const page = await agentPage(browser, server, await agentCookie(server, 'ana@tienda.example', 'Ana'));
  const problems = collectPageProblems(page);
  await page.goto(`${server.httpUrl}/agent`);
  await page.getByRole('tab', { name: /Tickets/ }).click();
  await page.getByLabel('Responder a lucia@example.com').fill('Hola Lucía, ya enviamos lo que faltaba.');
  await page.getByRole('button', { name: 'Responder por correo' }).click();
  await page.locator(`[data-ticket="${ticket.id}"] .ticket-status`, { hasText: 'Respondido por correo · Ana ·' }).waitFor();
  expect(await page.locator(`[data-ticket="${ticket.id}"] .reason`).innerText()).toMatch(/^Mi producto llegó dañado/);
  expect(delivered).toEqual(['lucia@example.com']);
  expect(await page.getByLabel('Responder a lucia@example.com').inputValue()).toBe('');
  await screenshot(page, 'console-ticket-answered');
  expect(problems).toEqual([]);
  await page.context().close();
});
