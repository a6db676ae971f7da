import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseConfig } from '../../src/config';
import { startEngineHost, type EngineHost } from '../../src/engine';
import { agentCookie } from '../helpers/agent-client';
import { projectEngineHost, startTestServer } from '../helpers/app';

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
  /** Each line with its level first: "error knowledge … NOT loaded". */
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
    host = startEngineHost(config, (level, line) => logs.push(`${level} ${line}`));
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

  const envios = () => path.join(root, 'knowledge/es/envios.md');
  const answerTo = (question: string) => host.current().respond(question, { lang: 'es' });
  const answered = (question: string, id: string, what: string) =>
    until(() => (answerTo(question).id === id ? host.current() : undefined), what);
  const PAYMENTS = FAQ('payment-methods', '¿Qué medios de pago aceptan?', ['aceptan tarjeta de credito', 'puedo pagar con tarjeta', 'formas de pago', 'pagar en efectivo'], 'Tarjetas y efectivo.');

  /** Writes elsewhere and renames over the file, as editors that save atomically, `sed -i` and git do. */
  function replaceByRename(file: string, text: string): void {
    const temporary = path.join(path.dirname(file), `.${path.basename(file)}.tmp-${Date.now()}`);
    fs.writeFileSync(temporary, text);
    fs.renameSync(temporary, file);
  }

  it('keeps watching a file replaced by rename (atomic saves, sed -i, git checkout): every later edit is seen', async () => {
    replaceByRename(envios(), fs.readFileSync(envios(), 'utf8').replace('De 3 a 5 días.', 'De 2 a 4 días.'));
    await until(() => (answerTo('tiempo de entrega').text === 'De 2 a 4 días.' ? true : undefined), 'the first replaced save');
    replaceByRename(envios(), fs.readFileSync(envios(), 'utf8').replace('De 2 a 4 días.', 'De 1 a 2 días.'));
    await until(() => (answerTo('tiempo de entrega').text === 'De 1 a 2 días.' ? true : undefined), 'the second replaced save');
    fs.writeFileSync(envios(), fs.readFileSync(envios(), 'utf8').replace('De 1 a 2 días.', 'Mañana.'));
    await until(() => (answerTo('tiempo de entrega').text === 'Mañana.' ? true : undefined), 'an in-place save after them');
  });

  it('sees renames, deletions and files in new folders', async () => {
    fs.mkdirSync(path.join(root, 'knowledge/es/nuevos/pagos'), { recursive: true });
    fs.writeFileSync(path.join(root, 'knowledge/es/nuevos/pagos/medios.md'), PAYMENTS);
    await answered('formas de pago', 'payment-methods', 'a FAQ in a new folder');
    fs.renameSync(path.join(root, 'knowledge/es/nuevos/pagos/medios.md'), path.join(root, 'knowledge/es/pagos.md'));
    const renamed = host.current().version;
    await until(() => (host.current().version !== renamed ? true : undefined), 'the rename');
    expect(answerTo('formas de pago').id).toBe('payment-methods');
    fs.rmSync(path.join(root, 'knowledge/es/pagos.md'));
    await until(() => (answerTo('formas de pago').id !== 'payment-methods' ? true : undefined), 'the deletion');
  });

  it('a change with errors does not go live: the last good knowledge base keeps answering until it is fixed', async () => {
    const good = host.current().version;
    const broken = fs.readFileSync(envios(), 'utf8').replace('id: shipping-time\n', '');
    fs.writeFileSync(envios(), broken);
    await until(() => (host.status().rejected ? true : undefined), 'the broken save to be refused');
    expect(host.current().version).toBe(good);
    expect(answerTo('cuanto demora el despacho').id).toBe('shipping-time');
    expect(host.status().rejected!.problems.map((p) => `${path.basename(p.file)}:${p.line}: ${p.severity}`)).toEqual(['envios.md:1: error']);
    // At error level: an operator who logs only warnings and errors sees a refused save.
    expect(logs.some((line) => /^error .*envios\.md:1: error: entry "¿Cuánto tarda el envío\?" has no id/.test(line))).toBe(true);
    expect(logs.some((line) => line.startsWith('error knowledge') && line.includes(`NOT loaded (1 error above); still serving ${good}`))).toBe(true);

    fs.writeFileSync(envios(), broken.replace('## ¿Cuánto tarda el envío?\n', '## ¿Cuánto tarda el envío?\nid: shipping-days\n'));
    await answered('cuanto demora el despacho', 'shipping-days', 'the fixed file to go live');
    expect(host.status().rejected).toBeNull();
  });

  it('logs each problem once: a refused save reloaded twice, and warnings of files nobody touched', async () => {
    fs.writeFileSync(path.join(root, 'knowledge/es/pagos.md'), FAQ('payment-methods', '¿Qué medios de pago aceptan?', ['formas de pago', 'pagar en efectivo'], 'Tarjetas.'));
    await answered('formas de pago', 'payment-methods', 'a FAQ with too few phrasings');
    const fewPhrasings = (line: string) => line.startsWith('warn') && line.includes('pagos.md');
    expect(logs.filter(fewPhrasings)).toHaveLength(1);

    logs.length = 0;
    fs.writeFileSync(envios(), fs.readFileSync(envios(), 'utf8').replace('De 3 a 5 días.', 'De 2 a 4 días.'));
    await until(() => (answerTo('tiempo de entrega').text === 'De 2 a 4 días.' ? true : undefined), 'the edit of another file');
    expect(logs.filter(fewPhrasings)).toEqual([]);
    expect(logs.some((line) => line.startsWith('info knowledge') && line.includes('(1 warning, logged when first seen)'))).toBe(true);

    logs.length = 0;
    fs.writeFileSync(envios(), fs.readFileSync(envios(), 'utf8').replace('id: shipping-time\n', ''));
    await until(() => (host.status().rejected ? true : undefined), 'the broken save to be refused');
    host.reload(); // what the knowledge page does after its own save, which the watcher also sees
    expect(logs.filter((line) => line.includes('NOT loaded'))).toHaveLength(1);
    expect(logs.filter((line) => line.startsWith('error') && line.includes('has no id'))).toHaveLength(1);
  });

  it('nodes sharing the knowledge folder all go live with an edit, and /healthz says which version each serves', async () => {
    const other = startEngineHost(parseConfig({ knowledgeDir: path.join(root, 'knowledge'), intentsDir: path.join(root, 'intents'), watchKnowledge: true }));
    const nodes = [await startTestServer({ deps: { engineHost: host } }), await startTestServer({ deps: { engineHost: other } })];
    try {
      const versions = () => Promise.all(nodes.map(async (node) => ((await (await fetch(`${node.httpUrl}/healthz`)).json()) as { knowledgeVersion: string }).knowledgeVersion));
      const before = await versions();
      expect(before[1]).toBe(before[0]);
      fs.writeFileSync(path.join(root, 'knowledge/es/pagos.md'), PAYMENTS);
      let after: string[] = before;
      for (let attempt = 0; attempt < 100 && (after[0] === before[0] || after[1] === before[1]); attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        after = await versions();
      }
      expect(after[0]).not.toBe(before[0]);
      expect(after[1]).toBe(after[0]);
    } finally {
      await Promise.all(nodes.map((node) => node.stop()));
      other.close();
    }
  });

  it('reports a garbage .md file and keeps serving', async () => {
    const good = host.current().version;
    fs.writeFileSync(path.join(root, 'knowledge/es/basura.md'), crypto.randomBytes(4000));
    await until(() => (host.status().rejected ? true : undefined), 'the garbage to be refused');
    expect(host.current().version).toBe(good);
    expect(host.status().rejected!.problems).toEqual([expect.objectContaining({ line: expect.any(Number), severity: 'error', message: expect.stringMatching(/^not UTF-8 text/) })]);
    fs.writeFileSync(path.join(root, 'knowledge/es/basura.md'), 'solo notas, sin preguntas\n');
    await until(() => (host.status().rejected === null && host.current().version !== good ? true : undefined), 'a text file without entries to load');
    expect(host.status().problems).toEqual([expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/^no entries found/) })]);
  });
});

test('editors can read what knowledge is live and what was refused; agents and strangers cannot', async () => {
  const engineHost = projectEngineHost();
  const server = await startTestServer({ deps: { engineHost } });
  try {
    expect((await fetch(`${server.httpUrl}/agent/api/knowledge/status`)).status).toBe(401);
    const cookie = await agentCookie(server, 'editora@tienda.example');
    expect((await fetch(`${server.httpUrl}/agent/api/knowledge/status`, { headers: { cookie } })).status).toBe(403); // role agent
    await server.app.store.agents.setRole('editora@tienda.example', 'editor');
    const status = (await (await fetch(`${server.httpUrl}/agent/api/knowledge/status`, { headers: { cookie } })).json()) as { version: string; entries: number; rejected: unknown };
    expect(status).toMatchObject({ version: engineHost.current().version, rejected: null });
    expect(status.entries).toBeGreaterThan(60);
  } finally {
    await server.stop();
    engineHost.close();
  }
});
