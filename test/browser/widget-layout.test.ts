import type { Page } from 'playwright-core';
import { collectPageProblems, screenshot } from '../helpers/browser';
import { useBrowserServer } from '../helpers/browser-server';

/**
 * What the shopper sees of the widget's layout: the message box grows with a long message, a long answer
 * is shown from its start, and at phone size the chat keeps the wheel to itself and its close button is
 * big enough for a thumb.
 */

const context = useBrowserServer();

const PHONE = { viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true, locale: 'es-MX' };
const DESKTOP = { viewport: { width: 1280, height: 800 }, locale: 'es-MX' };
/** 380 characters, as the tester typed: more than the box's maximum height holds. */
const LONG_MESSAGE =
  'Hola, compré unas zapatillas la semana pasada y me llegaron en una talla que no pedí. Quiero cambiarlas por la talla 39 ' +
  'pero ya no veo ese color en la tienda. ¿Me pueden decir si lo van a volver a tener pronto o si me conviene devolverlas? ' +
  'También quisiera saber cuánto tardaría el reembolso a mi tarjeta y si tengo que pagar el envío de vuelta. Muchas gracias.';
/** The default knowledge base's longest answer: taller than the log at 375 × 667, with its related questions. */
const LONG_ANSWER_QUESTION = '¿Los productos tienen garantía?';

const answers = (page: Page) => page.locator('.msg.from-bot[data-id]');

async function openChat(options: typeof PHONE | typeof DESKTOP): Promise<{ page: Page; problems: string[] }> {
  const page = await (await context.browser.newContext(options)).newPage();
  const problems = collectPageProblems(page);
  await page.goto(`${context.server.httpUrl}/`);
  await page.getByRole('button', { name: 'Abrir el chat de ayuda' }).click();
  await page.getByText('Preguntas frecuentes').waitFor();
  return { page, problems };
}

async function ask(page: Page, question: string): Promise<void> {
  const before = await answers(page).count();
  await page.getByRole('textbox', { name: 'Tu mensaje' }).fill(question);
  await page.keyboard.press('Enter');
  await answers(page).nth(before).waitFor();
}

/** Where the last answer sits in the log's visible area, in pixels from the log's top and bottom edges. */
function lastAnswerInLog(page: Page) {
  return page.locator('.log').evaluate((log) => {
    const answer = [...log.querySelectorAll('.msg.from-bot[data-id]')].at(-1)!.getBoundingClientRect();
    const view = log.getBoundingClientRect();
    const firstLine = parseFloat(getComputedStyle(log).lineHeight);
    return {
      taller: answer.height > view.height,
      firstLineVisible: answer.top >= view.top && answer.top + firstLine <= view.bottom,
      endVisible: answer.bottom <= view.bottom + 1,
      atLogEnd: log.scrollHeight - log.scrollTop - log.clientHeight < 2,
    };
  });
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

test('375 px: a long answer is shown from its first line, a short one to its end; after a reload the conversation is at its end', async () => {
  const { page, problems } = await openChat(PHONE);
  await ask(page, '¿cuánto cuesta el envío?');
  await expect(lastAnswerInLog(page)).resolves.toMatchObject({ taller: false, endVisible: true, atLogEnd: true });

  await ask(page, LONG_ANSWER_QUESTION);
  await expect(answers(page).last().innerText()).resolves.toMatch(/garantía/i);
  await expect(lastAnswerInLog(page)).resolves.toMatchObject({ taller: true, firstLineVisible: true, atLogEnd: false });
  await screenshot(page, 'widget-long-answer-375');

  await page.reload();
  await answers(page).nth(1).waitFor();
  // The replayed history settles (REPLAY_SETTLE_MS) before its place is judged.
  await page.waitForFunction(() => document.getElementById('atento-chat')?.shadowRoot?.querySelector('.log')?.getAttribute('aria-busy') === 'false');
  await expect(lastAnswerInLog(page)).resolves.toMatchObject({ endVisible: true, atLogEnd: true });
  expect(problems).toEqual([]);
  await page.context().close();
});

test('375 px, full screen: a wheel over the chat never scrolls the shop page hidden behind it; the close button is a 44 px target', async () => {
  const { page, problems } = await openChat(PHONE);
  // A long shop page, so a wheel that leaks out of the chat would scroll it.
  await page.evaluate(() => (document.body.style.minHeight = '4000px'));
  const pageScrollAfterWheelOver = async (selector: string) => {
    const box = (await page.locator(selector).boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let turn = 0; turn < 3; turn++) await page.mouse.wheel(0, 600);
    // Wheel scrolling is asynchronous: give a leaking one time to move the page.
    await page.waitForTimeout(300);
    return page.evaluate(() => window.scrollY);
  };
  // Nothing to scroll yet: the greeting fits, and the header never scrolls.
  expect(await pageScrollAfterWheelOver('.log')).toBe(0);
  expect(await pageScrollAfterWheelOver('.header')).toBe(0);

  await ask(page, LONG_ANSWER_QUESTION);
  await ask(page, '¿cuánto cuesta el envío?');
  await expect(lastAnswerInLog(page)).resolves.toMatchObject({ atLogEnd: true });
  expect(await pageScrollAfterWheelOver('.log')).toBe(0);

  const close = (await page.getByRole('button', { name: 'Cerrar el chat' }).boundingBox())!;
  expect(close.width).toBeGreaterThanOrEqual(44);
  expect(close.height).toBeGreaterThanOrEqual(44);
  const header = (await page.locator('.header').boundingBox())!;
  expect(close.y).toBeGreaterThanOrEqual(header.y);
  expect(close.x + close.width).toBeLessThanOrEqual(header.x + header.width);
  await screenshot(page, 'widget-header-375');
  expect(problems).toEqual([]);
  await page.context().close();
});
