import { hashPassword } from '../../src/auth';
import type { ConfigInput } from '../../src/config';
import type { EngineHost } from '../../src/engine';
import { ShopperClient, type Frame } from '../helpers/shopper-client';
import { projectEngineHost, startTestServer, type TestServer } from '../helpers/app';
import { SMTP_PASSWORD, startSmtp, type TestSmtp } from '../helpers/smtp';

/**
 * Ticket replies by e-mail, end to end: a real SMTP server on loopback (smtp-server, port 0) receives
 * what the agent wrote in the console (a real `ws` agent client), and the reply stays in the conversation.
 */

let engineHost: EngineHost;
const running: TestServer[] = [];
const sockets: ShopperClient[] = [];
const smtps: TestSmtp[] = [];
const logs: string[] = [];

beforeAll(() => {
  engineHost = projectEngineHost();
});
afterEach(async () => {
  await Promise.all(sockets.splice(0).map((socket) => socket.close()));
  await Promise.all(running.splice(0).map((server) => server.stop()));
  await Promise.all(smtps.splice(0).map((smtp) => smtp.close()));
  logs.length = 0;
});
afterAll(() => engineHost.close());

async function start(config: ConfigInput = {}): Promise<TestServer> {
  const server = await startTestServer({ config: { shopName: 'Zapatería Sol', ...config }, deps: { engineHost, log: (line) => logs.push(line) } });
  running.push(server);
  return server;
}

async function smtp(options: { refuse?: boolean } = {}): Promise<TestSmtp> {
  const started = await startSmtp(options);
  smtps.push(started);
  return started;
}

const PASSWORD = 'correct horse battery staple';

async function agent(server: TestServer): Promise<{ client: ShopperClient; welcome: Frame }> {
  server.app.handoffTables.agents.create({ email: 'ana@tienda.example', name: 'Ana', role: 'agent', passwordHash: hashPassword(PASSWORD) });
  const response = await fetch(`${server.httpUrl}/agent/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'ana@tienda.example', password: PASSWORD }),
  });
  const cookie = response.headers.get('set-cookie')!.split(';')[0];
  const client = await ShopperClient.connect(server.socketUrl.replace('/ws/shopper', '/agent/socket'), { headers: { cookie } });
  sockets.push(client);
  return { client, welcome: await client.next('welcome') };
}

/** A shopper's conversation with a ticket left in it (the form itself is tested in handoff.test.ts). */
async function ticketFromShopper(server: TestServer, lang: 'es' | 'en' = 'es') {
  const shopper = await ShopperClient.connect(server.socketUrl);
  sockets.push(shopper);
  const welcome = await shopper.hello({ lang });
  await shopper.close();
  const ticket = server.app.handoffTables.tickets.create({
    conversationId: String(welcome.conversationId),
    name: 'Luz Martínez',
    email: 'luz@example.com',
    message: 'Me llegó el producto roto.\nPedido 321',
    lang,
    reason: 'complaint',
  });
  return { ticket, token: String(welcome.token) };
}

/** Decoded text of a raw MIME message: good enough to find words in quoted-printable or base64 parts. */
function decodedBody(raw: string): string {
  const unfolded = raw.replace(/=\r?\n/g, '');
  const qp = unfolded.replace(/(=[0-9A-F]{2})+/g, (run) => Buffer.from(run.replace(/=/g, ''), 'hex').toString('utf8'));
  const base64 = [...raw.matchAll(/\r?\n\r?\n([A-Za-z0-9+/=\r\n]{40,})/g)].map((match) => Buffer.from(match[1].replace(/\s/g, ''), 'base64').toString('utf8'));
  return [qp, ...base64].join('\n').replace(/\r\n/g, '\n');
}

function header(raw: string, name: string): string {
  const head = raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
  const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`)) ?? '';
  return decodeMimeWords(line.slice(name.length + 1).trim());
}

/** RFC 2047 encoded words (=?UTF-8?Q?…?= or =?UTF-8?B?…?=), as nodemailer writes non-ASCII headers. */
function decodeMimeWords(value: string): string {
  return value.replace(/=\?utf-8\?([BQ])\?([^?]*)\?=\s*/gi, (_all, encoding: string, text: string) => {
    if (encoding.toUpperCase() === 'B') return Buffer.from(text, 'base64').toString('utf8');
    const bytes = text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  });
}

test('the agent answers a ticket: the SMTP server gets the e-mail, the ticket is answered, the reply is in the conversation', async () => {
  const mail = await smtp();
  const server = await start({ smtpUrl: mail.url, smtpFrom: 'Zapatería Sol <ayuda@sol.example>', smtpReplyTo: 'equipo@sol.example' });
  const { ticket, token } = await ticketFromShopper(server);
  const ana = await agent(server);
  expect(ana.welcome.mailConfigured).toBe(true);
  expect(ana.welcome.tickets).toEqual([expect.objectContaining({ id: ticket.id, status: 'open' })]);

  ana.client.send({ type: 'answer_ticket', ticketId: ticket.id, clientMessageId: 't1', text: 'Hola Luz, te enviamos uno nuevo hoy.\nDisculpa la molestia.' });
  // Answered, with who and when: every console's list says so (the update comes just before the ack).
  const tickets = await ana.client.next('tickets');
  expect(tickets.items).toEqual([expect.objectContaining({ id: ticket.id, status: 'answered', answeredBy: 'Ana', draft: null })]);
  const ack = await ana.client.next('ack');
  expect(ack.clientMessageId).toBe('t1');

  expect(mail.received).toHaveLength(1);
  const [sent] = mail.received;
  expect(sent.to).toEqual(['luz@example.com']);
  expect(sent.from).toBe('ayuda@sol.example');
  expect(header(sent.raw, 'Subject')).toBe('Zapatería Sol: respuesta a tu mensaje (ticket #1)');
  expect(header(sent.raw, 'From')).toContain('<ayuda@sol.example>');
  expect(header(sent.raw, 'Reply-To')).toBe('equipo@sol.example');
  expect(header(sent.raw, 'To')).toContain('<luz@example.com>');
  const body = decodedBody(sent.raw);
  expect(body).toContain('Hola, Luz Martínez:');
  expect(body).toContain('te enviamos uno nuevo hoy.');
  expect(body).toContain('Tu mensaje (ticket #1):\n> Me llegó el producto roto.\n> Pedido 321');
  expect(sent.raw).toMatch(/Content-Type: text\/html/);

  expect(server.app.handoffTables.tickets.get(ticket.id)!.answeredAt).not.toBeNull();

  // The transcript keeps the reply, marked as sent by e-mail.
  ana.client.send({ type: 'open', conversationId: ticket.conversationId });
  const view = await ana.client.next('conversation');
  expect(view.messages).toContainEqual(expect.objectContaining({ from: 'agent', authorName: 'Ana', via: 'email', text: expect.stringContaining('uno nuevo hoy') }));

  // The shopper coming back to the widget finds the answer in their history.
  const back = await ShopperClient.connect(server.socketUrl);
  sockets.push(back);
  await back.hello({ token });
  const history = await back.nextMessageFrom('agent');
  expect(history.text).toContain('te enviamos uno nuevo hoy.');
  expect(history.authorName).toBe('Ana');

  // The shopper's e-mail answer, pasted by the agent: the shopper's message, by e-mail; the ticket needs an answer again.
  ana.client.send({ type: 'shopper_email_reply', ticketId: ticket.id, clientMessageId: 't2', text: '¡Gracias! Llegó perfecto.' });
  const pasted = await ana.client.next('message');
  expect(pasted.message).toEqual(expect.objectContaining({ from: 'shopper', via: 'email', text: '¡Gracias! Llegó perfecto.' }));
  expect((await ana.client.next('tickets')).items).toEqual([expect.objectContaining({ id: ticket.id, status: 'open' })]);
  expect((await ana.client.next('ack')).clientMessageId).toBe('t2');
  expect((await back.nextMessageFrom('shopper')).text).toBe('¡Gracias! Llegó perfecto.');

  // The password never reaches a log line.
  expect(logs.join('\n')).not.toContain(SMTP_PASSWORD);
});

test('an English ticket gets an English e-mail', async () => {
  const mail = await smtp();
  const server = await start({ smtpUrl: mail.url, smtpFrom: 'help@sol.example' });
  const { ticket } = await ticketFromShopper(server, 'en');
  const ana = await agent(server);
  ana.client.send({ type: 'answer_ticket', ticketId: ticket.id, clientMessageId: 'e1', text: 'A new pair is on its way.' });
  await ana.client.next('ack');
  const [sent] = mail.received;
  expect(header(sent.raw, 'Subject')).toBe('Zapatería Sol: reply to your message (ticket #1)');
  expect(header(sent.raw, 'Reply-To')).toBe('');
  expect(decodedBody(sent.raw)).toContain('Hello Luz Martínez,');
  expect(decodedBody(sent.raw)).toContain('Your message (ticket #1):');
});

test('without ATENTO_SMTP_URL the send is refused with mail_not_configured, the ticket stays open and the text is kept', async () => {
  const server = await start();
  const { ticket } = await ticketFromShopper(server);
  const ana = await agent(server);
  expect(ana.welcome.mailConfigured).toBe(false);
  ana.client.send({ type: 'answer_ticket', ticketId: ticket.id, clientMessageId: 'n1', text: 'Te enviamos uno nuevo.' });
  const error = await ana.client.next('error');
  expect(error).toEqual(expect.objectContaining({ code: 'mail_not_configured', clientMessageId: 'n1' }));
  expect(error.message).toMatch(/not configured/);
  const stored = server.app.handoffTables.tickets.get(ticket.id)!;
  expect(stored).toEqual(expect.objectContaining({ status: 'open', draft: 'Te enviamos uno nuevo.', answeredAt: null }));
  const messages = server.app.store.messages.listAfter(ticket.conversationId, 0);
  expect(messages.some((message) => message.sender === 'agent')).toBe(false);
});

test('an SMTP server that refuses the message: readable error, ticket open, reply kept as a draft, nothing in the conversation', async () => {
  const mail = await smtp({ refuse: true });
  const server = await start({ smtpUrl: mail.url, smtpFrom: 'ayuda@sol.example' });
  const { ticket } = await ticketFromShopper(server);
  const ana = await agent(server);
  ana.client.send({ type: 'answer_ticket', ticketId: ticket.id, clientMessageId: 'r1', text: 'Te enviamos uno nuevo.' });
  const error = await ana.client.next('error');
  expect(error).toEqual(expect.objectContaining({ code: 'mail_failed', clientMessageId: 'r1' }));
  expect(error.message).toMatch(/451 Mailbox unavailable, try later/);
  expect(error.message).not.toContain(SMTP_PASSWORD);
  expect(server.app.handoffTables.tickets.get(ticket.id)).toEqual(expect.objectContaining({ status: 'open', draft: 'Te enviamos uno nuevo.' }));
  expect(server.app.store.messages.listAfter(ticket.conversationId, 0).some((message) => message.sender === 'agent')).toBe(false);
  expect(logs.join('\n')).toMatch(/mail: sending through smtp:\/\/127\.0\.0\.1:\d+ failed/);
  expect(logs.join('\n')).not.toContain(SMTP_PASSWORD);
});

test('a wrong SMTP password: mail_failed, ticket open, and the error does not echo the password', async () => {
  const mail = await smtp();
  const server = await start({ smtpUrl: mail.url.replace(encodeURIComponent(SMTP_PASSWORD), 'wrong-password'), smtpFrom: 'ayuda@sol.example' });
  const { ticket } = await ticketFromShopper(server);
  const ana = await agent(server);
  ana.client.send({ type: 'answer_ticket', ticketId: ticket.id, clientMessageId: 'w1', text: 'Hola' });
  const error = await ana.client.next('error');
  expect(error.code).toBe('mail_failed');
  expect(error.message).not.toContain('wrong-password');
  expect(server.app.handoffTables.tickets.get(ticket.id)!.status).toBe('open');
  expect(mail.received).toHaveLength(0);
});
