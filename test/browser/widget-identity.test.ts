import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import type { EngineHost } from '../../src/engine';
import { shopperHash } from '../../src/session';
import { projectEngineHost, startTestServer, type TestServer } from '../helpers/app';
import { collectPageProblems, launchChromium } from '../helpers/browser';
import { dbOf } from '../helpers/db';

/**
 * The shop's page vouches for its logged-in user on the script tag (data-user-*). A real shop page at
 * another origin, a real browser per device: the verified user's chat follows them; a forged hash
 * links nothing and the shopper never sees an error for the shop's mistake.
 */

const SECRET = 'shop-secret-for-the-widget-identity-test-0123';

let engineHost: EngineHost;
let server: TestServer;
let browser: Browser;
let shop: http.Server;
let shopOrigin: string;
/** What the shop renders for each path: the user attributes of its script tag. */
const pages: Record<string, Record<string, string>> = {};

beforeAll(async () => {
  engineHost = projectEngineHost();
  shop = http.createServer((req, res) => {
    const user = pages[(req.url ?? '/').slice(1)];
    if (!user) return void res.writeHead(404).end();
    const attributes = Object.entries(user).map(([name, value]) => ` data-user-${name}="${value}"`).join('');
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><html lang="es"><head><title>Tienda</title><link rel="icon" href="data:,"></head>
      <body><h1>Mi cuenta</h1><script src="${server.httpUrl}/widget.js"${attributes} defer></script></body></html>`);
  });
  await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
  shopOrigin = `http://localhost:${(shop.address() as AddressInfo).port}`;
  server = await startTestServer({ deps: { engineHost }, config: { identitySecret: SECRET, allowedOrigins: [shopOrigin] } });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await new Promise((resolve) => shop?.close(resolve));
  engineHost?.close();
});

/** A fresh browser profile: another device, nothing in localStorage. */
async function device(path: string): Promise<{ page: Page; problems: string[]; warnings: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const problems = collectPageProblems(page);
  const warnings: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'warning') warnings.push(message.text());
  });
  await page.goto(`${shopOrigin}/${path}`);
  await page.getByRole('button', { name: 'Abrir el chat de ayuda' }).click();
  return { page, problems, warnings };
}

async function ask(page: Page, text: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Tu mensaje' }).fill(text);
  await page.keyboard.press('Enter');
}

const answers = (page: Page) => page.locator('.msg.from-bot[data-id]');

test('a verified user continues on a second device; a forged hash gets neither their chat nor their name', async () => {
  pages.marta = { id: 'cliente-1001', name: 'Marta Díaz', email: 'marta@example.com', hash: shopperHash(SECRET, { id: 'cliente-1001', name: 'Marta Díaz', email: 'marta@example.com' }) };
  pages.forged = { id: 'cliente-1001', name: 'Marta Díaz', hash: shopperHash('a-secret-the-attacker-made-up-0123456789', { id: 'cliente-1001', name: 'Marta Díaz' }) };

  const laptop = await device('marta');
  await ask(laptop.page, '¿cuánto cuesta el envío?');
  await answers(laptop.page).first().waitFor();
  const linked = dbOf(server.app.store).prepare('SELECT id, shopper_name AS name FROM conversations WHERE shopper_id = ?').all('cliente-1001');
  expect(linked).toEqual([{ id: expect.any(String), name: 'Marta Díaz' }]);

  const phone = await device('marta');
  await phone.page.locator('.msg.from-shopper', { hasText: '¿cuánto cuesta el envío?' }).waitFor();

  const attacker = await device('forged');
  await ask(attacker.page, '¿hacen envíos a regiones?');
  await answers(attacker.page).first().waitFor();
  const transcript = await attacker.page.locator('.msg').allInnerTexts();
  expect(transcript.join('\n')).not.toMatch(/cuánto cuesta el envío|Marta/);
  expect(await attacker.page.locator('.notice, [role="alert"]').allInnerTexts()).not.toContainEqual(expect.stringMatching(/salió mal/));
  expect(attacker.warnings.some((line) => line.includes('data-user-hash'))).toBe(true);
  expect(dbOf(server.app.store).prepare('SELECT count(*) AS n FROM conversations WHERE shopper_id = ?').get('cliente-1001')).toEqual({ n: 1 });

  for (const { page, problems } of [laptop, phone, attacker]) {
    expect(problems).toEqual([]);
    await page.context().close();
  }
});
