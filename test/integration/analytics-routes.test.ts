import { hashPassword } from '../../src/auth';
import type { EngineHost } from '../../src/engine';
import { AGENT_PASSWORD, agentCookie } from '../helpers/agent-client';
import { projectEngineHost, startTestServer, type TestServer } from '../helpers/app';

/** The analytics page and its JSON/CSV over real HTTP: roles, exports, bad parameters. */

let engineHost: EngineHost;
let server: TestServer;
const cookies: Record<string, string> = {};

beforeAll(async () => {
  engineHost = projectEngineHost();
  server = await startTestServer({ deps: { engineHost } });
  const { agents } = server.app.store;
  for (const [role, email] of [['agent', 'ana@tienda.example'], ['editor', 'eva@tienda.example'], ['admin', 'alba@tienda.example']] as const) {
    await agents.create({ email, name: email.split('@')[0]!, role, passwordHash: hashPassword(AGENT_PASSWORD) });
    cookies[role] = await agentCookie(server, email);
  }
  // Today's conversations: one answered by a FAQ of the knowledge base, one by an id whose title would be
  // markup or a spreadsheet formula if it were not escaped (an entry since removed shows its id).
  const { store } = server.app;
  const answered = async (entryId: string) => {
    const conversation = await store.conversations.create('es');
    const question = await store.messages.insert({ conversationId: conversation.id, sender: 'shopper', text: '¿cuánto tarda el envío?', normalized: 'cuanto tarda el envio', lang: 'es' });
    await store.messages.insert({ conversationId: conversation.id, sender: 'bot', text: '…', lang: 'es', action: 'answer', entryId, replyTo: question.id });
  };
  await answered('shipping-time');
  await answered('shipping-time');
  await answered('=HYPERLINK("x"),<img src=x onerror=alert(1)>');
  // Handoffs (their conversations have no shopper message, so they are not counted as conversations).
  for (const reason of ['button', 'faq:damaged-item']) await store.handoffs.request((await store.conversations.create('es')).id, { reason, lang: 'es' }, { from: 'bot', to: 'waiting' });
});
afterAll(async () => {
  await server.stop();
  engineHost.close();
});

const get = (path: string, role?: string) => fetch(`${server.httpUrl}${path}`, { headers: role ? { cookie: cookies[role] } : {}, redirect: 'manual' });

test('the page: login first, a readable 403 for agents and editors, the figures for an admin', async () => {
  const anonymous = await get('/agent/analytics');
  expect(anonymous.status).toBe(303);
  expect(anonymous.headers.get('location')).toBe('/agent/login?next=%2Fagent%2Fanalytics');
  for (const role of ['agent', 'editor']) {
    const res = await get('/agent/analytics', role);
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toContain('Esta página es solo para administradores');
  }
  const res = await get('/agent/analytics', 'admin');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
  const html = await res.text();
  expect(html).toContain('<h1>Analítica</h1>');
  expect(html).toContain('href="/agent"');
  const shippingTime = engineHost.current().label('shipping-time', 'es')!;
  expect(html).toMatch(new RegExp(`<th scope="row" data-key="title">${shippingTime.replace(/[?¿]/g, '.')}</th><td data-key="answers" data-value="2">2</td>`));
  expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  expect(html).not.toContain('<img src=x');
  expect(html).toContain('href="/agent/api/analytics/faqs?from=');
});

test('JSON: 401 without a session, 403 role_forbidden for an agent, the report for an admin', async () => {
  expect((await get('/agent/api/analytics')).status).toBe(401);
  const forbidden = await get('/agent/api/analytics', 'agent');
  expect(forbidden.status).toBe(403);
  expect(await forbidden.json()).toMatchObject({ error: { code: 'role_forbidden' } });
  expect((await get('/agent/api/analytics/days?format=csv', 'editor')).status).toBe(403);

  const res = await get('/agent/api/analytics?lang=es', 'admin');
  expect(res.status).toBe(200);
  const report = await res.json();
  expect(report.filters).toMatchObject({ lang: 'es', timeZone: 'America/Mexico_City' });
  expect(report.summary).toMatchObject({ conversations: 3, contained: 3, containment: 1, questions: 3, fallbacks: 0 });
  expect(report.tables.days.rows).toHaveLength(30);
  expect((await (await get('/agent/api/analytics?lang=en', 'admin')).json()).summary.conversations).toBe(0);
});

test('in the team\'s language: the page and the labels in English for an agent who chose it', async () => {
  const english = (path: string) => fetch(`${server.httpUrl}${path}`, { headers: { cookie: `${cookies.admin}; atento_lang=en` } });
  const html = await (await english('/agent/analytics')).text();
  expect(html).toContain('<html lang="en">');
  expect(html).toContain('<h1>Analytics</h1>');
  expect(html).toContain('<h2 id="table-reasons-title">Handoffs by reason</h2>');
  const reasons = (await (await english('/agent/api/analytics/reasons?lang=es')).json()).table.rows.map((row: { label: string }) => row.label);
  expect(reasons).toEqual(['Asked for a person (button)', engineHost.current().label('damaged-item', 'en')]);
  const spanish = (await (await get('/agent/api/analytics/reasons?lang=es', 'admin')).json()).table.rows.map((row: { label: string }) => row.label);
  expect(spanish).toEqual(['Pidió una persona (botón)', engineHost.current().label('damaged-item', 'es')]);
  // Keys and numbers do not change with the language.
  expect((await (await english('/agent/api/analytics/reasons?format=csv')).text()).split('\r\n')[0]).toBe('reason,label,handoffs,tickets');
});

test('CSV of a table: attachment, header of keys, quoting, formulas defused', async () => {
  const res = await get('/agent/api/analytics/faqs?format=csv&lang=es', 'admin');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
  expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="atento-faqs-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}-es\.csv"$/);
  const lines = (await res.text()).split('\r\n');
  expect(lines[0]).toBe('entryId,title,answers,helpful,unhelpful');
  expect(lines[1]).toMatch(/^shipping-time,.+,2,0,0$/);
  expect(lines[2]).toBe(`"'=HYPERLINK(""x""),<img src=x onerror=alert(1)>","'=HYPERLINK(""x""),<img src=x onerror=alert(1)>",1,0,0`);
  expect(lines.at(-1)).toBe('');

  const days = await (await get('/agent/api/analytics/days?format=csv&from=2026-01-01&to=2026-01-03', 'admin')).text();
  expect(days).toBe('day,conversations,contained,escalated,containment\r\n2026-01-01,0,0,0,\r\n2026-01-02,0,0,0,\r\n2026-01-03,0,0,0,\r\n');
  const json = await (await get('/agent/api/analytics/csat', 'admin')).json();
  expect(json.table.rows.map((row: { rating: number }) => row.rating)).toEqual([1, 2, 3, 4, 5]);
});

test('bad parameters: 400 with the parameter named, on the JSON routes and on the page', async () => {
  const cases: Array<[string, string]> = [
    ['/agent/api/analytics?from=2026-02-30', 'Analytics: "from": is not a day of the calendar.'],
    ['/agent/api/analytics?from=2026-03-05&to=2026-03-01', 'Analytics: "from" (2026-03-05) is after "to" (2026-03-01).'],
    ['/agent/api/analytics/days?from=2020-01-01&to=2026-01-01&format=csv', 'Analytics: the range is 2193 days; at most 366 at a time.'],
    ['/agent/api/analytics?lang=fr', 'Analytics: "lang": Invalid option: expected one of "all"|"es"|"en".'],
    ['/agent/api/analytics?format=csv', 'Analytics: CSV is per table: /agent/api/analytics/<table>?format=csv.'],
  ];
  for (const [path, message] of cases) {
    const res = await get(path, 'admin');
    expect({ path, status: res.status, body: await res.json() }).toEqual({ path, status: 400, body: { error: { code: 'bad_frame', message } } });
  }
  const unknown = await get('/agent/api/analytics/everything', 'admin');
  expect(unknown.status).toBe(404);
  expect((await unknown.json()).error.message).toMatch(/^Analytics: no table "everything"; tables: summary, days/);

  const page = await get('/agent/analytics?to=mañana', 'admin');
  expect(page.status).toBe(400);
  const html = await page.text();
  expect(html).toContain('<p class="analytics-error" role="alert">No se pudo mostrar ese periodo: &quot;to&quot;: use a date as YYYY-MM-DD, e.g. 2026-12-01.</p>');
  expect(html).toContain('<form class="analytics-filters"');
});
