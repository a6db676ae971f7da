import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { hashPassword } from '../../src/auth';
import { AGENT_PASSWORD } from '../helpers/agent-client';
import { startTestServer, type TestServer } from '../helpers/app';
import { axeViolations } from '../helpers/axe';
import { agentPage, collectPageProblems, launchChromium, screenshot, SCREENSHOT_DIR } from '../helpers/browser';
import { ShopperClient } from '../helpers/shopper-client';
import { eventually } from '../helpers/wait';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildWeb } = require('../../scripts/build-web.js') as { buildWeb: (options: { quiet: boolean }) => Promise<unknown> };

/**
 * The editor's flow in real Chromium, from a question the bot missed to the bot answering it: the
 * group on the page, "try the bot" (no answer), add the question as a phrasing, try again (answered).
 */

const PROJECT = path.resolve(__dirname, '../..');
let root: string;
let server: TestServer;
let browser: Browser;
let cookie: string;

beforeAll(async () => {
  await buildWeb({ quiet: true });
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'atento-kbpage-browser-'));
  fs.cpSync(path.join(PROJECT, 'knowledge'), path.join(root, 'knowledge'), { recursive: true });
  fs.cpSync(path.join(PROJECT, 'intents'), path.join(root, 'intents'), { recursive: true });
  server = await startTestServer({ config: { knowledgeDir: path.join(root, 'knowledge'), intentsDir: path.join(root, 'intents'), watchKnowledge: true } });
  await server.app.store.agents.create({ email: 'eva@tienda.example', name: 'Eva', role: 'editor', passwordHash: hashPassword(AGENT_PASSWORD) });
  const res = await fetch(`${server.httpUrl}/agent/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'eva@tienda.example', password: AGENT_PASSWORD }) });
  cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

test('a missed question becomes a phrasing from the page, and trying it again gets the answer', async () => {
  const shopper = await ShopperClient.connect(server.socketUrl);
  await shopper.hello({ lang: 'es' });
  expect((await shopper.ask('¿dónde estaciono mi auto?')).reply.action).toBe('fallback');
  expect((await shopper.ask('donde estaciono el auto')).reply.action).toBe('fallback');
  await shopper.close();

  const page = await agentPage(browser, server, cookie);
  const problems = collectPageProblems(page);
  await page.goto(`${server.httpUrl}/agent/knowledge`);
  const group = page.locator('.kb-group', { hasText: 'donde estaciono el auto' });
  await group.waitFor();
  await page.getByText(/Los archivos no tienen errores/).waitFor();
  await expect(group.locator('.kb-meta').textContent()).resolves.toMatch(/^2 preguntas en español \(2 no entendió\)/);

  // Try the bot, by keyboard: no answer yet.
  await page.getByLabel('Pregunta', { exact: true }).fill('¿dónde estaciono mi auto?');
  await page.getByLabel('Pregunta', { exact: true }).press('Enter');
  await page.locator('.kb-try .kb-decision', { hasText: 'No entiende' }).waitFor();
  await screenshot(page, 'knowledge-before');
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'knowledge-page-full.png'), fullPage: true });

  // From the group: its questions go to the phrasings form; the editor picks the FAQ.
  await group.getByRole('button', { name: 'Agregar a una FAQ' }).click();
  await expect(page.getByLabel('Frases nuevas (una por línea)').inputValue()).resolves.toBe('donde estaciono el auto\n¿dónde estaciono mi auto?');
  await page.getByLabel('FAQ', { exact: true }).selectOption('contact');
  await page.getByRole('button', { name: 'Agregar frases' }).click();
  await page.getByText(/Se agregaron 2 frases a contact\. Guardado en es\/tienda\.md \(copia anterior en \.backups\/es\/tienda\..*\.md\)\. Ya responde el bot/).waitFor();

  // The page tries the same question again after the edit: now answered.
  await page.locator('.kb-try .kb-decision', { hasText: 'Responde → contact' }).waitFor();
  await page.locator('#edit-result').evaluate((element) => element.scrollIntoView());
  await page.locator('#try-title').scrollIntoViewIfNeeded();
  await screenshot(page, 'knowledge-after');
  expect(fs.readFileSync(path.join(root, 'knowledge/es/tienda.md'), 'utf8')).toContain('- donde estaciono el auto\n- ¿dónde estaciono mi auto?\n');

  expect(await axeViolations(page)).toEqual([]);

  // The same phrasing again: refused, in Spanish like the rest of the page.
  await page.getByLabel('Frases nuevas (una por línea)').fill('donde estaciono el auto');
  await page.getByLabel('FAQ', { exact: true }).selectOption('contact');
  await page.getByRole('button', { name: 'Agregar frases' }).click();
  await page.getByRole('alert').getByText('No se guardó nada: "contact" ya tiene todas estas frases').waitFor();

  // A new FAQ whose id is taken: refused with file:line, and the file is not touched.
  const tienda = fs.readFileSync(path.join(root, 'knowledge/es/tienda.md'), 'utf8');
  await page.getByLabel('Identificador (minúsculas, números y guiones)').fill('contact');
  await page.locator('#faq-es-question').fill('¿Tienen estacionamiento?');
  await page.locator('#faq-es-answer').fill('Sí.');
  await page.getByRole('button', { name: 'Crear FAQ', exact: true }).click();
  const refused = page.getByRole('alert').filter({ hasText: 'No se guardó nada: el cambio dejaría 1 error' });
  // The loader meets es/nuevas.md first, so the existing entry is the one named as the duplicate.
  // In the page's language, naming files as the editor picks them.
  await refused.getByText('es/tienda.md:4: el id "contact" ya se usa en es/nuevas.md:2: pon otro id a esta entrada (cada id es único en su idioma)').waitFor();
  await screenshot(page, 'knowledge-refused');
  expect(fs.readFileSync(path.join(root, 'knowledge/es/tienda.md'), 'utf8')).toBe(tienda);
  expect(fs.existsSync(path.join(root, 'knowledge/es/nuevas.md'))).toBe(false);
  // Chromium logs every 4xx response; the refused edit's 400 is the one expected, nothing else.
  expect(problems).toEqual(Array(2).fill('console: Failed to load resource: the server responded with a status of 400 (Bad Request)'));
});

test('a phrasing that belongs to another FAQ shows under "Frases que se confunden" once it is added', async () => {
  const page = await agentPage(browser, server, cookie);
  const problems = collectPageProblems(page);
  await page.goto(`${server.httpUrl}/agent/knowledge`);
  const overlaps = page.locator('#overlaps-list');
  await overlaps.getByText('Ninguna frase se confunde con otra FAQ.').waitFor();

  // Worded unlike any phrasing (no "also a phrasing of" warning), but it is shipping-cost's question.
  await page.getByLabel('Frases nuevas (una por línea)').fill('precio del envio');
  await page.getByLabel('FAQ', { exact: true }).selectOption('contact');
  await page.getByRole('button', { name: 'Agregar frases' }).click();
  const confused = overlaps.locator('li', { hasText: '«precio del envio» (español) es de' });
  await confused.waitFor();
  expect(await confused.innerText()).toMatch(/es de ¿.+\? \(\d+ %, es\/tienda\.md:\d+\), pero se parece a ¿Cuánto cuesta el envío\?.* \(\d+ %\)\.$/);
  await page.locator('#overlaps-title').scrollIntoViewIfNeeded();
  await screenshot(page, 'knowledge-overlaps');
  expect(problems).toEqual([]);
});

test('"Datos de ejemplo por cambiar" says how many demo facts the answers show, and which, until the shop sets them', async () => {
  const page = await agentPage(browser, server, cookie);
  await page.goto(`${server.httpUrl}/agent/knowledge`);
  const region = page.locator('#placeholders-list');
  await region.getByText(/^\d+ datos de las respuestas son de ejemplo y el bot los muestra tal cual: \d+ se toman del perfil de demostración MX \(defínelos en knowledge\/shop\.json\)/).waitFor();
  await region.getByText('Ver la lista').click();
  await region.locator('li', { hasText: 'es/envios.md:35 · shipping-cost: shipping-standard-price muestra «$99 MXN»' }).waitFor();
  await page.locator('#placeholders-title').scrollIntoViewIfNeeded();
  await screenshot(page, 'knowledge-placeholders');

  // Set by the shop: that fact is no longer listed.
  fs.writeFileSync(path.join(root, 'knowledge/shop.json'), JSON.stringify({ es: { 'shipping-standard-price': '$79 MXN' } }));
  await eventually(async () => {
    await page.reload();
    await region.getByText('Ver la lista').click();
    expect(await region.locator('li', { hasText: 'es/envios.md:35 · shipping-cost: shipping-standard-price' }).count()).toBe(0);
    expect(await region.locator('li', { hasText: 'es/envios.md:35 · shipping-cost: standard-shipping muestra «Envío estándar»' }).count()).toBe(1);
  }, 10_000);
  await page.close();
});

test('in English when the editor picks English in the team bar: the page, the bot\'s decision and a refused edit', async () => {
  const page = await agentPage(browser, server, cookie);
  const problems = collectPageProblems(page);
  await page.goto(`${server.httpUrl}/agent/knowledge`);
  await page.locator('select[data-lang-switch]').selectOption('en');
  await page.getByRole('heading', { name: 'Try the bot' }).waitFor();
  expect(await page.locator('html').getAttribute('lang')).toBe('en');

  await page.getByLabel('Question', { exact: true }).fill('how much is shipping');
  await page.getByLabel('Question', { exact: true }).press('Enter');
  await page.locator('.kb-try .kb-decision', { hasText: /^Decision: (Answers|Asks to clarify) → shipping-cost \(confidence \d+ %, English\)$/ }).waitFor();
  expect(await page.locator('.kb-try .kb-why').innerText()).toMatch(/^Why: the best candidate /);

  // Phrasings the FAQ already has: refused, in English too.
  await page.getByLabel('Language', { exact: true }).nth(2).selectOption('en');
  await page.getByLabel('New phrasings (one per line)').fill('shipping fee');
  await page.getByLabel('FAQ', { exact: true }).selectOption('shipping-cost');
  await page.getByRole('button', { name: 'Add phrasings' }).click();
  await page.getByRole('alert').getByText('Nothing was saved: "shipping-cost" already has every one of these phrasings').waitFor();
  await screenshot(page, 'knowledge-english');
  expect(problems).toEqual(['console: Failed to load resource: the server responded with a status of 400 (Bad Request)']);
  await page.locator('select[data-lang-switch]').selectOption('es');
  await page.getByRole('heading', { name: 'Probar el bot' }).waitFor();
});

test('the shop\'s name, not "{shop}", in the FAQ list and in the candidates, as shoppers see the questions', async () => {
  const page = await agentPage(browser, server, cookie);
  await page.goto(`${server.httpUrl}/agent/knowledge`);
  const faqList = page.getByLabel('FAQ', { exact: true });
  await faqList.locator('option[value="payment-security"]').waitFor({ state: 'attached' });
  expect(await faqList.locator('option[value="payment-security"]').textContent()).toBe('¿Es seguro comprar en Tienda Demo? (payment-security)');

  await page.getByLabel('Pregunta', { exact: true }).fill('es seguro comprar aqui');
  await page.getByLabel('Pregunta', { exact: true }).press('Enter');
  const candidate = page.locator('.kb-try tbody tr', { hasText: 'payment-security' });
  await candidate.waitFor();
  expect(await candidate.locator('.kb-question').textContent()).toBe('¿Es seguro comprar en Tienda Demo?');
  expect(await page.locator('main').innerText()).not.toContain('{shop}');
  await page.close();
});

test('a new FAQ without its main question is refused in words, in the page\'s language, not as a field path', async () => {
  const page = await agentPage(browser, server, cookie);
  const problems = collectPageProblems(page);
  await page.goto(`${server.httpUrl}/agent/knowledge`);
  await page.getByLabel('Identificador (minúsculas, números y guiones)').fill('estacionamiento');
  await page.locator('#faq-es-answer').fill('Sí, gratis.');
  await page.getByRole('button', { name: 'Crear FAQ', exact: true }).click();
  const refused = page.getByRole('alert');
  await refused.getByText('No se guardó nada: la pregunta principal en español está vacía').waitFor();
  expect(await refused.innerText()).not.toContain('languages.');
  expect(problems).toEqual(['console: Failed to load resource: the server responded with a status of 400 (Bad Request)']);
  await page.close();
});

test('try the bot shows what `atento ask` does: why, the unknown words, the "did you mean" buttons and the related questions', async () => {
  const page = await agentPage(browser, server, cookie);
  const problems = collectPageProblems(page);
  await page.goto(`${server.httpUrl}/agent/knowledge`);
  const ask = async (text: string) => {
    await page.getByLabel('Pregunta', { exact: true }).fill(text);
    await page.getByLabel('Pregunta', { exact: true }).press('Enter');
    await page.locator('.kb-try p', { hasText: `Pregunta: ${text}` }).waitFor();
    return page.locator('.kb-try');
  };

  // "zorblax" is no word of the shop's; the rest is two FAQs' topic.
  const clarify = await ask('zorblax el cartero no vino');
  await clarify.locator('.kb-decision', { hasText: 'Pide aclarar' }).waitFor();
  expect(await clarify.locator('.kb-why').innerText()).toBe('Por qué: la mejor candidata está por debajo del umbral para responder, pero por encima del de aclarar: se ofrece para elegir.');
  expect(await clarify.locator('.kb-unknown').innerText()).toMatch(/^Palabras que ninguna FAQ usa: zorblax \(/);
  const buttons = clarify.locator('.kb-options li');
  expect(await clarify.locator('.kb-options').innerText()).toMatch(/^Botones que vería el cliente:/);
  expect(await buttons.count()).toBeGreaterThanOrEqual(1);
  expect(await buttons.first().innerText()).toBe('Mi pedido dice entregado pero no lo recibí order-not-received');
  await page.locator('section[aria-labelledby="try-title"]').screenshot({ path: path.join(SCREENSHOT_DIR, 'knowledge-try-clarify.png') });

  const answer = await ask('es seguro comprar aqui');
  await answer.locator('.kb-decision', { hasText: 'Responde → payment-security' }).waitFor();
  expect(await answer.locator('.kb-options').count()).toBe(0);
  expect(await answer.locator('.kb-related li').allInnerTexts()).toContain('¿Qué formas de pago aceptan? payment-methods');
  expect(await answer.locator('.kb-why').innerText()).toBe('Por qué: la mejor candidata superó el umbral para responder y ninguna otra entrada quedó cerca.');
  expect(await axeViolations(page)).toEqual([]);
  expect(problems).toEqual([]);
  await page.close();
});

test('the status lists its warnings, each with file:line and in the page\'s language: a phrasing two FAQs share, a FAQ without its translation', async () => {
  const post = (route: string, body: unknown) =>
    fetch(`${server.httpUrl}${route}`, { method: 'POST', headers: { cookie, 'content-type': 'application/json', origin: server.httpUrl }, body: JSON.stringify(body) });
  expect((await post('/agent/api/knowledge/phrasings', { id: 'contact', lang: 'es', phrasings: ['es seguro comprar aqui'] })).status).toBe(200);
  const bikes = { question: '¿Puedo dejar mi bici?', phrasings: ['hay lugar para bicis', 'donde dejo la bicicleta', 'tienen bicicletero'], answer: 'Sí, en la entrada.', file: 'es/tienda.md' };
  expect((await post('/agent/api/knowledge/faqs', { id: 'bike-rack', languages: { es: bikes } })).status).toBe(200);

  const page = await agentPage(browser, server, cookie);
  const problems = collectPageProblems(page);
  await page.goto(`${server.httpUrl}/agent/knowledge`);
  const status = page.locator('#kb-status');
  const summary = await status.locator('p').first().innerText();
  const count = Number(/; (\d+) avisos?\.$/.exec(summary)?.[1]);
  expect(count).toBeGreaterThanOrEqual(2);
  await status.getByText('Ver los avisos').click();
  const warnings = status.locator('details li');
  expect(await warnings.count()).toBe(count);
  const texts = await warnings.allInnerTexts();
  expect(texts).toContainEqual(expect.stringMatching(/es\/tienda\.md:\d+: "bike-rack" no tiene traducción al inglés: agrega una entrada con el mismo id en esa carpeta$/));
  expect(texts).toContainEqual(expect.stringMatching(/es\/tienda\.md:\d+: "es seguro comprar aqui" también es una frase de "payment-security" \(.*es\/pagos\.md:\d+\): déjala en una sola entrada$/));
  await page.locator('#status-title').scrollIntoViewIfNeeded();
  await page.locator('section[aria-labelledby="status-title"]').screenshot({ path: path.join(SCREENSHOT_DIR, 'knowledge-status-warnings.png') });
  expect(await axeViolations(page)).toEqual([]);
  expect(problems).toEqual([]);
  await page.close();
});
