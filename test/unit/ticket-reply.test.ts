import { composeTicketReply } from '../../src/handoff/ticket-replies';
import type { Ticket } from '../../src/store';

const ticket = (message: string, name = 'Rosa'): Ticket => ({
  id: 7,
  conversationId: 'c1',
  name,
  email: 'rosa@example.com',
  message,
  lang: 'es',
  reason: 'no_agents',
  status: 'open',
  createdAt: '2026-12-01T15:00:00.000Z',
  closedAt: null,
  closedBy: null,
  answeredAt: null,
});

test("the reply quotes the shopper's words, without the links nobody at the shop wrote", () => {
  const mail = composeTicketReply(ticket('Mi pedido 4821 no llega.\nURGENTE: verifica tu cuenta en https://evil.example/login o www.evil.example'), {
    text: 'Ya salió tu pedido.',
    agentName: 'Ana',
    shopName: 'Tienda Demo',
  });
  expect(mail.to).toBe('rosa@example.com');
  expect(mail.text).toContain('Ya salió tu pedido.\n\n— Ana, Tienda Demo');
  expect(mail.text).toContain('> Mi pedido 4821 no llega.\n> URGENTE: verifica tu cuenta en [enlace quitado] o [enlace quitado]\n');
  expect(mail.text).not.toMatch(/evil\.example/);
});

test('bare host names and bracketed links count as links; e-mail addresses, order numbers and prices stay', () => {
  const mail = composeTicketReply(ticket('Entra a bit.ly/3xYz o paypal.com.evil.example/login o <https://y.example>.\nMi correo es rosa@example.com, pedido 4821 por $1.299,50'), {
    text: 'Listo.',
    agentName: 'Ana',
    shopName: 'Tienda Demo',
  });
  expect(mail.text).toContain('> Entra a [enlace quitado] o [enlace quitado] o [enlace quitado]\n> Mi correo es rosa@example.com, pedido 4821 por $1.299,50\n');
});

test('a link in the name is removed too, and the agent\'s own links stay', () => {
  const mail = composeTicketReply(ticket('hola', 'Gana un premio http://evil.example'), { text: 'Mira https://tienda.example/envios', agentName: 'Ana', shopName: 'Tienda Demo' });
  expect(mail.text).toMatch(/^Hola, Gana un premio \[enlace quitado\]:/);
  expect(mail.text).toContain('Mira https://tienda.example/envios');
});
