import Database from 'better-sqlite3';
import { ticketReplyEmail } from '../../src/handoff/ticket-email';
import { MIGRATIONS, migrate } from '../../src/store';
import type { Ticket } from '../../src/store/tickets';

const TICKET: Ticket = {
  id: 12,
  conversationId: 'c1',
  name: 'Luz <b>Martínez</b>',
  email: 'luz@example.com',
  message: 'Me llegó roto <script>alert(1)</script>\nPedido 321 & 322',
  lang: 'es',
  reason: 'complaint',
  status: 'open',
  createdAt: '2026-12-04T03:00:00.000Z',
  closedAt: null,
  closedBy: null,
  answeredAt: null,
  answeredBy: null,
  draft: null,
};

describe('ticket reply e-mail', () => {
  it('names the shop and the ticket, answers in the ticket language and quotes the shopper', () => {
    const email = ticketReplyEmail(TICKET, 'Te enviamos otro.', 'Ana', 'Zapatería Sol');
    expect(email.to).toEqual({ name: 'Luz <b>Martínez</b>', address: 'luz@example.com' });
    expect(email.subject).toBe('Zapatería Sol: respuesta a tu mensaje (ticket #12)');
    expect(email.text).toBe(
      'Hola, Luz <b>Martínez</b>:\n\nTe enviamos otro.\n\nAna\nZapatería Sol\n\nSi necesitas algo más, responde a este correo.\n\n' +
        'Tu mensaje (ticket #12):\n> Me llegó roto <script>alert(1)</script>\n> Pedido 321 & 322\n',
    );
    expect(ticketReplyEmail({ ...TICKET, lang: 'en' }, 'On its way.', 'Ana', 'Sol').subject).toBe('Sol: reply to your message (ticket #12)');
  });

  it('escapes everything in the HTML alternative', () => {
    const { html } = ticketReplyEmail(TICKET, 'Usa <a href="x">este enlace</a>', 'Ana "la jefa"', 'Sol & Co');
    expect(html).not.toMatch(/<script|<b>|<a /);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;<br>Pedido 321 &amp; 322');
    expect(html).toContain('Usa &lt;a href=&quot;x&quot;&gt;este enlace&lt;/a&gt;');
    expect(html).toContain('Ana &quot;la jefa&quot;<br>Sol &amp; Co');
  });
});

describe('migration 3 (ticket replies)', () => {
  it('keeps the tickets of a version 2 database and allows the answered state', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, 2));
    db.prepare("INSERT INTO conversations (id, lang, created_at, updated_at) VALUES ('c1', 'es', 'x', 'x')").run();
    db.prepare("INSERT INTO tickets (conversation_id, name, email, message, lang, reason, created_at) VALUES ('c1', 'Luz', 'luz@example.com', 'hola', 'es', 'button', 'x')").run();
    migrate(db);
    expect(db.prepare('SELECT id, name, status, answered_at, draft FROM tickets').all()).toEqual([{ id: 1, name: 'Luz', status: 'open', answered_at: null, draft: null }]);
    db.prepare("UPDATE tickets SET status = 'answered' WHERE id = 1").run();
    expect(() => db.prepare("UPDATE tickets SET status = 'lost' WHERE id = 1").run()).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO messages (conversation_id, sender, text, via, created_at) VALUES ('c1', 'agent', 'x', 'fax', 'x')").run()).toThrow(/CHECK/);
  });
});
