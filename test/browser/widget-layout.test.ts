import type { Page } from 'playwright-core';
import { collectPageProblems, screenshot } from '../helpers/browser';
import { useBrowserServer } from '../helpers/browser-server';

/**
 * What the shopper sees of the widget's layout: the message box grows with a long message.
 */

const context = useBrowserServer();

const DESKTOP = { viewport: { width: 1280, height: 800 }, locale: 'es-MX' };
/** 380 characters, as the tester typed: more than the box's maximum height holds. */
const LONG_MESSAGE =
  'Hola, compré unas zapatillas la semana pasada y me llegaron en una talla que no pedí. Quiero cambiarlas por la talla 39 ' +
  'pero ya no veo ese color en la tienda. ¿Me pueden decir si lo van a volver a tener pronto o si me conviene devolverlas? ' +
  'También quisiera saber cuánto tardaría el reembolso a mi tarjeta y si tengo que pagar el envío de vuelta. Muchas gracias.';

async function openChat(options: typeof DESKTOP): Promise<{ page: Page; problems: string[] }> {
  const page = await (await context.browser.newContext(options)).newPage();
  const problems = collectPageProblems(page);
  await page.goto(`${context.server.httpUrl}/`);
  await page.getByRole('button', { name: 'Abrir el chat de ayuda' }).click();
  await page.getByText('Preguntas frecuentes').waitFor();
  return { page, problems };
}

test('the message box grows with a long message up to its maximum height, then scrolls; after sending it is one line again', async () => {
  const { page, problems } = await openChat(DESKTOP);
  const input = page.getByRole('textbox', { name: 'Tu mensaje' });
  const box = () => input.evaluate((textarea) => ({ height: textarea.clientHeight, content: textarea.scrollHeight, outer: (textarea as HTMLTextAreaElement).offsetHeight }));
  const oneLine = await box();

  await input.fill('¿Cuánto cuesta el envío a Monterrey si compro dos pares de zapatillas y una chaqueta de invierno?');
  const fewLines = await box();
  expect(fewLines.height).toBeGreaterThan(oneLine.height + 15);
  expect(fewLines.content).toBe(fewLines.height);

  await input.fill(LONG_MESSAGE);
  const full = await box();
  expect(full.outer).toBe(120);
  expect(full.content).toBeGreaterThan(full.height);
  await screenshot(page, 'widget-long-message-1280');

  await page.keyboard.press('Enter');
  await page.locator('.msg.from-shopper', { hasText: 'Muchas gracias.' }).waitFor();
  expect(await box()).toEqual(oneLine);
  expect(problems).toEqual([]);
  await page.context().close();
});
