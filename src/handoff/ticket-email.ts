import type { Lang } from '../knowledge/types';
import type { OutgoingEmail } from '../mail';
import type { Ticket } from '../store/tickets';

const WORDS = {
  es: {
    subject: (shop: string, id: number) => `${shop}: respuesta a tu mensaje (ticket #${id})`,
    hello: (name: string) => `Hola, ${name}:`,
    yourMessage: (id: number) => `Tu mensaje (ticket #${id}):`,
    replyHint: 'Si necesitas algo más, responde a este correo.',
  },
  en: {
    subject: (shop: string, id: number) => `${shop}: reply to your message (ticket #${id})`,
    hello: (name: string) => `Hello ${name},`,
    yourMessage: (id: number) => `Your message (ticket #${id}):`,
    replyHint: 'If you need anything else, just reply to this e-mail.',
  },
} satisfies Record<Lang, Record<string, unknown>>;

/** The e-mail answering a ticket: in the ticket's language, quoting what the shopper wrote. Pure. */
export function ticketReplyEmail(ticket: Ticket, reply: string, agentName: string, shopName: string): OutgoingEmail {
  const w = WORDS[ticket.lang];
  const quoted = ticket.message.split(/\r?\n/).map((line) => `> ${line}`).join('\n');
  const text = [w.hello(ticket.name), '', reply, '', `${agentName}`, shopName, '', w.replyHint, '', w.yourMessage(ticket.id), quoted, ''].join('\n');
  const paragraphs = (value: string) => value.split(/\r?\n/).map(escapeHtml).join('<br>');
  const html = [
    `<p>${escapeHtml(w.hello(ticket.name))}</p>`,
    `<p>${paragraphs(reply)}</p>`,
    `<p>${escapeHtml(agentName)}<br>${escapeHtml(shopName)}</p>`,
    `<p>${escapeHtml(w.replyHint)}</p>`,
    `<p>${escapeHtml(w.yourMessage(ticket.id))}</p>`,
    `<blockquote style="margin:0 0 0 .8em;padding-left:.8em;border-left:3px solid #ccc;color:#555">${paragraphs(ticket.message)}</blockquote>`,
  ].join('\n');
  return { to: { name: ticket.name, address: ticket.email }, subject: w.subject(shopName, ticket.id), text, html };
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);
}
