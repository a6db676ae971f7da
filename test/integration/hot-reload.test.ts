import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseConfig } from '../../src/config';
import { startEngineHost, type EngineHost } from '../../src/engine';

const FAQ = (id: string, question: string, phrasings: string[], answer: string) =>
  [`## ${question}`, `id: ${id}`, '', '### Frases', ...phrasings.map((p) => `- ${p}`), '', '### Respuesta', answer, ''].join('\n');

async function until<T>(probe: () => T | undefined, what: string): Promise<T> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const value = probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('editing the knowledge base without a restart', () => {
  let root: string;
  let host: EngineHost;
  const logs: string[] = [];

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'atento-reload-'));
    fs.mkdirSync(path.join(root, 'knowledge/es'), { recursive: true });
    fs.mkdirSync(path.join(root, 'intents/es'), { recursive: true });
    fs.writeFileSync(
      path.join(root, 'knowledge/es/envios.md'),
      FAQ('shipping-time', '¿Cuánto tarda el envío?', ['cuanto demora el despacho', 'en cuantos dias llega mi pedido', 'tiempo de entrega'], 'De 3 a 5 días.'),
    );
    const config = parseConfig({ knowledgeDir: path.join(root, 'knowledge'), intentsDir: path.join(root, 'intents'), watchKnowledge: true });
    host = startEngineHost(config, (line) => logs.push(line));
  });
  afterEach(() => {
    host.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('answers a FAQ added while running', async () => {
    const question = 'aceptan tarjetas de credito para pagar';
    expect(host.current().respond(question, { lang: 'es' }).id).not.toBe('payment-methods');
    fs.writeFileSync(
      path.join(root, 'knowledge/es/pagos.md'),
      FAQ('payment-methods', '¿Qué medios de pago aceptan?', ['aceptan tarjeta de credito', 'puedo pagar con tarjeta', 'formas de pago', 'pagar en efectivo'], 'Tarjetas y efectivo.'),
    );
    const reply = await until(() => {
      const r = host.current().respond(question, { lang: 'es' });
      return r.id === 'payment-methods' ? r : undefined;
    }, 'the new FAQ to be answered');
    expect(reply.text).toBe('Tarjetas y efectivo.');
  });

  it('keeps the good entries and reports the broken one when a save breaks a file', async () => {
    const before = host.current().version;
    fs.writeFileSync(path.join(root, 'knowledge/es/roto.md'), '## Sin id\n### Respuesta\nnada');
    const engine = await until(() => (host.current().version !== before ? host.current() : undefined), 'a reload');
    expect(engine.respond('cuanto demora el despacho', { lang: 'es' }).id).toBe('shipping-time');
    expect(logs.some((line) => line.includes(`roto.md:1: error: entry "Sin id" has no id`))).toBe(true);
  });
});
