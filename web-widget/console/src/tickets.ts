import type { AgentServerFrame } from '../../../src/channels/agent-protocol';
import type { Ticket } from '../../../src/store/tickets';
import { formatDate, formatTime, h, reasonLabel, replaceChildren } from './dom';
import type { AgentSocket } from './socket';

/**
 * Tickets in the console: the list cards (open vs answered) and, on a ticket's conversation, the panel
 * where the agent answers by e-mail or pastes the shopper's e-mail answer. A refused send keeps the
 * text in the box (the server also keeps it as the ticket's draft).
 */

type Mode = 'email' | 'pasted';

/** The server's coded refusals, in the console's language; the mail server's own words follow in parentheses. */
const REFUSALS: Record<string, string> = {
  mail_not_configured: 'el envío de correo no está configurado (ATENTO_SMTP_URL). El texto quedó guardado como borrador y el ticket sigue abierto.',
  mail_failed: 'el servidor de correo no aceptó la respuesta. El texto quedó guardado como borrador y el ticket sigue abierto.',
  mail_busy: 'ya se está enviando una respuesta a este ticket.',
  ticket_closed: 'este ticket está cerrado.',
};

function refusal(code: string, message: string): string {
  const known = REFUSALS[code];
  if (!known) return message;
  const detail = message.indexOf(' (') >= 0 ? message.slice(message.indexOf(' (')) : '';
  return `${known}${detail}`;
}

export function ticketCard(ticket: Ticket, options: { selected: boolean; onOpen: () => void; onClose: () => void }): HTMLElement {
  const close = h('button', { type: 'button', class: 'small', 'data-focus': `close-ticket:${ticket.id}` }, 'Marcar como atendido');
  close.addEventListener('click', (event) => {
    event.stopPropagation();
    options.onClose();
  });
  const card = h(
    'article',
    { class: `card ticket${options.selected ? ' selected' : ''}`, tabindex: '0', 'data-focus': `ticket:${ticket.id}`, 'aria-current': options.selected ? 'true' : undefined },
    h('div', { class: 'card-top' }, h('strong', {}, `#${ticket.id} ${ticket.name}`), h('span', { class: 'lang' }, ticket.lang.toUpperCase()), statusBadge(ticket)),
    h('div', { class: 'reason' }, `${reasonLabel(ticket.reason)} · ${formatDate(ticket.createdAt)}`),
    h('p', { class: 'ticket-message' }, ticket.message),
    h('div', { class: 'ticket-actions' }, h('span', { class: 'ticket-email' }, ticket.email), close),
  );
  card.addEventListener('click', options.onOpen);
  card.addEventListener('keydown', (event) => {
    if (event.target === card && (event.key === 'Enter' || event.key === ' ')) {
      event.preventDefault();
      options.onOpen();
    }
  });
  return card;
}

function statusBadge(ticket: Ticket): HTMLElement {
  if (ticket.status === 'answered' && ticket.answeredAt) {
    return h('span', { class: 'ticket-status answered' }, `Respondido · ${ticket.answeredBy ?? ''} ${formatTime(ticket.answeredAt)}`);
  }
  return h('span', { class: 'ticket-status open' }, 'Abierto');
}

export class TicketPanel {
  readonly element = h('section', { class: 'ticket-panel', 'aria-label': 'Responder el ticket' });
  private ticket: Ticket | null = null;
  private mode: Mode = 'email';
  private error = '';
  /** Sent and not yet answered by the server, by clientMessageId. */
  private readonly pending = new Map<string, { ticketId: number; mode: Mode; text: string }>();
  private sequence = 0;
  private readonly input = h('textarea', { id: 'ticket-reply', rows: '4', maxlength: '2000', 'aria-label': 'Respuesta por correo' });
  private readonly sendButton = h('button', { type: 'submit', class: 'primary' }, 'Enviar por correo');

  constructor(
    private readonly socket: AgentSocket,
    private readonly notice: (text: string) => void,
  ) {
    this.element.hidden = true;
  }

  /** Shows the panel for the conversation's latest ticket that is not closed, or hides it. */
  render(conversationId: string | undefined, tickets: Ticket[], mailConfigured: boolean): void {
    const ticket = conversationId ? tickets.filter((t) => t.conversationId === conversationId).at(-1) ?? null : null;
    if (ticket?.id !== this.ticket?.id) {
      this.input.value = '';
      this.error = '';
    }
    this.ticket = ticket;
    this.element.hidden = !ticket;
    if (!ticket) return replaceChildren(this.element);
    const sending = [...this.pending.values()].some((p) => p.ticketId === ticket.id);
    if (!this.input.value && ticket.draft && !sending) this.input.value = ticket.draft;

    const modeButton = (mode: Mode, label: string) => {
      const button = h('button', { type: 'button', class: 'mode', 'aria-pressed': String(this.mode === mode) }, label);
      button.addEventListener('click', () => {
        this.mode = mode;
        this.render(conversationId, tickets, mailConfigured);
      });
      return button;
    };
    const emailMode = this.mode === 'email';
    this.input.setAttribute('aria-label', emailMode ? 'Respuesta por correo' : 'Respuesta del cliente recibida por correo');
    this.input.placeholder = emailMode ? `Tu respuesta a ${ticket.email}…` : 'Pega aquí lo que el cliente respondió por correo…';
    this.sendButton.textContent = sending ? 'Enviando…' : emailMode ? 'Enviar por correo' : 'Añadir a la conversación';
    this.sendButton.disabled = sending || (emailMode && !mailConfigured);
    const form = h(
      'form',
      { class: 'ticket-form' },
      h('div', { class: 'composer-modes', role: 'group', 'aria-label': 'Tipo de respuesta' }, modeButton('email', 'Responder por correo'), modeButton('pasted', 'Pegar respuesta del cliente')),
      emailMode && !mailConfigured
        ? h('p', { class: 'ticket-warning', role: 'alert' }, 'El envío de correo no está configurado (falta ATENTO_SMTP_URL): no se puede responder desde aquí y el ticket sigue abierto.')
        : null,
      this.error ? h('p', { class: 'ticket-error', role: 'alert' }, this.error) : null,
      this.input,
      h('div', { class: 'composer-actions' }, h('span', { class: 'hint' }, emailMode ? `Se envía a ${ticket.name} <${ticket.email}> y queda en la conversación.` : 'Queda en la conversación como mensaje del cliente (por correo).'), this.sendButton),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit();
    });
    replaceChildren(
      this.element,
      h('h3', {}, `Ticket #${ticket.id}`, statusBadge(ticket)),
      h('p', { class: 'ticket-message' }, ticket.message),
      form,
    );
  }

  /** Acks and errors of this panel's sends; returns true when the frame was one of them. */
  onFrame(frame: AgentServerFrame): boolean {
    if ((frame.type !== 'ack' && frame.type !== 'error') || !frame.clientMessageId) return false;
    const sent = this.pending.get(frame.clientMessageId);
    if (!sent) return false;
    this.pending.delete(frame.clientMessageId);
    const here = this.ticket?.id === sent.ticketId;
    if (frame.type === 'ack') {
      if (here && this.input.value === sent.text) this.input.value = '';
      if (here) this.error = '';
      this.notice(sent.mode === 'email' ? 'Respuesta enviada por correo.' : 'Respuesta del cliente añadida.');
    } else {
      // Nothing is lost: the text goes back in the box.
      if (here && !this.input.value.trim()) this.input.value = sent.text;
      const why = refusal(frame.code, frame.message);
      if (here) this.error = `No se envió: ${why}`;
      this.notice(`No se envió: ${why}`);
    }
    this.sendButton.disabled = false;
    return true;
  }

  private submit(): void {
    const text = this.input.value.trim();
    if (!text || !this.ticket) return;
    const clientMessageId = `t${Date.now().toString(36)}${this.sequence++}`;
    const type = this.mode === 'email' ? 'answer_ticket' : 'shopper_email_reply';
    if (!this.socket.send({ type, ticketId: this.ticket.id, clientMessageId, text })) return this.notice('Sin conexión: no se envió.');
    this.pending.set(clientMessageId, { ticketId: this.ticket.id, mode: this.mode, text });
    this.sendButton.disabled = true;
    this.sendButton.textContent = 'Enviando…';
  }
}
