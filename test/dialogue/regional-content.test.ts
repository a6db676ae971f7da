import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseConfig } from '../../src/config';
import { createEngine, engineOptions } from '../../src/engine';
import { loadKnowledge, type ShopCountry } from '../../src/knowledge';
import { runCli } from '../cli/run-cli';

/** One knowledge base, three countries: payment methods, tax documents and prices follow ATENTO_SHOP_COUNTRY. */
const root = path.join(__dirname, '..', '..');

function engineFor(shopCountry: ShopCountry, knowledgeDir = path.join(root, 'knowledge')) {
  const config = parseConfig({ knowledgeDir, intentsDir: path.join(root, 'intents'), shopCountry });
  const knowledge = loadKnowledge(config);
  return { knowledge, engine: createEngine(knowledge, engineOptions(config)) };
}

const answer = (engine: ReturnType<typeof engineFor>['engine'], question: string) => {
  const reply = engine.respond(question, { lang: 'es' });
  expect(reply.action).toBe('answer');
  return reply.text;
};

test.each([
  ['CL', ['Webpay', 'Servipag'], ['boleta', 'RUT'], 'Despacho estándar:** $3.990 CLP'],
  ['CO', ['PSE', 'Nequi', 'Efecty'], ['factura electrónica', 'NIT'], 'Envío estándar:** $12.000 COP'],
  ['MX', ['OXXO', 'SPEI'], ['RFC', 'CFDI'], 'Envío estándar:** $99 MXN'],
] as const)('%s: the shopper reads their country\'s payment methods, tax documents and prices', (country, payments, tax, shipping) => {
  const { engine, knowledge } = engineFor(country);
  expect(knowledge.problems.filter((p) => p.severity === 'error')).toEqual([]);
  const pay = answer(engine, '¿cómo puedo pagar?');
  for (const word of payments) expect(pay).toContain(word);
  const invoice = answer(engine, 'necesito boleta o factura');
  for (const word of tax) expect(invoice).toContain(word);
  expect(answer(engine, '¿cuánto cuesta el envío?')).toContain(shipping);
  for (const text of [pay, invoice]) expect(text).not.toMatch(/\[\[|\]\]/);
});

test('a value the shop sets in knowledge/shop.json wins over the demo profile and is no longer listed by kb check', () => {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'atento-kb-'));
  fs.cpSync(path.join(root, 'knowledge'), copy, { recursive: true });
  fs.writeFileSync(path.join(copy, 'shop.json'), JSON.stringify({ es: { 'payment-online': 'Khipu y Mach' } }));
  const { engine } = engineFor('CL', copy);
  const pay = answer(engine, '¿cómo puedo pagar?');
  expect(pay).toContain('Khipu y Mach');
  expect(pay).not.toContain('Webpay, Mercado Pago');

  const env = { ATENTO_KNOWLEDGE_DIR: copy, ATENTO_INTENTS_DIR: path.join(root, 'intents'), ATENTO_SHOP_COUNTRY: 'cl' };
  const check = runCli(['kb', 'check'], { env });
  expect(check.code).toBe(0);
  expect(check.stdout).toMatch(/pagos\.md:\d+: demo value: \[\[payment-cards\]\] in payment-methods shows "Visa, Mastercard, American Express y Redcompra" from the CL demo profile: set "payment-cards" in knowledge\/shop\.json/);
  expect(check.stdout).not.toMatch(/es\/pagos\.md:\d+: demo value: \[\[payment-online\]\]/);
  expect(check.stdout).toMatch(/en\/payments\.md:\d+: demo value: \[\[payment-online\]\]/);

  fs.writeFileSync(path.join(copy, 'shop.json'), '{ "es": ');
  const broken = runCli(['kb', 'check'], { env });
  expect(broken.code).toBe(1);
  expect(broken.stdout).toMatch(/shop\.json:0: error: not valid JSON/);
  fs.rmSync(copy, { recursive: true, force: true });
});

test('an unknown country is refused at start-up with the choices', () => {
  expect(() => parseConfig({ shopCountry: 'AR' as ShopCountry })).toThrow(/MX.*CL.*CO[\s\S]*shopCountry/);
});
