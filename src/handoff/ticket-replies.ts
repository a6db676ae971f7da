import type { Lang } from '../knowledge/types';
import type { OutgoingMail } from '../mail';
import type { Ticket } from '../store';

const TEXT: Record<Lang, { subject: (shop: string, id: number) => string; hello: (name: string) => string; quote: (date: string) => string; link: string }> = {
  es: {
    subject: (shop, id) => `${shop}: respuesta a tu mensaje (ticket #${id})`,
    hello: (name) => `Hola, ${name}:`,
    quote: (date) => `Tu mensaje del ${date}:`,
    link: '[enlace quitado]',
  },
  en: {
    subject: (shop, id) => `${shop}: reply to your message (ticket #${id})`,
    hello: (name) => `Hi ${name},`,
    quote: (date) => `Your message of ${date}:`,
    link: '[link removed]',
  },
};

/**
 * A URL, or a bare host name with a letter top-level domain ("bit.ly/x", "paypal-verify.com"), which mail
 * programs turn into links too; not the domain of an e-mail address ("rosa@example.com" stays).
 */
const LINK = /<?\b(?:https?:\/\/\S+|www\.\S+|(?<![@\w.-])[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?:\/\S*)?)>?/gi;

/**
 * The e-mail a shopper gets when an agent answers their ticket: the reply, signed, over their own words.
 * Nobody confirmed the address the ticket gave, so the shopper's words go out without their links: else
 * anyone could leave a ticket naming someone else's address and have the shop's own mail server deliver
 * their link to it, under the shop's name, once an agent answers.
 */
export function composeTicketReply(ticket: Ticket, reply: { text: string; agentName: string; shopName: string }): OutgoingMail {
  const t = TEXT[ticket.lang];
  const date = new Date(ticket.createdAt).toLocaleDateString(ticket.lang, { day: 'numeric', month: 'long', year: 'numeric' });
  const unlinked = (text: string) => text.replace(LINK, t.link);
  const quoted = unlinked(ticket.message).split('\n').map((line) => `> ${line}`).join('\n');
  return {
    to: ticket.email,
    subject: t.subject(reply.shopName, ticket.id),
    text: `${t.hello(unlinked(ticket.name))}\n\n${reply.text.trim()}\n\n— ${reply.agentName}, ${reply.shopName}\n\n${t.quote(date)}\n${quoted}\n`,
  };
}
