import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { AGENT_PASSWORD, agentCookie } from '../helpers/agent-client';
import { ALWAYS_OPEN } from '../helpers/app';
import { axeViolations } from '../helpers/axe';
import { agentPage, collectPageProblems, screenshot } from '../helpers/browser';
import { useBrowserServer } from '../helpers/browser-server';
import { seedShopper } from '../helpers/seed-shoppers';
import { shopperAskingForAPerson } from '../helpers/shopper-client';

/**
 * The console as a whole, in real Chromium: the team bar shows each role what it may use, the agent
 * switches the console to English and it stays English, and an admin exports a transcript and
 * exports, then erases, a shopper's data after confirming.
 */

const context = useBrowserServer(() => ({ handoff: { businessHours: ALWAYS_OPEN } }));

async function consoleAs(email: string, name: string, role: 'agent' | 'editor' | 'admin'): Promise<Page> {
  const cookie = await agentCookie(context.server, email, name);
  await context.server.app.store.agents.setRole(email, role);
  const page = await agentPage(context.browser, context.server, cookie);
  await page.goto(`${context.server.httpUrl}/agent`);
  return page;
}

const sections = (page: Page) => page.getByRole('navigation', { name: /Secciones|sections/ }).getByRole('link').allInnerTexts();

test('an agent sees only Conversaciones and no admin tools; switching to English sticks after a reload and on the login page', async () => {
  const page = await consoleAs('ana@tienda.example', 'Ana', 'agent');
  const problems = collectPageProblems(page);
  await page.getByText('En línea', { exact: true }).waitFor();
  expect(await sections(page)).toEqual(['Conversaciones']);

  const shopper = await shopperAskingForAPerson(context.server.socketUrl);
  await page.locator('.card', { hasText: 'Pidió una persona' }).click();
  await page.getByRole('button', { name: 'Resolver' }).waitFor();
  expect(await page.locator('.export').count()).toBe(0);
  // The privacy panel is not there for an agent, even by its address.
  await page.goto(`${context.server.httpUrl}/agent#privacy`);
  await page.getByText('En línea', { exact: true }).waitFor();
  expect(await page.locator('dialog').count()).toBe(0);

  await page.getByRole('combobox', { name: 'Idioma' }).selectOption('en');
  await page.getByRole('button', { name: 'Resolve' }).waitFor();
  expect(await page.getAttribute('html', 'lang')).toBe('en');
  expect(await sections(page)).toEqual(['Conversations']);
  expect(await page.getByRole('tab', { name: /My chats/ }).count()).toBe(1);
  expect(await page.getByRole('textbox', { name: 'Reply' }).getAttribute('placeholder')).toBe('Write your reply…');
  expect(await page.locator('.card .reason').first().innerText()).toBe('Asked for a person');
  expect(await page.locator('.details').innerText()).toContain('Earlier conversations');
  await screenshot(page, 'console-english-1280');

  await page.reload();
  await page.getByText('Online', { exact: true }).waitFor();
  expect(await page.getByRole('button', { name: 'Hand back to the bot' }).count()).toBe(1);
  expect(await page.locator('.msg.from-system').first().innerText()).toMatch(/^System/);

  // Logging out with a chat open asks first (its shopper would go back to the queue).
  const asked: string[] = [];
  page.once('dialog', (dialog) => {
    asked.push(dialog.message());
    void dialog.accept();
  });
  // The locale of this browser is Spanish; the saved choice wins on the login page after logging out.
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByRole('button', { name: 'Log in' }).waitFor();
  expect(asked).toEqual(['You have 1 open chat(s). If you log out, those shoppers go back to the queue for someone else. Log out anyway?']);
  expect(problems).toEqual([]);
  await page.context().close();
  await shopper.close();
});

test('an admin exports a transcript, then exports and (after confirming) erases a shopper by e-mail', async () => {
  const { server } = context;
  const kept = await seedShopper(server.app.store, 'otro@example.com', 'hola');
  const rosa = await seedShopper(server.app.store, 'rosa@example.com', '¿cuánto tarda el envío?');
  const page = await consoleAs('alba@tienda.example', 'Alba', 'admin');
  const problems = collectPageProblems(page);
  await page.getByText('En línea', { exact: true }).waitFor();
  expect(await sections(page)).toEqual(['Conversaciones', 'Conocimiento', 'Analítica', 'Privacidad']);

  // The transcript of the open chat, as a CSV file.
  const shopper = await shopperAskingForAPerson(context.server.socketUrl);
  await page.locator('.card', { hasText: 'Pidió una persona' }).click();
  const exportGroup = page.getByRole('group', { name: 'Exportar la transcripción' });
  const [csv] = await Promise.all([page.waitForEvent('download'), exportGroup.getByRole('link', { name: 'CSV' }).click()]);
  expect(csv.suggestedFilename()).toMatch(/^transcript-.+\.csv$/);
  const lines = fs.readFileSync((await csv.path())!, 'utf8').trimEnd().split('\r\n');
  expect(lines[0]).toBe('id,createdAt,sender,kind,authorName,entryId,confidence,text');
  expect(lines.some((line) => line.endsWith(',shopper,text,,,,quiero hablar con una persona'))).toBe(true);

  // The privacy panel, from the team bar.
  await page.getByRole('link', { name: 'Privacidad' }).click();
  const panel = page.getByRole('dialog', { name: 'Privacidad: los datos de un cliente' });
  await panel.waitFor();
  expect(await axeViolations(page)).toEqual([]);
  const email = panel.getByRole('textbox', { name: 'Correo del cliente' });
  expect(await email.evaluate((element) => element === document.activeElement)).toBe(true);
  await email.fill('Rosa@Example.com');
  await panel.getByRole('button', { name: 'Exportar sus datos' }).click();
  const downloadLink = panel.getByRole('link', { name: /^Descargar shopper-rosa@example\.com\.json$/ });
  await downloadLink.waitFor();
  expect(await panel.getByRole('status').innerText()).toContain('Datos de rosa@example.com (conversaciones: 1, mensajes: 3, tickets: 1).');
  const [json] = await Promise.all([page.waitForEvent('download'), downloadLink.click()]);
  const exported = JSON.parse(fs.readFileSync((await json.path())!, 'utf8'));
  expect(exported.conversations[0].conversation.id).toBe(rosa);

  // Erasing asks first, saying what goes; cancelling erases nothing.
  await panel.getByRole('button', { name: 'Borrar sus datos…' }).click();
  const confirm = panel.getByRole('alert');
  await confirm.waitFor();
  expect(await confirm.innerText()).toContain('Se borrará todo lo de rosa@example.com (conversaciones: 1, mensajes: 3, tickets: 1). No se puede deshacer.');
  await screenshot(page, 'console-privacy-confirm');
  await panel.getByRole('button', { name: 'Cancelar' }).click();
  expect(await server.app.store.conversations.get(rosa)).toBeDefined();

  await panel.getByRole('button', { name: 'Borrar sus datos…' }).click();
  await panel.getByRole('button', { name: 'Sí, borrar para siempre' }).click();
  await panel.getByText('Borrado. conversaciones: 1, mensajes: 3, tickets: 1.').waitFor();
  expect(await server.app.store.conversations.get(rosa)).toBeUndefined();
  expect(await server.app.store.conversations.get(kept)).toBeDefined();
  await screenshot(page, 'console-privacy-done');

  // Nothing left to find; Escape closes the panel and the link opens it again.
  await email.fill('rosa@example.com');
  await panel.getByRole('button', { name: 'Exportar sus datos' }).click();
  await panel.getByText('Atento no guarda nada de rosa@example.com.').waitFor();
  await page.keyboard.press('Escape');
  await panel.waitFor({ state: 'hidden' });
  // The dialog's "close" event (which drops the hash) is a task queued after it hides.
  await page.waitForFunction(() => location.hash === '');
  await page.getByRole('link', { name: 'Privacidad' }).click();
  await panel.waitFor();

  expect(problems).toEqual([]);
  await page.context().close();
  await shopper.close();
});

test('logged out, an editor who opens the knowledge page logs in and is back on the knowledge page', async () => {
  const { server, browser } = context;
  await agentCookie(server, 'edu@tienda.example', 'Edu');
  await server.app.store.agents.setRole('edu@tienda.example', 'editor');
  const page = await (await browser.newContext({ locale: 'es-MX' })).newPage();
  const problems = collectPageProblems(page);
  await page.goto(`${server.httpUrl}/agent/knowledge`);
  expect(new URL(page.url()).pathname).toBe('/agent/login');
  await page.getByLabel('Correo').fill('edu@tienda.example');
  await page.getByLabel('Contraseña').fill(AGENT_PASSWORD);
  await page.getByRole('button', { name: 'Entrar' }).click();
  await page.waitForURL(`${server.httpUrl}/agent/knowledge`);
  await page.getByRole('navigation', { name: 'Secciones de la consola' }).waitFor();
  expect(problems).toEqual([]);
  await page.context().close();
});
