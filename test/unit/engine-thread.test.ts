import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { engineOptions, startEngineHost, startEngineThread, type Engine, type EngineThread, type TurnReply } from '../../src/engine';
import { parseConfig } from '../../src/config';
import { silentLogger } from '../../src/observability';

/**
 * The engine thread answers like the event loop's engine: same knowledge base, same replies (less the
 * candidates and explanation, which it does not send back); a new knowledge version is answered with
 * that version; a closed thread leaves the event loop answering.
 */

const ROOT = path.join(__dirname, '..', '..');
const config = parseConfig({ knowledgeDir: path.join(ROOT, 'knowledge'), intentsDir: path.join(ROOT, 'intents'), watchKnowledge: false });

const QUESTIONS: Array<[string, 'es' | 'en']> = [
  ['cuanto demora el despacho a regiones', 'es'],
  ['puedo pagar en cuotas sin interes', 'es'],
  ['me llego el producto roto', 'es'],
  ['quiero hablar con una persona', 'es'],
  ['a que hora abre el banco', 'es'],
  ['hola', 'es'],
  ['how long does shipping take', 'en'],
  ['can I return a gift', 'en'],
  ['I was charged twice', 'en'],
  ['what is the weather tomorrow', 'en'],
];

/** The thread's replies leave out the candidates: a reply with none came from the thread. */
const fromThread = (reply: TurnReply) => !('candidates' in reply);

/** Asks until the thread (not the event loop, which answers while the thread builds) replies. */
async function threadReply(thread: EngineThread, engine: Engine, text: string, lang: 'es' | 'en'): Promise<TurnReply> {
  const giveUpAt = Date.now() + 20_000;
  for (;;) {
    const reply = await thread.respond(engine, text, { lang });
    if (fromThread(reply) || Date.now() > giveUpAt) return reply;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function withoutEditorFields({ candidates: _candidates, explanation: _explanation, ...reply }: ReturnType<Engine['respond']>): TurnReply {
  return reply;
}

let thread: EngineThread;
afterEach(async () => {
  await thread?.close();
});

it('replies from the thread as the event loop would, question by question and in one batch', async () => {
  const host = startEngineHost(config);
  const engine = host.current();
  thread = startEngineThread(engineOptions(config), silentLogger());

  const first = await threadReply(thread, engine, QUESTIONS[0]![0], QUESTIONS[0]![1]);
  expect(fromThread(first)).toBe(true);
  // Asked in the same tick: one batch, answered in order.
  const replies = await Promise.all(QUESTIONS.map(([text, lang]) => thread.respond(engine, text, { lang })));
  replies.forEach((reply, i) => {
    const [text, lang] = QUESTIONS[i]!;
    expect(fromThread(reply)).toBe(true);
    expect(reply).toEqual(withoutEditorFields(engine.respond(text, { lang })));
  });
  host.close();
});

it('answers with the knowledge version it is asked with: an edit that went live is answered with the edit', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atento-thread-'));
  fs.cpSync(config.knowledgeDir, dir, { recursive: true });
  const host = startEngineHost({ ...config, knowledgeDir: dir });
  thread = startEngineThread(engineOptions(config), silentLogger());
  const before = host.current();
  await threadReply(thread, before, 'hola', 'es');

  fs.writeFileSync(
    path.join(dir, 'es', 'regalos.md'),
    '# Regalos\n\n## ¿Envuelven para regalo?\nid: gift-wrap-thread-test\n\n### Frases\n- envuelven para regalo\n- tienen papel de regalo\n- me lo envuelven\n\n### Respuesta\nSí, envolvemos para regalo sin costo.\n',
  );
  const after = host.reload();
  expect(after.version).not.toBe(before.version);
  const reply = await threadReply(thread, after, 'envuelven para regalo', 'es');
  expect(fromThread(reply)).toBe(true);
  expect(reply.id).toBe('gift-wrap-thread-test');
  expect(reply.action).toBe('answer');
  host.close();
});

it('leaves the event loop answering once closed', async () => {
  const host = startEngineHost(config);
  const engine = host.current();
  thread = startEngineThread(engineOptions(config), silentLogger());
  await threadReply(thread, engine, 'hola', 'es');
  await thread.close();
  const reply = await thread.respond(engine, 'como rastreo mi pedido', { lang: 'es' });
  expect(fromThread(reply)).toBe(false);
  expect(reply).toEqual(engine.respond('como rastreo mi pedido', { lang: 'es' }));
  host.close();
});
