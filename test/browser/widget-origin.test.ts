import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { screenshot } from '../helpers/browser';
import { useBrowserServer } from '../helpers/browser-server';

/**
 * A shop that embeds the widget before listing its site in ATENTO_ALLOWED_ORIGINS: the server refuses the
 * socket, which a page cannot tell from a network error. The widget asks the server once, then says the
 * chat is not available here, tells the page's developer which setting to change, and stops retrying.
 */

const context = useBrowserServer();

test('on a site that is not an allowed origin, the widget says the chat is unavailable, names ATENTO_ALLOWED_ORIGINS in the console and stops retrying', async () => {
  const { server, browser } = context;
  const shop = http.createServer((_req, res) => {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><html lang="es"><body><h1>Otra tienda</h1><script src="${server.httpUrl}/widget.js" data-title="Otra tienda" async></script></body></html>`);
  });
  await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
  const shopUrl = `http://127.0.0.1:${(shop.address() as AddressInfo).port}`;
  const browsing = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'es-MX' });
  const page = await browsing.newPage();
  const warnings: string[] = [];
  page.on('console', (message) => message.type() === 'warning' && warnings.push(message.text()));
  let sockets = 0;
  page.on('websocket', () => sockets++);
  try {
    await page.goto(shopUrl);
    await page.getByRole('button', { name: 'Abrir el chat de ayuda' }).click();
    await page.getByText('El chat no está disponible en esta página.').first().waitFor();
    expect(warnings).toEqual([expect.stringContaining(`this page's origin (${shopUrl}) may not embed the chat. Add it to ATENTO_ALLOWED_ORIGINS`)]);
    expect(await page.getByRole('textbox', { name: 'Tu mensaje' }).isDisabled()).toBe(true);
    await screenshot(page, 'widget-origin-refused');
    const attempts = sockets;
    await page.waitForTimeout(3000);
    expect(sockets).toBe(attempts);
  } finally {
    await browsing.close();
    await new Promise<void>((resolve) => shop.close(() => resolve()));
  }
});

test('the server tells any page whether its origin may embed the chat', async () => {
  const { server } = context;
  const ask = (origin?: string) => fetch(`${server.httpUrl}/widget/origin`, { headers: origin ? { Origin: origin } : {} }).then(async (response) => ({ cors: response.headers.get('access-control-allow-origin'), ...((await response.json()) as object) }));
  expect(await ask('https://otra-tienda.example')).toEqual({ cors: '*', allowed: false });
  expect(await ask(server.httpUrl)).toEqual({ cors: '*', allowed: true });
});
