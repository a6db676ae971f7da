import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hashPassword } from '../../src/auth';
import { runCli } from '../cli/run-cli';
import { AGENT_PASSWORD } from '../helpers/agent-client';
import { startTestServer, type TestServer } from '../helpers/app';
import { databaseEnv } from '../helpers/postgres';
import { ShopperClient } from '../helpers/shopper-client';
import { eventually } from '../helpers/wait';

/**
 * The knowledge page's routes on the real server, a real SQLite file and a temp copy of the project's
 * knowledge folder: questions the bot missed become groups; an edit is checked, written with a backup
 * and answered to the next shopper; a bad edit writes nothing.
 */

const PROJECT = path.resolve(__dirname, '../..');
let root: string;
let server: TestServer;
const cookies: Record<string, string> = {};
const shoppers: ShopperClient[] = [];
const knowledgeDir = () => path.join(root, 'knowledge');

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'atento-kbpage-'));
  fs.cpSync(path.join(PROJECT, 'knowledge'), path.join(root, 'knowledge'), { recursive: true });
  fs.cpSync(path.join(PROJECT, 'intents'), path.join(root, 'intents'), { recursive: true });
  server = await startTestServer({ config: { knowledgeDir: knowledgeDir(), intentsDir: path.join(root, 'intents'), watchKnowledge: true } });
  for (const [role, email] of [['agent', 'ana@tienda.example'], ['editor', 'eva@tienda.example']] as const) {
    await server.app.store.agents.create({ email, name: role, role, passwordHash: hashPassword(AGENT_PASSWORD) });
    const res = await fetch(`${server.httpUrl}/agent/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: AGENT_PASSWORD }) });
    cookies[role] = res.headers.get('set-cookie')!.split(';')[0]!;
  }
});
afterEach(async () => {
  await Promise.all(shoppers.splice(0).map((s) => s.close()));
});
afterAll(async () => {
  await server.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

const get = (route: string, role?: string) => fetch(`${server.httpUrl}${route}`, { headers: role ? { cookie: cookies[role]! } : {}, redirect: 'manual' });
const post = (route: string, body: unknown, role = 'editor', origin = server.httpUrl) =>
  fetch(`${server.httpUrl}${route}`, { method: 'POST', headers: { cookie: cookies[role]!, 'content-type': 'application/json', origin }, body: JSON.stringify(body) });

/** What the page's "try the bot" box says of a Spanish question. */
const tried = async (text: string) => (await (await get(`/agent/api/knowledge/try?${new URLSearchParams({ text, lang: 'es' })}`, 'editor')).json()) as { action: string; id: string };

async function shopper(): Promise<ShopperClient> {
  const client = await ShopperClient.connect(server.socketUrl);
  shoppers.push(client);
  await client.hello({ lang: 'es' });
  return client;
}

/** Every file under the knowledge folder with a hash of its bytes: to prove nothing was written. */
function snapshot(): Record<string, string> {
  const files = fs.readdirSync(knowledgeDir(), { recursive: true, encoding: 'utf8' }).filter((name) => fs.statSync(path.join(knowledgeDir(), name)).isFile());
  return Object.fromEntries(files.sort().map((name) => [name, crypto.createHash('sha256').update(fs.readFileSync(path.join(knowledgeDir(), name))).digest('hex')]));
}

interface Group { id: string; lang: string; keys: string[]; count: number; reasons: Record<string, number>; examples: Array<{ text: string; count: number }>; closest: { id: string; question: string; answeredNow: boolean } | null }
const gaps = async (): Promise<Group[]> => ((await (await get('/agent/api/knowledge/gaps', 'editor')).json()) as { groups: Group[] }).groups;
const groupWith = (groups: Group[], text: string) => groups.find((g) => g.examples.some((e) => e.text === text));

test('roles: the page and its routes are for editors; an agent gets 403, nobody logged in 401 or the login page', async () => {
  expect((await get('/agent/knowledge')).headers.get('location')).toBe('/agent/login?next=%2Fagent%2Fknowledge');
  const forbidden = await get('/agent/knowledge', 'agent');
  expect(forbidden.status).toBe(403);
  expect(await forbidden.text()).toContain('es para los roles editor y admin');
  const page = await get('/agent/knowledge', 'editor');
  expect(page.status).toBe(200);
  expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  expect(await page.text()).toContain('<h2 id="try-title">Probar el bot</h2>');

  for (const route of ['/agent/api/knowledge/gaps', '/agent/api/knowledge/faqs', '/agent/api/knowledge/try?text=hola']) {
    expect((await get(route)).status).toBe(401);
    const res = await get(route, 'agent');
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'role_forbidden' } });
  }
  const before = snapshot();
  const phrasing = { id: 'contact', lang: 'es', phrasings: ['frase de un agente'] };
  expect((await post('/agent/api/knowledge/phrasings', phrasing, 'agent')).status).toBe(403);
  // Another site's page posting with the editor's cookie (were it sent): refused by Origin.
  const crossSite = await post('/agent/api/knowledge/phrasings', phrasing, 'editor', 'https://evil.example');
  expect(crossSite.status).toBe(403);
  expect(await crossSite.json()).toMatchObject({ error: { code: 'origin_forbidden' } });
  expect(snapshot()).toEqual(before);
});

test('try the bot: the decision, the candidates with confidence and the words that matched', async () => {
  const res = await get(`/agent/api/knowledge/try?${new URLSearchParams({ text: '¿cuánto tarda el envío?', lang: 'es' })}`, 'editor');
  const result = await res.json();
  expect(result).toMatchObject({ action: 'answer', id: 'shipping-time', lang: 'es' });
  expect(result.candidates[0]).toMatchObject({ id: 'shipping-time', kind: 'faq', question: expect.stringContaining('tarda'), matched: expect.arrayContaining(['tarda']) });
  expect(result.candidates[0].confidence).toBeGreaterThan(0.5);
  expect((await get('/agent/api/knowledge/try?text=', 'editor')).status).toBe(400);
});

test('questions the bot missed come back grouped by meaning, biggest first, with the closest FAQ', async () => {
  const ana = await shopper();
  expect((await ana.ask('¿dónde estaciono mi auto?')).reply.action).toBe('fallback');
  expect((await ana.ask('donde estaciono el auto')).reply.action).toBe('fallback');
  const luis = await shopper();
  expect((await luis.ask('dónde estaciono mi auto')).reply.action).toBe('fallback');
  // A "did you mean" answered by typing something else counts; a picked one does not.
  const clarified = (await luis.ask('el cartero no vino')).reply;
  expect(clarified.action).toBe('clarify');
  await luis.ask('zorblax azul');

  const groups = await gaps();
  const parking = groupWith(groups, 'dónde estaciono mi auto')!;
  expect(parking).toMatchObject({ lang: 'es', count: 3, reasons: { fallback: 3 } });
  // Accents and punctuation do not make another wording.
  expect(parking.examples).toEqual([{ text: 'dónde estaciono mi auto', count: 2 }, { text: 'donde estaciono el auto', count: 1 }]);
  expect(groups[0]).toBe(groups.find((g) => g.count === Math.max(...groups.map((x) => x.count))));
  expect(groupWith(groups, 'el cartero no vino')).toMatchObject({ count: 1, reasons: { clarify_unpicked: 1 }, closest: { id: 'order-not-received' } });

  // `atento kb gaps` prints the same groups from the same database and knowledge.
  const cli = runCli(['kb', 'gaps', '--json'], { env: { ...(await databaseEnv(server.dataDir)), ATENTO_KNOWLEDGE_DIR: knowledgeDir(), ATENTO_INTENTS_DIR: path.join(root, 'intents') } });
  expect(cli.stderr).toBe('');
  const printed = (JSON.parse(cli.stdout) as { groups: Group[] }).groups;
  expect(printed.map((g) => [g.id, g.count, g.closest?.id ?? null])).toEqual(groups.map((g) => [g.id, g.count, g.closest?.id ?? null]));
  const text = runCli(['kb', 'gaps'], { env: { ...(await databaseEnv(server.dataDir)), ATENTO_KNOWLEDGE_DIR: knowledgeDir(), ATENTO_INTENTS_DIR: path.join(root, 'intents') } });
  expect(text.stdout).toMatch(/ {3}3× {2}\[es\] .*\(3 fallback; last /);
  expect(text.stdout).toContain('"dónde estaciono mi auto" ×2');
});

test('an edit with errors is refused with file:line and writes nothing; bad bodies get a clear 400', async () => {
  const before = snapshot();
  const duplicate = await post('/agent/api/knowledge/faqs', { id: 'contact', languages: { es: { question: '¿Dónde estaciono?', phrasings: [], answer: 'En la calle.', file: 'es/tienda.md' } } });
  expect(duplicate.status).toBe(400);
  const body = await duplicate.json();
  expect(body.error.code).toBe('knowledge_invalid');
  // Named as the editor picks files, never by the server's own paths.
  expect(body.error.message).toMatch(/nothing was written: es\/tienda\.md:\d+: id "contact" is already used in es\/tienda\.md:4/);
  expect(body.error.message).not.toContain(knowledgeDir());
  expect(body.error.problems).toEqual(expect.arrayContaining([expect.objectContaining({ file: 'es/tienda.md', severity: 'error', message: expect.stringMatching(/^id "contact" is already used in es\/tienda\.md:4:/) })]));

  // Each also says what was refused as a code and values, for the page to tell in its own language.
  const bad = [
    [{ id: 'Con Espacios', languages: { es: { question: 'Q', phrasings: [], answer: 'A', file: 'es/x.md' } } }, /id: lowercase letters/, { code: 'edit_bad_id', values: { id: 'Con Espacios' } }],
    [{ id: 'parking', languages: {} }, /give the FAQ in Spanish, English or both/, { code: 'edit_no_language', values: {} }],
    [{ id: 'parking', languages: { es: { question: 'Q', phrasings: ['uno\ndos'], answer: 'A', file: 'es/x.md' } } }, /phrasings\.0: must be one line/, { code: 'edit_not_one_line', values: { what: 'phrasing', lang: 'es', text: 'uno' } }],
    [{ id: 'parking', languages: { en: { question: '  ', phrasings: [], answer: 'A', file: 'en/x.md' } } }, /languages\.en\.question: must not be empty/, { code: 'edit_empty', values: { what: 'question', lang: 'en' } }],
    [{ id: 'parking', languages: { es: { question: 'Q', phrasings: [], answer: '', file: 'es/x.md' } } }, /languages\.es\.answer: write the answer/, { code: 'edit_empty', values: { what: 'answer', lang: 'es' } }],
    [{ id: 'parking', languages: { es: { question: 'Q'.repeat(301), phrasings: [], answer: 'A', file: 'es/x.md' } } }, /at most 300 characters/, { code: 'edit_too_long', values: { what: 'question', lang: 'es', max: 300 } }],
    [{ id: 'parking', languages: { es: { question: 'Q', phrasings: [], answer: 'A', file: '../intents/es/x.md' } } }, /not a knowledge file of es/, { code: 'edit_not_a_file', values: { file: '../intents/es/x.md', lang: 'es' } }],
    [{ id: 'parking', languages: { es: { question: 'Q', phrasings: [], answer: 'A\n## Otra', file: 'es/x.md' } } }, /starts with "## "/, { code: 'edit_answer_heading', values: {} }],
  ] as const;
  for (const [request, message, refusal] of bad) {
    const res = await post('/agent/api/knowledge/faqs', request);
    expect(res.status).toBe(400);
    expect((await res.json()).error).toEqual({ code: 'bad_frame', message: expect.stringMatching(message), refusal });
  }
  const noPhrasing = await post('/agent/api/knowledge/phrasings', { id: 'contact', lang: 'es', phrasings: [' '] });
  expect((await noPhrasing.json()).error.refusal).toEqual({ code: 'edit_no_phrasings', values: {} });
  expect((await post('/agent/api/knowledge/phrasings', { id: 'no-such-faq', lang: 'es', phrasings: ['x'] })).status).toBe(404);
  expect(snapshot()).toEqual(before);
});

test('a new FAQ and new phrasings are live when the edit is acknowledged: the next shopper message gets them; the previous file is kept', async () => {
  const tienda = path.join(knowledgeDir(), 'es/tienda.md');
  const original = fs.readFileSync(tienda, 'utf8');
  const created = await post('/agent/api/knowledge/faqs', {
    id: 'parking',
    languages: {
      es: { question: '¿Tienen estacionamiento?', phrasings: ['dónde estaciono mi auto', 'hay lugar para estacionar'], answer: 'Sí, **gratis** para clientes.', file: 'es/tienda.md' },
      en: { question: 'Do you have parking?', phrasings: ['where can I park my car', 'is there parking'], answer: 'Yes, free for customers.', file: 'en/store.md' },
    },
  });
  expect(created.status).toBe(200);
  const result = await created.json();
  expect(result).toMatchObject({ live: true, files: [{ file: 'es/tienda.md' }, { file: 'en/store.md' }] });
  // Two phrasings is fewer than the three a FAQ should have: said, naming the file as the editor picked it.
  expect(result.warnings).toContainEqual(expect.objectContaining({ file: 'es/tienda.md', code: 'few_phrasings' }));
  expect(JSON.stringify(result.warnings)).not.toContain(root);
  expect(fs.readFileSync(path.join(knowledgeDir(), result.files[0].backup), 'utf8')).toBe(original);
  expect(fs.readFileSync(tienda, 'utf8').startsWith(original)).toBe(true);

  // The route reloads before it answers (the watcher would within 500 ms): no waiting here at all.
  const rosa = await shopper();
  const { reply } = await rosa.ask('¿dónde estaciono el auto?');
  expect(reply).toMatchObject({ action: 'answer', entryId: 'parking', text: 'Sí, **gratis** para clientes.' });

  // Adding a missed wording to an existing FAQ.
  expect(await tried('el cartero no vino')).toMatchObject({ action: 'clarify' });
  const pedidos = path.join(knowledgeDir(), 'es/pedidos.md');
  const before = fs.readFileSync(pedidos, 'utf8');
  const added = await post('/agent/api/knowledge/phrasings', { id: 'order-tracking', lang: 'es', phrasings: ['el cartero no vino', 'Número de guía de mi envío'] });
  expect(added.status).toBe(200);
  expect(await added.json()).toMatchObject({ added: ['el cartero no vino'], files: [{ file: 'es/pedidos.md' }], live: true });
  const after = fs.readFileSync(pedidos, 'utf8');
  expect(after.replace('- el cartero no vino\n', '')).toBe(before);
  expect(await tried('el cartero no vino')).toMatchObject({ action: 'answer', id: 'order-tracking' });
  expect((await rosa.ask('el cartero no vino')).reply).toMatchObject({ action: 'answer', entryId: 'order-tracking' });
});

test('a file broken by hand does not block the page: an edit that adds no error is written, and is live once that file is fixed', async () => {
  const broken = path.join(knowledgeDir(), 'es/roto.md');
  fs.writeFileSync(broken, '## ¿Algo?\nid: Con Espacios\n\n### Frases\n- algo\n\n### Respuesta\nAlgo.\n');
  try {
    const added = await post('/agent/api/knowledge/phrasings', { id: 'returns', lang: 'es', phrasings: ['quiero mandar de vuelta el paquete entero'] });
    expect(added.status).toBe(200);
    // Written, not yet answering: the whole knowledge base goes live only without errors.
    expect(await added.json()).toMatchObject({ added: ['quiero mandar de vuelta el paquete entero'], live: false });
    expect(fs.readFileSync(path.join(knowledgeDir(), 'es/devoluciones.md'), 'utf8')).toContain('- quiero mandar de vuelta el paquete entero\n');

    // An edit that breaks something itself is still refused, for its own error only.
    const duplicate = await post('/agent/api/knowledge/faqs', { id: 'contact', languages: { es: { question: '¿Otra?', phrasings: [], answer: 'No.', file: 'es/tienda.md' } } });
    expect(duplicate.status).toBe(400);
    const { problems } = (await duplicate.json()).error as { problems: Array<{ file: string }> };
    expect(problems.map((problem) => path.basename(problem.file))).toEqual(['tienda.md']);
  } finally {
    fs.rmSync(broken);
  }
  await eventually(async () => expect(await tried('quiero mandar de vuelta el paquete entero')).toMatchObject({ action: 'answer', id: 'returns' }), 5000);
});

test('a group marked handled leaves the list until a new question of it arrives', async () => {
  const maria = await shopper();
  await maria.ask('¿venden zorblax azul?');
  const group = groupWith(await gaps(), '¿venden zorblax azul?')!;
  expect(group.count).toBeGreaterThanOrEqual(1);
  const handled = await post('/agent/api/knowledge/gaps/handled', { lang: group.lang, keys: group.keys });
  expect(handled.status).toBe(200);
  expect(groupWith(await gaps(), '¿venden zorblax azul?')).toBeUndefined();

  await maria.ask('zorblax azul, ¿tienen?');
  const back = groupWith(await gaps(), 'zorblax azul, ¿tienen?')!;
  expect(back).toMatchObject({ count: 1, examples: [{ text: 'zorblax azul, ¿tienen?', count: 1 }] });
});

test('a group the bot answers after an edit says so, with its FAQ as shoppers see it', async () => {
  const lucia = await shopper();
  await lucia.ask('¿tienen plinkos morados?');
  expect(groupWith(await gaps(), '¿tienen plinkos morados?')!.closest?.answeredNow ?? false).toBe(false);
  expect((await post('/agent/api/knowledge/phrasings', { id: 'payment-security', lang: 'es', phrasings: ['tienen plinkos morados'] })).status).toBe(200);
  await eventually(async () => {
    const { closest } = groupWith(await gaps(), '¿tienen plinkos morados?')!;
    expect(closest).toMatchObject({ id: 'payment-security', answeredNow: true, question: expect.stringContaining('Tienda Demo') });
  }, 5000);
});

test('a broken character (a lone UTF-16 surrogate, valid in JSON) is refused before it reaches a file: writing it would turn the whole file into "not UTF-8" and drop its FAQs', async () => {
  const before = snapshot();
  const requests: Array<[string, unknown]> = [
    ['/agent/api/knowledge/phrasings', { id: 'shipping-time', lang: 'es', phrasings: ['cuánto tarda \ud800'] }],
    ['/agent/api/knowledge/faqs', { id: 'broken-char', languages: { es: { question: '¿Hola?', phrasings: [], answer: 'Sí \udc00.', file: 'es/envios.md' } } }],
    ['/agent/api/knowledge/faqs', { id: 'broken-name', languages: { es: { question: '¿Hola?', phrasings: [], answer: 'Sí.', file: 'es/x\ud800.md' } } }],
  ];
  for (const [route, body] of requests) {
    const res = await post(route, body);
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatchObject({ code: 'bad_frame', message: expect.stringMatching(/broken character/) });
  }
  expect(snapshot()).toEqual(before);
  expect((await (await get('/agent/api/knowledge/status', 'editor')).json()).rejected).toBeNull();
});

test('phrasings pasted from a list lose their marker ("- ", "* ", "• ", "1. "), and the ones left empty are skipped', async () => {
  const tienda = path.join(knowledgeDir(), 'es/tienda.md');
  const added = await post('/agent/api/knowledge/phrasings', { id: 'contact', lang: 'es', phrasings: ['- donde hay cochera', '* hay cochera gratis', '• tienen cochera techada', '1. la cochera es de pago', '-', '- '] });
  expect(added.status).toBe(200);
  expect((await added.json()).added).toEqual(['donde hay cochera', 'hay cochera gratis', 'tienen cochera techada', 'la cochera es de pago']);
  const written = fs.readFileSync(tienda, 'utf8');
  expect(written).toContain('- donde hay cochera\n- hay cochera gratis\n- tienen cochera techada\n- la cochera es de pago\n');
  expect(written).not.toMatch(/^- (- |-$)/m);

  const created = await post('/agent/api/knowledge/faqs', { id: 'bike-parking', languages: { es: { question: '¿Puedo dejar mi bici?', phrasings: ['- hay lugar para bicis', '2. donde dejo la bicicleta'], answer: 'Sí, en la entrada.', file: 'es/tienda.md' } } });
  expect(created.status).toBe(200);
  expect(fs.readFileSync(tienda, 'utf8')).toContain('### Frases\n- hay lugar para bicis\n- donde dejo la bicicleta\n');

  // Nothing but markers: no phrasing to add.
  const empty = await post('/agent/api/knowledge/phrasings', { id: 'contact', lang: 'es', phrasings: ['- ', '*'] });
  expect(empty.status).toBe(400);
});

test("the status names a broken file as the editor picks it (es/roto.md), never by the server's own path", async () => {
  const broken = path.join(knowledgeDir(), 'es', 'roto.md');
  fs.writeFileSync(broken, '## ¿Sin id?\n\n### Frases\n- una\n\n### Respuesta\nAlgo.\n');
  try {
    await eventually(async () => {
      const { rejected } = (await (await get('/agent/api/knowledge/status', 'editor')).json()) as { rejected: { problems: Array<{ file: string; severity: string }> } | null };
      expect(rejected?.problems).toContainEqual(expect.objectContaining({ file: 'es/roto.md', severity: 'error' }));
    }, 5000);
  } finally {
    fs.rmSync(broken);
  }
  await eventually(async () => expect((await (await get('/agent/api/knowledge/status', 'editor')).json()).rejected).toBeNull(), 5000);
});
