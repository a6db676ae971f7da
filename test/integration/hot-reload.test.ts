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

  const file = (name: string) => path.join(root, 'knowledge/es', name);
  const answerTo = (question: string) => host.current().respond(question, { lang: 'es' }).id;
  const answered = (question: string, id: string, what: string) => until(() => (answerTo(question) === id ? true : undefined), what);
  const PAYMENT = FAQ('payment-methods', '¿Qué medios de pago aceptan?', ['aceptan tarjeta de credito', 'puedo pagar con tarjeta', 'formas de pago', 'pagar en efectivo'], 'Tarjetas y efectivo.');
  const RETURNS = FAQ('returns', '¿Cómo devuelvo un producto?', ['quiero devolver un producto', 'como hago una devolucion', 'politica de devoluciones'], 'Tienes 30 días.');

  it('does not put a change with errors live, keeps serving the last good base and reports file:line', async () => {
    const good = host.current().version;
    fs.writeFileSync(file('roto.md'), '## Sin id\n### Respuesta\nnada');
    const rejected = await until(() => host.status().rejected, 'the broken change to be refused');
    expect(rejected.problems[0]).toMatchObject({ file: file('roto.md'), line: 1, severity: 'error' });
    expect(host.current().version).toBe(good);
    expect(answerTo('cuanto demora el despacho')).toBe('shipping-time');
    expect(logs.some((line) => line.includes('roto.md:1: error: entry "Sin id" has no id'))).toBe(true);
    // Fixing the file puts it live and clears the refusal.
    fs.writeFileSync(file('roto.md'), PAYMENT);
    await answered('formas de pago', 'payment-methods', 'the fixed file to go live');
    expect(host.status().rejected).toBeUndefined();
  });

  it('keeps the old answer when an edit deletes an id (the shipping-cost defect)', async () => {
    fs.writeFileSync(file('envios.md'), fs.readFileSync(file('envios.md'), 'utf8') + '\n' + FAQ('shipping-cost', '¿Cuánto cuesta el envío?', ['precio del envio', 'cuanto cobran por enviar', 'costo de despacho'], 'Gratis.'));
    await answered('precio del envio', 'shipping-cost', 'shipping-cost to load');
    fs.writeFileSync(file('envios.md'), fs.readFileSync(file('envios.md'), 'utf8').replace('id: shipping-cost\n', ''));
    await until(() => host.status().rejected, 'the edit to be refused');
    expect(answerTo('precio del envio')).toBe('shipping-cost');
  });

  it('follows a file saved atomically (write a temp file, rename over) and later edits to it', async () => {
    fs.writeFileSync(file('.pagos.md.tmp'), PAYMENT);
    fs.renameSync(file('.pagos.md.tmp'), file('pagos.md'));
    await answered('formas de pago', 'payment-methods', 'the atomically saved file');
    for (let save = 0; save < 2; save++) {
      const text = save === 0 ? PAYMENT.replace('Tarjetas y efectivo.', 'Solo tarjetas.') : PAYMENT.replace('Tarjetas y efectivo.', 'Solo efectivo.');
      fs.writeFileSync(file('pagos.md.swp'), text);
      fs.renameSync(file('pagos.md.swp'), file('pagos.md'));
      const expected = save === 0 ? 'Solo tarjetas.' : 'Solo efectivo.';
      await until(() => (host.current().respond('formas de pago', { lang: 'es' }).text === expected ? true : undefined), `atomic save ${save + 1}`);
    }
  });

  it('follows sed -i style replacements, then plain edits of the same file', async () => {
    const envios = file('envios.md');
    const replaced = fs.readFileSync(envios, 'utf8').replace('De 3 a 5 días.', 'De 2 a 4 días.');
    fs.writeFileSync(path.join(root, 'knowledge/es/sedXYZ'), replaced); // what sed -i does: new inode, renamed over
    fs.renameSync(path.join(root, 'knowledge/es/sedXYZ'), envios);
    await until(() => (host.current().respond('tiempo de entrega', { lang: 'es' }).text === 'De 2 a 4 días.' ? true : undefined), 'the sed -i edit');
    fs.writeFileSync(envios, replaced.replace('De 2 a 4 días.', 'Un día.'));
    await until(() => (host.current().respond('tiempo de entrega', { lang: 'es' }).text === 'Un día.' ? true : undefined), 'the edit after sed -i');
  });

  it('follows a rename and a delete', async () => {
    fs.writeFileSync(file('pagos.md'), PAYMENT);
    await answered('formas de pago', 'payment-methods', 'the new file');
    const beforeRename = host.status().version;
    fs.renameSync(file('pagos.md'), file('medios-de-pago.md'));
    await until(() => (host.status().version !== beforeRename ? true : undefined), 'the renamed file to be reloaded');
    expect(answerTo('formas de pago')).toBe('payment-methods');
    fs.unlinkSync(file('medios-de-pago.md'));
    await until(() => (answerTo('formas de pago') !== 'payment-methods' ? true : undefined), 'the deleted FAQ to disappear');
    fs.writeFileSync(file('envios.md'), fs.readFileSync(file('envios.md'), 'utf8') + '\n' + RETURNS);
    await answered('como hago una devolucion', 'returns', 'an edit after the delete');
  });

  it('follows a new folder with files in it', async () => {
    fs.mkdirSync(path.join(root, 'knowledge/es/postventa/devoluciones'), { recursive: true });
    fs.writeFileSync(path.join(root, 'knowledge/es/postventa/devoluciones/devoluciones.md'), RETURNS);
    await answered('como hago una devolucion', 'returns', 'the file in the new folder');
  });

  it('reports a garbage .md file instead of accepting it silently', async () => {
    const garbage = Buffer.alloc(4000);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919 + 13) % 256;
    fs.writeFileSync(file('basura.md'), garbage);
    const rejected = await until(() => host.status().rejected, 'the garbage file to be reported');
    expect(rejected.problems).toEqual([expect.objectContaining({ file: file('basura.md'), severity: 'error', message: expect.stringContaining('not a text file') })]);
    expect(answerTo('cuanto demora el despacho')).toBe('shipping-time');
  });

  it('warns about a text .md file with no entries', () => {
    fs.writeFileSync(file('notas.md'), 'solo unas notas sin formato\n');
    host.reload();
    expect(host.status().problems).toContainEqual(expect.objectContaining({ file: file('notas.md'), severity: 'warning', message: expect.stringContaining('no entries found') }));
  });
});
