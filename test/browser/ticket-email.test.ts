import type { Browser, Page } from 'playwright-core';
import { hashPassword } from '../../src/auth';
import type { ConfigInput } from '../../src/config';
import type { EngineHost } from '../../src/engine';
import { projectEngineHost, startTestServer, type TestServer } from '../helpers/app';
import { collectPageProblems, launchChromium, screenshot } from '../helpers/browser';
import { ShopperClient } from '../helpers/shopper-client';
import { startSmtp, type TestSmtp } from '../helpers/smtp';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildWeb } = require('../../scripts/build-web.js') as { buildWeb: (options: { quiet: boolean }) => Promise<unknown> };

/** Answering a ticket from the console in real Chromium; the e-mail lands on a real SMTP server on loopback. */

const PASSWORD = 'una contraseña de prueba larga';

let engineHost: EngineHost;
let browser: Browser;

beforeAll(async () => {
  await buildWeb({ quiet: true });
  engineHost = projectEngineHost();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  engineHost?.close();
});

async function serverWithTicket(config: ConfigInput): Promise<TestServer> {
  const server = await startTestServer({ config: { shopName: 'Zapatería Sol', ...config }, deps: { engineHost } });
  server.app.handoffTables.agents.create({ email: 'ana@tienda.example', name: 'Ana', role: 'agent', passwordHash: hashPassword(PASSWORD) });
  const shopper = await ShopperClient.connect(server.socketUrl);
  const welcome = await shopper.hello({ lang: 'es' });
  await shopper.close();
  // What the leave-a-message form stores with the ticket.
  server.app.store.conversations.setShopper(String(welcome.conversationId), { name: 'Luz Martínez', email: 'luz@example.com' });
  server.app.handoffTables.tickets.create({
    conversationId: String(welcome.conversationId),
    name: 'Luz Martínez',
    email: 'luz@example.com',
    message: 'Me llegó el producto roto, pedido 321.',
    lang: 'es',
    reason: 'complaint',
  });
  return server;
}

async function openTicket(server: TestServer): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'es-MX' });
  const page = await context.newPage();
  await page.goto(`${server.httpUrl}/agent/login`);
  await page.getByLabel('Correo').fill('ana@tienda.example');
  await page.getByLabel('Contraseña').fill(PASSWORD);
  await page.getByRole('button', { name: 'Entrar' }).click();
  await page.getByText('En línea').waitFor();
  await page.getByRole('tab', { name: /Tickets/ }).click();
  const card = page.locator('.card.ticket', { hasText: 'Luz Martínez' });
  expect(await card.locator('.ticket-status').innerText()).toBe('Abierto');
  await card.click();
  await page.getByRole('region', { name: 'Responder el ticket' }).waitFor();
  return page;
}

test('the agent answers a ticket by e-mail from the console; the list shows it answered and the transcript keeps it', async () => {
  const smtp: TestSmtp = await startSmtp();
  const server = await serverWithTicket({ smtpUrl: smtp.url, smtpFrom: 'Zapatería Sol <ayuda@sol.example>' });
  try {
    const page = await openTicket(server);
    const problems = collectPageProblems(page);
    const box = page.getByRole('textbox', { name: 'Respuesta por correo' });
    await box.fill('Hola Luz, te enviamos un par nuevo hoy mismo. Disculpa la molestia.');
    await page.getByRole('button', { name: 'Enviar por correo' }).click();
    await page.locator('.msg.from-agent', { hasText: 'par nuevo' }).locator('.via').waitFor();
    await page.locator('.card.ticket .ticket-status', { hasText: /Respondido · Ana/ }).waitFor();
    expect(await box.inputValue()).toBe('');
    expect(smtp.received.map((mail) => mail.to)).toEqual([['luz@example.com']]);

    // The shopper's answer, pasted from the team's inbox: the shopper's message, and the ticket is open again.
    await page.getByRole('button', { name: 'Pegar respuesta del cliente' }).click();
    await page.getByRole('textbox', { name: 'Respuesta del cliente recibida por correo' }).fill('¡Gracias! Ya lo recibí.');
    await page.getByRole('button', { name: 'Añadir a la conversación' }).click();
    await page.locator('.msg.from-shopper', { hasText: 'Ya lo recibí' }).locator('.via').waitFor();
    await page.locator('.card.ticket .ticket-status', { hasText: 'Abierto' }).waitFor();
    await page.getByRole('button', { name: 'Responder por correo' }).click();
    await screenshot(page, 'console-ticket-email-1280');
    expect(problems).toEqual([]);
    await page.context().close();
  } finally {
    await server.stop();
    await smtp.close();
  }
});

test('without SMTP the ticket view says e-mail is not configured, the send button is off and the ticket stays open', async () => {
  const server = await serverWithTicket({});
  try {
    const page = await openTicket(server);
    const warning = page.getByRole('alert').filter({ hasText: 'no está configurado' });
    await warning.waitFor();
    expect(await warning.innerText()).toContain('ATENTO_SMTP_URL');
    expect(await page.getByRole('button', { name: 'Enviar por correo' }).isDisabled()).toBe(true);
    await page.getByRole('textbox', { name: 'Respuesta por correo' }).fill('Borrador que no se pierde');
    await screenshot(page, 'console-ticket-email-not-configured-1280');
    expect(await page.locator('.card.ticket .ticket-status').innerText()).toBe('Abierto');
    await page.context().close();
  } finally {
    await server.stop();
  }
});

test('an SMTP server that refuses the reply: the console shows why, the text stays in the box, the ticket stays open', async () => {
  const smtp = await startSmtp({ refuse: true });
  const server = await serverWithTicket({ smtpUrl: smtp.url, smtpFrom: 'ayuda@sol.example' });
  try {
    const page = await openTicket(server);
    const box = page.getByRole('textbox', { name: 'Respuesta por correo' });
    await box.fill('Te enviamos un par nuevo.');
    await page.getByRole('button', { name: 'Enviar por correo' }).click();
    const error = page.locator('.ticket-error');
    await error.waitFor();
    expect(await error.innerText()).toMatch(/No se envió: .*451 Mailbox unavailable/);
    expect(await box.inputValue()).toBe('Te enviamos un par nuevo.');
    expect(await page.locator('.card.ticket .ticket-status').innerText()).toBe('Abierto');
    expect(await page.locator('.msg.from-agent').count()).toBe(0);
    await screenshot(page, 'console-ticket-email-refused-1280');
    await page.context().close();
  } finally {
    await server.stop();
    await smtp.close();
  }
});
