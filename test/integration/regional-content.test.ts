import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseConfig } from '../../src/config';
import { startEngineHost, type EngineHost } from '../../src/engine';
import { LANGUAGES, SHOP_COUNTRIES } from '../../src/knowledge';
import { startTestServer } from '../helpers/app';
import { ShopperClient } from '../helpers/shopper-client';

/**
 * Regional content through the running parts (per-country answers and kb check are in
 * test/dialogue/regional-content.test.ts): the real server, hot reload of shop.json, every answer.
 */

const ROOT = path.resolve(__dirname, '../..');
const hosts: EngineHost[] = [];
afterAll(() => hosts.forEach((host) => host.close()));

test.each(SHOP_COUNTRIES)('%s: no answer, in any language, shows a raw [[…]] or a hyphenated key name', (shopCountry) => {
  const host = startEngineHost(parseConfig({ knowledgeDir: path.join(ROOT, 'knowledge'), intentsDir: path.join(ROOT, 'intents'), watchKnowledge: false, shopCountry }));
  hosts.push(host);
  const engine = host.current();
  // Hyphenated keys ("payment-cards") cannot be ordinary words of an answer; "receipt" can.
  const keys = Object.keys((JSON.parse(fs.readFileSync(path.join(ROOT, 'knowledge/regions', `${shopCountry.toLowerCase()}.json`), 'utf8')) as { es: object }).es).filter((key) => key.includes('-'));
  for (const lang of LANGUAGES) {
    for (const { id } of engine.knowledge.entries.filter((entry) => entry.lang === lang && entry.kind === 'faq')) {
      const text = engine.replyFor(id, lang)?.text ?? '';
      expect(text).not.toMatch(/\[\[|\]\]/);
      for (const key of keys) expect(text).not.toContain(key);
    }
  }
});

test('through the real server: a shopper of a Chilean shop hears about Webpay and the boleta', async () => {
  const server = await startTestServer({ config: { shopCountry: 'CL' } });
  const shopper = await ShopperClient.connect(server.socketUrl);
  try {
    await shopper.hello({ lang: 'es' });
    expect((await shopper.ask('como puedo pagar')).reply.text).toContain('Webpay');
    expect((await shopper.ask('quiero boleta con mi rut')).reply.text).toContain('boleta electrónica');
  } finally {
    await shopper.close();
    await server.stop();
  }
});

test('knowledge/shop.json saved while the bot runs changes its answers without a restart', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'atento-region-'));
  fs.cpSync(path.join(ROOT, 'knowledge'), path.join(root, 'knowledge'), { recursive: true });
  const host = startEngineHost(
    parseConfig({ knowledgeDir: path.join(root, 'knowledge'), intentsDir: path.join(ROOT, 'intents'), watchKnowledge: true, shopCountry: 'CL' }),
  );
  hosts.push(host);
  const before = host.current().version;
  fs.writeFileSync(path.join(root, 'knowledge/shop.json'), JSON.stringify({ es: { 'payment-online': 'Khipu y Mach' } }));
  for (let i = 0; i < 100 && host.current().version === before; i++) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(host.current().respond('que formas de pago aceptan', { lang: 'es' }).text).toContain('Khipu y Mach');
  fs.rmSync(root, { recursive: true, force: true });
});
