import { connectAgent } from '../helpers/agent-client';
import { ALWAYS_OPEN } from '../helpers/app';
import { collectPageProblems, screenshot } from '../helpers/browser';
import { useBrowserServer } from '../helpers/browser-server';
import { dbOf } from '../helpers/db';

/** The shopper rates the agent's help in the widget, on a phone, with the keyboard only. */

const context = useBrowserServer(() => ({ handoff: { businessHours: ALWAYS_OPEN } }));

test('375 px: after the agent resolves, the shopper rates 4 of 5 with a comment, by keyboard', async () => {
  const { server, browser } = context;
  const agent = (await connectAgent(server, 'ana@tienda.example', 'Ana')).client;
  const page = await (await browser.newContext({ viewport: { width: 375, height: 740 }, locale: 'es-MX' })).newPage();
  const problems = collectPageProblems(page);
  await page.goto(`${server.httpUrl}/`);
  await page.getByRole('button', { name: 'Abrir el chat de ayuda' }).click();
  await page.getByRole('button', { name: 'Hablar con una persona' }).click();
  const conversationId = String((await agent.next('assigned')).conversationId);
  agent.send({ type: 'resolve', conversationId });

  const rate = page.getByRole('group', { name: 'Tu calificación' });
  await rate.waitFor();
  await rate.getByRole('button', { name: '1 de 5' }).focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  expect(await rate.getByRole('button', { name: '4 de 5' }).getAttribute('aria-pressed')).toBe('true');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Muy amable');
  await screenshot(page, 'widget-csat-375');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await page.getByText('¡Gracias! Calificaste con 4 de 5.').waitFor();

  expect(dbOf(server.app.store).prepare('SELECT rating, comment FROM csat WHERE conversation_id = ?').get(conversationId)).toEqual({ rating: 4, comment: 'Muy amable' });
  expect(problems).toEqual([]);
  await page.context().close();
  await agent.close();
});
