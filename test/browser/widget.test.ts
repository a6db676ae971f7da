import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Locator, Page } from 'playwright-core';
import type { EngineHost } from '../../src/engine';
import { projectEngineHost, startTestServer, type TestServer } from '../helpers/app';
import { hashPassword } from '../../src/auth';
import { collectPageProblems, launchChromium, screenshot } from '../helpers/browser';
import { dbOf } from '../helpers/db';
import { eventually } from '../helpers/wait';

const { buildWeb } = require('../../scripts/build-web.js') as { buildWeb: (options: { quiet: boolean }) => Promise<unknown> };

let engineHost: EngineHost;
let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  await buildWeb({ quiet: true });
  engineHost = projectEngineHost();
  server = await startTestServer({ deps: { engineHost } });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  engineHost?.close();
});

const answers = (page: Page) => page.locator('.msg.from-bot[data-id]');

/** The conversation id inside the widget's stored session token. */
function conversationIdOf(page: Page): Promise<string> {
  return page.evaluate(() => {
    const key = Object.keys(localStorage).find((k) => k.startsWith('atento:'))!;
    const token = JSON.parse(localStorage.getItem(key)!).token as string;
    return JSON.parse(atob(token.split('.')[0]!.replace(/-/g, '+').replace(/_/g, '/'))).c as string;
  });
}

async function agentWrites(conversationId: string, text: string): Promise<void> {
  return agentWritesOn(server, conversationId, text);
}

async function agentWritesOn({ app: { store, events } }: TestServer, conversationId: string, text: string): Promise<void> {
  events.emit('message.created', { message: await store.messages.insert({ conversationId, sender: 'agent', text, authorName: 'Lucía' }) });
}

test('desktop: open the bubble, ask "¿cuánto cuesta el envío?", see the answer; reload and the conversation is still there', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'es-MX' });
  const page = await context.newPage();
  const problems = collectPageProblems(page);
  await page.goto(`${server.httpUrl}/`);

  await page.getByRole('button', { name: 'Abrir el chat de ayuda' }).click();
  const dialog = page.getByRole('dialog', { name: 'Tienda Demo' });
  await expect(dialog.isVisible()).resolves.toBe(true);
  await page.getByText('Preguntas frecuentes').waitFor();
  await screenshot(page, 'widget-desktop-1280-greeting');
  await expect(page.getByRole('textbox', { name: 'Tu mensaje' }).evaluate((e) => e === (e.getRootNode() as ShadowRoot).activeElement)).resolves.toBe(true);

  await page.getByRole('textbox', { name: 'Tu mensaje' }).fill('¿cuánto cuesta el envío?');
  await page.keyboard.press('Enter');
  await answers(page).first().waitFor();
  const answer = await answers(page).first().innerText();
  expect(answer).toMatch(/env[ií]o/i);
  // The answer's markdown list and bold text are rendered as HTML, not shown as asterisks.
  expect(await answers(page).first().locator('li').count()).toBeGreaterThan(0);
  expect(await answers(page).first().locator('strong').count()).toBeGreaterThan(0);
  expect(answer).not.toContain('**');
  await page.getByRole('button', { name: 'Sí, me sirvió' }).click();
  await page.getByText('¡Gracias por tu opinión!').waitFor();
  await screenshot(page, 'widget-desktop-1280');

  await page.reload();
  await answers(page).first().waitFor();
  expect(await page.locator('.msg.from-shopper').allInnerTexts()).toEqual([expect.stringContaining('¿cuánto cuesta el envío?')]);
  expect(await answers(page).count()).toBe(1);
  // The thumb given before the reload is still shown as given.
  await page.getByText('¡Gracias por tu opinión!').waitFor();
  expect(await page.getByRole('button', { name: 'Sí, me sirvió' }).getAttribute('aria-pressed')).toBe('true');
  expect(problems).toEqual([]);
  await context.close();
});

test('keyboard only: Shift+Tab from the top reaches the bubble, Enter opens, Escape closes and gives focus back', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${server.httpUrl}/?lang=en`);
  // The bubble is the last stop in the page's tab order.
  await page.keyboard.press('Shift+Tab');
  const focusedLabel = () => page.evaluate(() => document.getElementById('atento-chat')?.shadowRoot?.activeElement?.getAttribute('aria-label'));
  expect(await focusedLabel()).toBe('Open the help chat');
  await page.keyboard.press('Enter');
  await page.getByRole('dialog').waitFor();
  await page.keyboard.type('how much is shipping?');
  await page.keyboard.press('Enter');
  await expect(answers(page).first().innerText()).resolves.toMatch(/shipping/i);
  await page.keyboard.press('Escape');
  expect(await page.getByRole('dialog').isVisible()).toBe(false);
  expect(await focusedLabel()).toBe('Open the help chat');
  await context.close();
});

test('375 px: the chat opens full-screen; agent messages are escaped, formatted and the queue status shows', async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const problems = collectPageProblems(page);
  await page.goto(`${server.httpUrl}/`);
  await page.getByRole('button', { name: 'Abrir el chat de ayuda' }).click();
  await page.getByText('Preguntas frecuentes').waitFor();
  const box = await page.getByRole('dialog').boundingBox();
  expect(box).toMatchObject({ x: 0, y: 0, width: 375, height: 740 });

  await page.getByRole('button', { name: /cuesta el env|tarda en llegar|pagar/i }).first().click();
  await answers(page).first().waitFor();

  // Full screen hides the page, so the panel is modal and Tab never reaches the links behind it.
  expect(await page.getByRole('dialog').getAttribute('aria-modal')).toBe('true');
  const focusInPanel = () => page.evaluate(() => Boolean(document.getElementById('atento-chat')?.shadowRoot?.activeElement?.closest('#atento-panel')));
  for (let press = 0; press < 15; press++) {
    await page.keyboard.press(press % 5 === 4 ? 'Shift+Tab' : 'Tab');
    expect(await focusInPanel()).toBe(true);
  }

  const conversationId = await conversationIdOf(page);
  server.app.events.emit('conversation.status_changed', { conversationId, status: 'waiting', position: 2, etaSeconds: 180 });
  await page.getByText('Estás en el lugar 2 de la fila.', { exact: false }).waitFor();
  await agentWrites(conversationId, 'Hola, soy **Lucía** <img src=x onerror="window.pwned=1"> [ver guía](https://example.com/guia) [mal](javascript:alert(1))');
  const agent = page.locator('.msg.from-agent');
  await agent.waitFor();
  expect(await agent.locator('strong').innerText()).toBe('Lucía');
  expect(await agent.locator('img').count()).toBe(0);
  expect(await agent.locator('a').evaluateAll((links) => links.map((a) => [a.getAttribute('href'), a.getAttribute('rel'), a.getAttribute('target')]))).toEqual([
    ['https://example.com/guia', 'noopener noreferrer', '_blank'],
  ]);
  expect(await agent.innerText()).toContain('<img src=x onerror="window.pwned=1">');
  expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
  await screenshot(page, 'widget-mobile-375');
  expect(problems).toEqual([]);
  await context.close();
});

test('a reply that came while the chat was closed keeps its badge, and its count in the bubble’s name, across a reload until read', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${server.httpUrl}/`);
  await page.getByRole('button', { name: 'Abrir el chat de ayuda' }).click();
  await page.getByRole('textbox', { name: 'Tu mensaje' }).fill('¿cuánto cuesta el envío?');
  await page.keyboard.press('Enter');
  await answers(page).first().waitFor();
  await page.keyboard.press('Escape');

  const conversationId = await conversationIdOf(page);
  await agentWrites(conversationId, 'Hola, soy Lucía. ¿Te ayudo con algo más?');
  const unreadBubble = page.getByRole('button', { name: 'Abrir el chat de ayuda (1 mensaje nuevo)' });
  await unreadBubble.waitFor();
  expect(await page.locator('.badge').innerText()).toBe('1');
  // The log is hidden with the chat closed: a status line outside it tells a screen reader.
  expect(await page.getByRole('status').filter({ hasText: '1 mensaje nuevo' }).count()).toBe(1);

  await page.reload();
  await unreadBubble.waitFor();
  expect(await page.locator('.badge').innerText()).toBe('1');

  // Opened, it is read: after the next reload only a newer reply counts.
  await unreadBubble.click();
  await page.locator('.msg.from-agent').waitFor();
  await page.keyboard.press('Escape');
  await page.reload();
  await agentWrites(conversationId, '¿Sigues ahí?');
  await unreadBubble.waitFor();
  expect(await page.locator('.badge').innerText()).toBe('1');
  await context.close();
});

test('the server restarts mid-conversation: the widget reconnects, sends what was typed offline once, and shows nothing twice', async () => {
  const own = await startTestServer({ deps: { engineHost } });
  const port = Number(new URL(own.httpUrl).port);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${own.httpUrl}/`);
  await page.getByRole('button', { name: 'Abrir el chat de ayuda' }).click();
  const input = page.getByRole('textbox', { name: 'Tu mensaje' });
  await input.fill('¿cuánto cuesta el envío?');
  await input.press('Enter');
  await answers(page).first().waitFor();

  await own.stop();
  await page.getByText('Sin conexión. Reintentando…').waitFor();
  await input.fill('¿cuánto tarda en llegar mi pedido?');
  await input.press('Enter');
  // Waiting to be sent is said in words (full opacity keeps the text readable).
  await page.locator('.msg.from-shopper.pending', { hasText: 'Enviando…' }).waitFor();
  await screenshot(page, 'widget-offline-pending');

  const again = await startTestServer({ dataDir: own.dataDir, port, deps: { engineHost } });
  await answers(page).nth(1).waitFor();
  // No agent is ever online on this server: the header says so instead of promising a person.
  await page.getByText('Asistente virtual · equipo fuera de línea; deja un mensaje y te respondemos por correo').waitFor();
  expect(await page.locator('.msg.from-shopper').count()).toBe(2);
  expect(await page.locator('.msg.from-shopper.pending').count()).toBe(0);
  expect(await answers(page).count()).toBe(2);
  const ids = await page.locator('.msg[data-id]').evaluateAll((nodes) => nodes.map((n) => (n as HTMLElement).dataset.id));
  expect(new Set(ids).size).toBe(ids.length);
  await context.close();
  await again.stop();
});

test('offline, no "Escribiendo…": not for a message that waits to be sent, not for an agent who was typing; after the reconnect the agent’s typing shows again', async () => {
  const own = await startTestServer({ deps: { engineHost } });
  const port = Number(new URL(own.httpUrl).port);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'es-MX' });
  const page = await context.newPage();
  await page.goto(`${own.httpUrl}/`);
  await page.getByRole('button', { name: 'Abrir el chat de ayuda' }).click();
  const input = page.getByRole('textbox', { name: 'Tu mensaje' });
  const typing = page.getByText('Escribiendo…');
  await input.fill('hola');
  await input.press('Enter');
  await answers(page).first().waitFor();
  const conversationId = await conversationIdOf(page);

  await own.stop();
  await page.getByText('Sin conexión. Reintentando…').waitFor();
  await input.fill('¿cuánto cuesta el envío?');
  await input.press('Enter');
  await page.locator('.msg.from-shopper.pending', { hasText: 'Enviando…' }).waitFor();
  expect(await typing.isVisible()).toBe(false);

  const again = await startTestServer({ dataDir: own.dataDir, port, deps: { engineHost } });
  await answers(page).nth(1).waitFor();
  again.app.store.conversations.changeStatus(conversationId, { from: 'bot', to: 'agent' });
  again.app.events.emit('conversation.status_changed', { conversationId, status: 'agent', agentName: 'Lucía' });
  await page.getByText('Te atiende Lucía').waitFor();
  again.app.events.emit('conversation.typing', { conversationId, from: 'agent', isTyping: true, agentName: 'Lucía' });
  await typing.waitFor();

  await again.stop();
  await page.getByText('Sin conexión. Reintentando…').waitFor();
  expect(await typing.isVisible()).toBe(false);
  await screenshot(page, 'widget-offline-no-typing');

  const third = await startTestServer({ dataDir: own.dataDir, port, deps: { engineHost } });
  await page.getByText('Sin conexión. Reintentando…').waitFor({ state: 'hidden' });
  third.app.events.emit('conversation.typing', { conversationId, from: 'agent', isTyping: true, agentName: 'Lucía' });
  await typing.waitFor();
  await context.close();
  await third.stop();
});

test('two tabs: the sending tab shows its message once, sent, from the ack alone; the other tab shows it too; a reconnect asks only for what came after it', async () => {
  const own = await startTestServer({ deps: { engineHost } });
  const port = Number(new URL(own.httpUrl).port);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const [tabA, tabB] = [await context.newPage(), await context.newPage()];
  const helloes: Array<{ lastSeenId?: number }> = [];
  tabA.on('websocket', (socket) =>
    socket.on('framesent', ({ payload }) => {
      const frame = JSON.parse(String(payload)) as { type: string; lastSeenId?: number };
      if (frame.type === 'hello') helloes.push(frame);
    }),
  );
  await tabA.goto(`${own.httpUrl}/`);
  await tabA.getByRole('button', { name: 'Abrir el chat de ayuda' }).click();
  await tabA.getByText('Preguntas frecuentes').waitFor();
  // The second tab shares the first one's session (token, chat left open) through localStorage.
  await tabB.goto(`${own.httpUrl}/`);
  await tabB.getByText('Preguntas frecuentes').waitFor();
  // A person holds the chat: the bot stays quiet, so the ack is the only frame tab A gets for its message.
  const conversationId = await conversationIdOf(tabA);
  expect(await conversationIdOf(tabB)).toBe(conversationId);
  own.app.store.conversations.changeStatus(conversationId, { from: 'bot', to: 'agent' });
  own.app.events.emit('conversation.status_changed', { conversationId, status: 'agent', agentName: 'Lucía' });
  await tabA.getByText('Lucía', { exact: false }).first().waitFor();

  await tabA.getByRole('textbox', { name: 'Tu mensaje' }).fill('Es el pedido 48213');
  await tabA.keyboard.press('Enter');
  const sentOnA = tabA.locator('.msg.from-shopper[data-id]', { hasText: 'Es el pedido 48213' });
  await sentOnA.waitFor();
  const onB = tabB.locator('.msg.from-shopper[data-id]', { hasText: 'Es el pedido 48213' });
  await onB.waitFor();
  const messageId = Number(await sentOnA.getAttribute('data-id'));
  expect(await onB.getAttribute('data-id')).toBe(String(messageId));
  expect(await tabA.locator('.msg.from-shopper.pending').count()).toBe(0);
  expect(await tabA.getByText('Enviando…').count()).toBe(0);

  await own.stop();
  await tabA.getByText('Sin conexión. Reintentando…').waitFor();
  const again = await startTestServer({ dataDir: own.dataDir, port, deps: { engineHost } });
  await tabA.getByText('Sin conexión. Reintentando…').waitFor({ state: 'hidden' });
  // Playwright reports sent frames on its own schedule, possibly after the page has changed.
  await eventually(() => expect(helloes.at(-1)?.lastSeenId).toBe(messageId), 5000);
  await agentWritesOn(again, conversationId, 'Lo reviso ahora mismo.');
  for (const tab of [tabA, tabB]) {
    await tab.locator('.msg.from-agent', { hasText: 'Lo reviso ahora mismo.' }).waitFor();
    expect(await tab.locator('.msg.from-shopper').allInnerTexts()).toEqual([expect.stringContaining('Es el pedido 48213')]);
  }
  await context.close();
  await again.stop();
});

test('embedded on a shop at another origin with one script tag: works when the origin is allowed, refused otherwise', async () => {
  const servers: Record<string, TestServer> = {};
  // The shop's page at /allowed embeds a server that lists the shop's origin; /refused one that does not.
  const shop = http.createServer((req, res) => {
    const server = servers[(req.url ?? '/').slice(1)];
    if (!server) return void res.writeHead(404).end();
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><html lang="en"><head><title>Other shop</title><link rel="icon" href="data:,"></head>
      <body><h1>Other shop</h1><script src="${server.httpUrl}/widget.js" data-title="Other shop help" data-color="#ffd166" defer></script></body></html>`);
  });
  await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
  const shopOrigin = `http://localhost:${(shop.address() as AddressInfo).port}`;
  servers.allowed = await startTestServer({ deps: { engineHost }, config: { allowedOrigins: [shopOrigin] } });
  servers.refused = await startTestServer({ deps: { engineHost } });

  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${shopOrigin}/allowed`);
  await page.getByRole('button', { name: 'Open the help chat' }).click();
  await page.getByRole('dialog', { name: 'Other shop help' }).waitFor();
  await page.getByRole('textbox', { name: 'Your message' }).fill('how much does shipping cost?');
  await page.keyboard.press('Enter');
  await expect(answers(page).first().innerText()).resolves.toMatch(/shipping/i);
  // A light shop colour gets dark text on it.
  const onColour = await page.locator('.send').evaluate((e) => getComputedStyle(e).color);
  expect(onColour).toBe('rgb(17, 17, 17)');

  const other = await context.newPage();
  await other.goto(`${shopOrigin}/refused`);
  await other.getByRole('button', { name: 'Open the help chat' }).click();
  await other.getByText('The chat is not available on this page.').first().waitFor();
  expect(dbOf(servers.refused.app.store).prepare('SELECT count(*) AS n FROM conversations').get()).toEqual({ n: 0 });

  await context.close();
  await Promise.all([servers.allowed.stop(), servers.refused.stop(), new Promise((resolve) => shop.close(resolve))]);
});

test('the last message is always fully in view: after buttons appear, after "Resolver", when the human button comes back', async () => {
  const alwaysOpen = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, '00:00-24:00']));
  const own = await startTestServer({ deps: { engineHost }, config: { handoff: { businessHours: alwaysOpen, reconnectGraceSeconds: 0 } } });
  const lucia = await own.app.store.agents.create({ email: 'lucia@tienda.example', name: 'Lucía', role: 'agent', passwordHash: hashPassword('a long enough password') });
  await own.app.handoff.agentConnected(lucia.id);
  const context = await browser.newContext({ viewport: { width: 375, height: 640 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const problems = collectPageProblems(page);
  await page.goto(`${own.httpUrl}/`);
  await page.getByRole('button', { name: 'Abrir el chat de ayuda' }).click();
  // A person is online: the header and the greeting say so.
  await page.getByText('Asistente virtual · equipo en línea').waitFor();
  await page.getByText('puede atenderte ahora mismo').waitFor();

  const input = page.getByRole('textbox', { name: 'Tu mensaje' });
  const lastFullyVisible = () =>
    page.locator('.log').evaluate((log) => {
      const last = log.lastElementChild as HTMLElement;
      const box = last.getBoundingClientRect();
      const view = log.getBoundingClientRect();
      // A message taller than the log cannot be whole on screen: then its start must be, to be read downwards.
      const fits = box.height <= view.height;
      return { top: box.top >= view.top - 1, bottom: box.bottom <= view.bottom + 1 || !fits, text: last.innerText.slice(0, 40) };
    });
  // Small talk gets no "¿Te sirvió?"; a FAQ answer does, and its buttons stay in view when the answer fits.
  await input.fill('hola');
  await input.press('Enter');
  await answers(page).first().waitFor();
  expect(await answers(page).first().locator('.feedback').count()).toBe(0);
  for (const question of ['¿cuánto cuesta el envío?', '¿cuánto tarda el envío?', '¿cómo hago una devolución?']) {
    const before = await answers(page).count();
    await input.fill(question);
    await input.press('Enter');
    await answers(page).nth(before).waitFor();
    await expect(lastFullyVisible()).resolves.toMatchObject({ top: true, bottom: true });
  }
  expect(await answers(page).last().locator('.feedback').count()).toBe(1);

  await page.getByRole('button', { name: 'Hablar con una persona' }).click();
  await page.getByText('Te atiende Lucía').waitFor();
  const conversationId = await conversationIdOf(page);
  expect(await own.app.handoff.resolve(lucia.id, conversationId)).toEqual({ ok: true });
  await page.locator('.msg.from-system', { hasText: 'marcó la conversación como resuelta' }).waitFor();
  // Then the rating question, the tallest last message there is (five buttons, a comment box).
  await page.locator('.rating').waitFor();
  // The human button comes back below the log (the status changes after the message): still in view.
  await page.getByRole('button', { name: 'Hablar con una persona' }).waitFor();
  await page.waitForFunction(() => document.getElementById('atento-chat')?.shadowRoot?.querySelector('.status')?.textContent?.startsWith('Conversación cerrada'));
  await expect(lastFullyVisible()).resolves.toEqual({ top: true, bottom: true, text: expect.stringContaining('¿Cómo te atendimos?') });
  const file = await screenshot(page, 'widget-mobile-after-resolve');
  expect(file).toMatch(/after-resolve\.png$/);
  expect(problems).toEqual([]);
  await context.close();
  await own.stop();
});

test('nobody online: the leave-a-message form shows a "Cancelar" button that closes it', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const problems = collectPageProblems(page);
  await page.goto(`${server.httpUrl}/`);
  await page.getByRole('button', { name: 'Abrir el chat de ayuda' }).click();
  await page.getByText('Si nos dejas un mensaje, te respondemos por correo').first().waitFor();
  await page.getByRole('button', { name: 'Hablar con una persona' }).click();
  const question = page.locator('.msg.from-bot', { hasText: '¿Cuál es tu nombre?' });
  await question.waitFor();
  const cancel = question.getByRole('button', { name: 'Cancelar' });
  expect(await cancel.isVisible()).toBe(true);
  await screenshot(page, 'widget-form-cancel');
  await cancel.click();
  await page.locator('.msg.from-bot', { hasText: 'Cancelado' }).waitFor();

  // A question answered by typing keeps no live buttons: its "Cancelar" would cancel nothing. The next question has its own.
  await page.getByRole('button', { name: 'Hablar con una persona' }).click();
  const asked = page.locator('.msg.from-bot', { hasText: '¿Cuál es tu nombre?' }).nth(1);
  await asked.getByRole('button', { name: 'Cancelar' }).waitFor();
  expect(await asked.getByRole('button', { name: 'Cancelar' }).isEnabled()).toBe(true);
  await page.getByRole('textbox', { name: 'Tu mensaje' }).fill('Rosa');
  await page.keyboard.press('Enter');
  const next = page.locator('.msg.from-bot', { hasText: 'Gracias, Rosa.' });
  await next.getByRole('button', { name: 'Cancelar' }).waitFor();
  expect(await asked.getByRole('button', { name: 'Cancelar' }).isDisabled()).toBe(true);
  expect(await asked.getByRole('button', { name: 'Cancelar' }).getAttribute('aria-pressed')).toBeNull();
  expect(await next.getByRole('button', { name: 'Cancelar' }).isEnabled()).toBe(true);
  expect(problems).toEqual([]);
  await context.close();
});

test('a laptop at 200 % zoom gets the full-screen chat, not a panel with room for a line and a half', async () => {
  // 1280 × 800 at 200 %: the page is 640 × 400 CSS pixels.
  const context = await browser.newContext({ viewport: { width: 640, height: 400 } });
  const page = await context.newPage();
  await page.goto(`${server.httpUrl}/`);
  await page.getByRole('button', { name: 'Abrir el chat de ayuda' }).click();
  await page.getByText('Preguntas frecuentes').waitFor();
  expect(await page.getByRole('dialog').boundingBox()).toMatchObject({ x: 0, y: 0, width: 640, height: 400 });
  expect(await page.getByRole('dialog').getAttribute('aria-modal')).toBe('true');
  expect((await page.locator('#atento-chat .log').boundingBox())!.height).toBeGreaterThan(150);
  await screenshot(page, 'widget-zoom-200');
  await context.close();
});

test('a "did you mean…?" question is answered once: the picked option stays marked and no option takes a second click', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'es-MX' });
  const page = await context.newPage();
  const problems = collectPageProblems(page);
  const { options, question: ambiguous } = await askForOptions(page);
  // Named for a screen reader, though it has no visible heading.
  expect(await page.getByRole('group', { name: 'Respuestas para elegir' }).getByRole('button').count()).toBe(await options.count());
  const answered = await answers(page).count();
  const picked = (await options.nth(1).innerText()).trim();
  await options.nth(1).click();
  await answers(page).nth(answered).waitFor();
  await options.first().scrollIntoViewIfNeeded();
  await screenshot(page, 'widget-options-answered');
  expect(await options.evaluateAll((chips) => chips.map((chip) => [(chip as HTMLButtonElement).disabled, chip.getAttribute('aria-pressed')]))).toEqual(
    (await options.allInnerTexts()).map((label) => [true, String(label.trim() === picked)]),
  );
  // A forced click sends nothing: the next thing the shopper types is the third message, not the fourth.
  await options.first().click({ force: true });
  await page.getByRole('textbox', { name: 'Tu mensaje' }).fill('gracias');
  await page.keyboard.press('Enter');
  await page.locator('.msg.from-shopper', { hasText: 'gracias' }).locator('.sending').waitFor({ state: 'detached' });
  expect(await page.locator('.msg.from-shopper').allInnerTexts()).toEqual([expect.stringContaining(ambiguous), expect.stringContaining(picked), expect.stringContaining('gracias')]);
  expect(problems).toEqual([]);
  await context.close();
});

test('after a reload the answered question shows its pick, as it did before', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'es-MX' });
  const page = await context.newPage();
  const { options } = await askForOptions(page);
  const answered = await answers(page).count();
  const picked = (await options.nth(1).innerText()).trim();
  await options.nth(1).click();
  await answers(page).nth(answered).waitFor();

  await page.reload();
  await answers(page).nth(answered).waitFor();
  expect(await options.evaluateAll((chips) => chips.map((chip) => [(chip as HTMLButtonElement).disabled, chip.getAttribute('aria-pressed')]))).toEqual(
    (await options.allInnerTexts()).map((label) => [true, String(label.trim() === picked)]),
  );
  await context.close();
});

test('a refused pick opens the question\'s options again, and another pick is answered', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'es-MX' });
  const page = await context.newPage();
  // The first pick reaches the server with an id it does not know, as a stale option would: refused, `unknown_choice`.
  let spoiled = false;
  await page.routeWebSocket(/\/ws\/shopper/, (widgetSide) => {
    const upstream = widgetSide.connectToServer();
    widgetSide.onMessage((raw) => {
      const frame = JSON.parse(String(raw)) as { type: string; id?: string };
      if (frame.type === 'choice' && !spoiled) {
        spoiled = true;
        return upstream.send(JSON.stringify({ ...frame, id: 'no-such-entry' }));
      }
      upstream.send(raw);
    });
  });
  const { options } = await askForOptions(page);
  const answered = await answers(page).count();
  await options.nth(1).click();
  await page.locator('.msg.from-shopper.failed').waitFor();
  expect(await options.evaluateAll((chips) => chips.map((chip) => [(chip as HTMLButtonElement).disabled, chip.getAttribute('aria-pressed')]))).toEqual(
    (await options.allInnerTexts()).map(() => [false, null]),
  );
  await options.first().click();
  await answers(page).nth(answered).waitFor();
  expect(await options.first().getAttribute('aria-pressed')).toBe('true');
  await context.close();
});

test('a paste longer than a message can be says that it was cut', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'es-MX' });
  const page = await context.newPage();
  await page.goto(`${server.httpUrl}/`);
  await page.getByRole('button', { name: 'Abrir el chat de ayuda' }).click();
  const input = page.getByRole('textbox', { name: 'Tu mensaje' });
  await input.focus();
  // A real paste through the clipboard: the browser cuts it at maxLength, the widget says so.
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.evaluate(async (text) => navigator.clipboard.writeText(text), 'x'.repeat(2500));
  await page.keyboard.press('Control+V');
  await page.getByText('Un mensaje puede tener hasta 2000 caracteres: lo que pegaste se recortó.').waitFor();
  expect((await input.inputValue()).length).toBe(2000);
  await context.close();
});

test('a shopper who writes English on a Spanish page gets the widget in English too, and keeps it after a reload', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'es-MX' });
  const page = await context.newPage();
  await page.goto(`${server.httpUrl}/`);
  await page.getByRole('button', { name: 'Abrir el chat de ayuda' }).click();
  await page.getByRole('button', { name: 'Hablar con una persona' }).waitFor();
  await page.getByRole('textbox', { name: 'Tu mensaje' }).fill('how long does shipping take to arrive?');
  await page.keyboard.press('Enter');
  await answers(page).first().waitFor();
  expect(await answers(page).first().innerText()).toMatch(/business days/i);

  const speaksEnglish = async () => {
    await page.getByRole('button', { name: 'Talk to a person' }).waitFor();
    await expect(page.getByRole('textbox', { name: 'Your message' }).getAttribute('placeholder')).resolves.toBe('Type your question…');
    await expect(page.getByRole('button', { name: 'Close the chat' }).count()).resolves.toBeGreaterThan(0);
    await expect(page.getByRole('button', { name: 'Send' }).count()).resolves.toBe(1);
    await expect(page.locator('#atento-chat .root').getAttribute('lang')).resolves.toBe('en');
  };
  await speaksEnglish();
  await page.getByText('Was this helpful?').waitFor();
  await screenshot(page, 'widget-follows-the-shopper-language');

  await page.reload();
  await answers(page).first().waitFor();
  await speaksEnglish();
  // The server is told the chat's language on reconnecting too: what it says next is in English.
  await page.getByRole('button', { name: 'Talk to a person' }).click();
  await page.locator('.msg.from-bot', { hasText: 'What is your name?' }).waitFor();
  await speaksEnglish();
  await context.close();
});

/** Opens the chat and asks a one-word question the default content answers with "did you mean…?" options. */
async function askForOptions(page: Page): Promise<{ options: Locator; question: string }> {
  const question = ['tarjeta', 'pago', 'envío', 'cuenta', 'pedido', 'problema', 'cambio'].find((text) => {
    const decision = engineHost.current().respond(text, { lang: 'es' });
    return decision.action === 'clarify' && decision.options.length >= 2;
  });
  expect(question).toBeDefined();
  await page.goto(`${server.httpUrl}/`);
  await page.getByRole('button', { name: 'Abrir el chat de ayuda' }).click();
  await page.getByRole('textbox', { name: 'Tu mensaje' }).fill(question!);
  await page.keyboard.press('Enter');
  // The options have no heading; the greeting's suggestions and related questions do.
  const options = page.locator('.msg.from-bot[data-id] .choices').filter({ hasNot: page.locator('p') }).last().locator('.chip');
  await options.first().waitFor();
  return { options, question: question! };
}
