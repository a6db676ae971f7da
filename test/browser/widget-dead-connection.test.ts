import net from 'node:net';
import { collectPageProblems, screenshot } from '../helpers/browser';
import { useBrowserServer } from '../helpers/browser-server';

/**
 * A connection can die without the browser knowing: a phone changes networks, a NAT forgets it. The
 * socket then stays "open" and a message sent on it goes nowhere. The widget must notice, say so, and
 * deliver the message once the network is back: here a proxy between the page and the server stops
 * forwarding without closing anything, the way such a network behaves.
 */

const context = useBrowserServer();

/** A TCP proxy that can go silent: while frozen it forwards nothing and closes nothing. */
async function silentProxy(targetPort: number) {
  let frozen = false;
  const pairs = new Set<[net.Socket, net.Socket]>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    const pair: [net.Socket, net.Socket] = [client, upstream];
    pairs.add(pair);
    client.on('data', (chunk) => frozen || upstream.write(chunk));
    upstream.on('data', (chunk) => frozen || client.write(chunk));
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    freeze: () => (frozen = true),
    /** Back, as after a network change: what was opened meanwhile is reset, new connections get through. */
    thaw: () => {
      frozen = false;
      for (const [client, upstream] of pairs) {
        client.destroy();
        upstream.destroy();
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

test('a connection that died silently: the message waits as "Enviando…", the widget says it is reconnecting, and the message is answered once the network is back', async () => {
  const { server, browser } = context;
  const proxy = await silentProxy(Number(new URL(server.httpUrl).port));
  const browsing = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'es-MX' });
  const page = await browsing.newPage();
  const problems = collectPageProblems(page);
  try {
    await page.goto(`http://127.0.0.1:${proxy.port}/`);
    await page.getByRole('button', { name: 'Abrir el chat de ayuda' }).click();
    await page.getByRole('button', { name: 'Hablar con una persona' }).waitFor();
    const input = page.getByRole('textbox', { name: 'Tu mensaje' });
    await input.fill('hola');
    await input.press('Enter');
    await page.locator('.msg.from-bot[data-id]').nth(0).waitFor();

    proxy.freeze();
    await input.fill('¿cuánto cuesta el envío?');
    await input.press('Enter');
    const pending = page.locator('.msg.from-shopper.pending', { hasText: '¿cuánto cuesta el envío?' });
    await pending.waitFor();
    // Within the widget's 15 s of silence (and some slack), not at the browser's TCP timeout minutes later.
    await page.getByText('Sin conexión. Reintentando…').waitFor({ timeout: 25_000 });
    expect(await page.locator('.typing:visible').count()).toBe(0);
    expect(await pending.count()).toBe(1);
    await screenshot(page, 'widget-dead-connection');

    proxy.thaw();
    await page.locator('.msg.from-bot[data-id]', { hasText: /envío/i }).first().waitFor({ timeout: 40_000 });
    await pending.waitFor({ state: 'detached' });
    expect(await page.locator('.msg.from-shopper', { hasText: '¿cuánto cuesta el envío?' }).count()).toBe(1);
    expect(problems.filter((problem) => !/WebSocket/.test(problem))).toEqual([]);
  } finally {
    await browsing.close();
    await proxy.close();
  }
}, 90_000);

test('the device says it is offline: the widget says so at once, and sends what was typed meanwhile when the network is back', async () => {
  const { server, browser } = context;
  const browsing = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'es-MX' });
  const page = await browsing.newPage();
  try {
    await page.goto(`${server.httpUrl}/`);
    await page.getByRole('button', { name: 'Abrir el chat de ayuda' }).click();
    await page.getByRole('button', { name: 'Hablar con una persona' }).waitFor();
    await browsing.setOffline(true);
    await page.getByText('Sin conexión. Reintentando…').waitFor({ timeout: 3_000 });
    const input = page.getByRole('textbox', { name: 'Tu mensaje' });
    await input.fill('¿tienen tienda física?');
    await input.press('Enter');
    await page.locator('.msg.from-shopper.pending').waitFor();
    expect(await page.locator('.typing:visible').count()).toBe(0);

    await browsing.setOffline(false);
    await page.locator('.msg.from-shopper.pending').waitFor({ state: 'detached', timeout: 10_000 });
    await page.locator('.msg.from-bot[data-id]').nth(0).waitFor();
    expect(await page.locator('.msg.from-shopper', { hasText: '¿tienen tienda física?' }).count()).toBe(1);
  } finally {
    await browsing.close();
  }
}, 60_000);
