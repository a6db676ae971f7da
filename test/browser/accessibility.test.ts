import type { Page } from 'playwright-core';
import { agentCookie, connectAgent } from '../helpers/agent-client';
import { ALWAYS_OPEN } from '../helpers/app';
import { axeViolations } from '../helpers/axe';
import { agentPage, collectPageProblems, screenshot } from '../helpers/browser';
import { useBrowserServer } from '../helpers/browser-server';
import { ShopperClient } from '../helpers/shopper-client';

/**
 * axe-core in real Chromium on the pages people use: no serious or critical violation on the shop's
 * page with the widget open and a conversation in it, on the login page and on the console with a
 * chat open. And the main actions work from the keyboard alone.
 */

const context = useBrowserServer(() => ({ handoff: { businessHours: ALWAYS_OPEN } }));

/** The focused element's accessible text, looking inside the widget's shadow root. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return `${active?.getAttribute('aria-label') ?? ''}${active?.textContent ?? ''}`.trim();
  });
}

/** Presses Tab until the focused element's text matches, as a keyboard user would; fails after `max`. */
async function tabTo(page: Page, wanted: RegExp, max = 40): Promise<number> {
  for (let presses = 1; presses <= max; presses++) {
    await page.keyboard.press('Tab');
    if (wanted.test(await focused(page))) return presses;
  }
  throw new Error(`${wanted} not reached with ${max} Tabs; focus is on "${await focused(page)}"`);
}

test('the shop page with the widget open and a conversation: no serious violations; a related question is picked by keyboard', async () => {
  const { server, browser } = context;
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'es-MX' })).newPage();
  const problems = collectPageProblems(page);
  await page.goto(`${server.httpUrl}/`);
  await page.getByRole('button', { name: 'Abrir el chat de ayuda' }).click();
  await page.getByRole('textbox', { name: 'Tu mensaje' }).fill('¿cuánto cuesta el envío?');
  await page.keyboard.press('Enter');
  const answers = page.locator('#atento-chat .msg.from-bot[data-id]');
  await answers.first().waitFor();
  await page.locator('#atento-chat .feedback').first().waitFor();
  expect(await axeViolations(page)).toEqual([]);
  await screenshot(page, 'a11y-widget-conversation');

  // From the message box, the keyboard reaches the related questions under the answer and picks one.
  const chip = page.locator('#atento-chat .choices .chip').first();
  const label = (await chip.innerText()).trim();
  await page.getByRole('textbox', { name: 'Tu mensaje' }).focus();
  for (let presses = 0; (await focused(page)) !== label; presses++) {
    if (presses > 20) throw new Error(`Shift+Tab never reached "${label}"`);
    await page.keyboard.press('Shift+Tab');
  }
  await page.keyboard.press('Enter');
  await answers.nth(1).waitFor();
  await page.locator('#atento-chat .msg.from-shopper', { hasText: label }).waitFor();

  // On a phone, after an agent resolves the chat: the rating question is clean too.
  await page.setViewportSize({ width: 375, height: 740 });
  const agent = (await connectAgent(server, 'lucia@tienda.example', 'Lucía')).client;
  const focusedInWidget = () => page.evaluate(() => document.getElementById('atento-chat')?.shadowRoot?.activeElement?.id ?? null);
  // The pressed button goes away once a person has the chat: the keyboard is left in the message box, not on the page behind.
  await page.getByRole('button', { name: 'Hablar con una persona' }).focus();
  await page.keyboard.press('Enter');
  const conversationId = String((await agent.next('assigned')).conversationId);
  await page.getByText('Te atiende Lucía').waitFor();
  expect(await focusedInWidget()).toBe('atento-input');
  agent.send({ type: 'resolve', conversationId });
  await page.getByRole('group', { name: 'Tu calificación' }).waitFor();
  expect(await axeViolations(page)).toEqual([]);
  await screenshot(page, 'a11y-widget-csat-375');
  // Likewise the rating's send button, which becomes a thank-you line.
  await page.getByRole('button', { name: '4 de 5' }).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Enviar calificación' }).focus();
  await page.keyboard.press('Enter');
  await page.getByText('¡Gracias! Calificaste con 4 de 5.').waitFor();
  expect(await focusedInWidget()).toBe('atento-input');
  await agent.close();
  expect(problems).toEqual([]);
  await page.context().close();
});

test('the login page: no serious violations, in Spanish by default and in English for an English browser', async () => {
  const { server, browser } = context;
  for (const [locale, button] of [['es-MX', 'Entrar'], ['en-GB', 'Log in']] as const) {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, locale })).newPage();
    await page.goto(`${server.httpUrl}/agent/login`);
    await page.getByRole('button', { name: button }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe(locale.slice(0, 2));
    expect(await axeViolations(page)).toEqual([]);
    // A failed login shows its error in the page's language.
    await page.getByLabel(locale === 'en-GB' ? 'E-mail' : 'Correo').fill('nadie@tienda.example');
    await page.getByLabel(locale === 'en-GB' ? 'Password' : 'Contraseña').fill('wrong password');
    await page.getByRole('button', { name: button }).click();
    expect(await page.getByRole('alert').innerText()).toBe(locale === 'en-GB' ? 'Wrong e-mail or password.' : 'Correo o contraseña incorrectos.');
    // The e-mail is kept and the cursor waits in the password field, which the error describes.
    expect(await page.getByLabel(locale === 'en-GB' ? 'E-mail' : 'Correo').inputValue()).toBe('nadie@tienda.example');
    // `autofocus` is applied at the browser's next rendering step, not when the page's text is there.
    await page.waitForFunction(() => document.activeElement?.id === 'password', undefined, { timeout: 5000 }).catch(() => undefined);
    expect(await page.evaluate(() => [document.activeElement?.id, document.activeElement?.getAttribute('aria-describedby')])).toEqual(['password', 'login-error']);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, `a11y-login-${locale}`);
    await page.context().close();
  }
});

test('the console with a chat open (as admin): no serious violations; open, reply and resolve by keyboard', async () => {
  const { server, browser } = context;
  // The role is read with the session on every request, so promoting after the login counts.
  const cookie = await agentCookie(server, 'olga@tienda.example', 'Olga');
  await server.app.store.agents.setRole('olga@tienda.example', 'admin');
  const page = await agentPage(browser, server, cookie);
  const problems = collectPageProblems(page);
  await page.goto(`${server.httpUrl}/agent`);
  await page.getByText('En línea').waitFor();

  const shopper = await ShopperClient.connect(server.socketUrl);
  await shopper.hello({ lang: 'es' });
  shopper.send({ type: 'message', clientMessageId: 'a1', text: '¿cuánto cuesta el envío?' });
  await shopper.nextMessageFrom('bot');
  shopper.send({ type: 'message', clientMessageId: 'a2', text: 'quiero hablar con una persona' });
  await page.locator('.card', { hasText: 'Pidió una persona' }).first().waitFor();

  // Keyboard only: the page's first Tab stop skips the team bar, into the workspace.
  await page.locator('body').focus();
  expect(await tabTo(page, /^Ir a la conversación$/)).toBe(1);
  await page.keyboard.press('Enter');
  expect(await page.evaluate(() => document.activeElement?.closest('main.workspace') !== null)).toBe(true);
  // Tab on to the chat's card, Enter; the chat opens with the reply box focused.
  await tabTo(page, /^Visitante/);
  await page.keyboard.press('Enter');
  await page.locator('.msg.from-bot .match').first().waitFor();
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('reply');
  // With a chat open, the skip link goes straight to the reply box.
  await page.locator('.transcript').focus();
  await page.locator('.skip-link').focus();
  await page.keyboard.press('Enter');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('reply');
  expect(await axeViolations(page)).toEqual([]);
  await screenshot(page, 'a11y-console-chat');

  // The transcript is a live region: what is already in it stays put (a screen reader would read it all out again).
  await page.locator('.transcript > li').first().evaluate((item) => ((item as HTMLElement & { kept?: boolean }).kept = true));
  await page.keyboard.type('Hola, soy Olga. ¿En qué te ayudo?');
  await page.keyboard.press('Enter');
  await shopper.nextMessageFrom('agent');
  // From the reply box back up to "Resolver" in the chat's header, and Enter.
  for (let presses = 0; (await focused(page)) !== 'Resolver'; presses++) {
    if (presses > 20) throw new Error(`Shift+Tab never reached "Resolver"; focus is on "${await focused(page)}"`);
    await page.keyboard.press('Shift+Tab');
  }
  await page.keyboard.press('Enter');
  await page.getByText('Conversación resuelta.').waitFor();
  // "Resolver" is gone with the chat's actions: the keyboard is left on the transcript, not at the top of the page.
  expect(await page.evaluate(() => document.activeElement?.className)).toBe('transcript');
  expect(await page.locator('.transcript > li').first().evaluate((item) => (item as HTMLElement & { kept?: boolean }).kept)).toBe(true);
  expect(await page.getByRole('status').filter({ hasText: 'Conversación resuelta.' }).count()).toBe(1);
  expect(problems).toEqual([]);
  await page.context().close();
  await shopper.close();
});

test('the console tells a screen reader what happens outside the open chat: a shopper left waiting, a message in another chat', async () => {
  const { server, browser } = context;
  const page = await agentPage(browser, server, await agentCookie(server, 'pia@tienda.example', 'Pía'));
  await page.goto(`${server.httpUrl}/agent`);
  await page.getByText('En línea').waitFor();
  const shoppers: ShopperClient[] = [];
  // Three chats fill the agent (agentCapacity 3 by default); the fourth waits in the queue.
  for (let i = 0; i < 4; i++) {
    const shopper = await ShopperClient.connect(server.socketUrl);
    shoppers.push(shopper);
    await shopper.hello({ lang: 'es' });
    shopper.send({ type: 'message', clientMessageId: `q${i}`, text: 'quiero hablar con una persona' });
    await shopper.next('status');
  }
  const announced = page.locator('p.visually-hidden[role=status]');
  await announced.filter({ hasText: /^Visitante [0-9A-F]{3,6} espera en la cola$/ }).waitFor();

  // One of the agent's three chats is open; the other two write.
  await page.locator('.chat-header h2').waitFor();
  shoppers.slice(0, 3).forEach((shopper, i) => shopper.send({ type: 'message', clientMessageId: `m${i}`, text: 'sigo aquí' }));
  await announced.filter({ hasText: /^Mensaje nuevo de Visitante [0-9A-F]{3,6}$/ }).waitFor();

  // The list's tabs are one Tab stop; arrow keys move between them and show each one's list.
  await page.getByRole('tab', { name: /Cola/ }).click();
  expect(await page.getByRole('tab').evaluateAll((tabs) => tabs.map((tab) => tab.getAttribute('tabindex')))).toEqual(['0', '-1', '-1', '-1']);
  await page.keyboard.press('ArrowRight');
  const selectedTab = page.getByRole('tab', { selected: true });
  await expect(selectedTab.innerText()).resolves.toMatch(/Mis chats/);
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('tab-chats');
  expect(await page.getByRole('tabpanel', { name: /Mis chats/ }).locator('.card').count()).toBe(3);
  await page.keyboard.press('ArrowLeft');
  await expect(selectedTab.innerText()).resolves.toMatch(/Cola/);

  // A card is one button named after the shopper and described by why they are here; Enter opens the chat.
  const opener = page.getByRole('tabpanel', { name: /Cola/ }).getByRole('button', { name: /^Visitante [0-9A-F]{3,6}$/ });
  const name = await opener.innerText();
  expect(await opener.evaluate((element) => document.getElementById(element.getAttribute('aria-describedby') ?? '')?.textContent)).toBe('Pidió una persona');
  await page.keyboard.press('Tab');
  expect(await opener.evaluate((element) => element === document.activeElement)).toBe(true);
  await page.keyboard.press('Enter');
  await page.locator('.chat-header h2', { hasText: name }).waitFor();
  await page.context().close();
  await Promise.all(shoppers.map((shopper) => shopper.close()));
});
