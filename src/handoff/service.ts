import type { Config } from '../config';
import type { Reply } from '../engine/types';
import type { EventBus } from '../events';
import type { Lang } from '../knowledge/types';
import { normalize, words } from '../nlp';
import type { Conversation, Sender, StoredMessage, Store } from '../store';
import type { HandoffOutcome, HandoffTables } from '../store/handoff';
import { isWithinBusinessHours, nextOpening, replyDeadline } from './hours';
import { assessTurn, LEAVE_MESSAGE, OFFER_ACCEPT, OFFER_DECLINE, readOfferAnswer, type EscalationReason } from './policy';
import { Presence, realTimers, type Timers } from './presence';
import { estimateWaitSeconds, pickAgent } from './routing';
import { nextStatus, type HandoffEvent } from './state';
import { DialogMemory, type HandoffDialog } from './dialog-memory';
import { TEXTS } from './texts';
import { createMailer, MailError, type Mailer } from '../mail';
import { ShopperPresence } from './shopper-presence';
import { composeTicketReply } from './ticket-replies';
import { csatQuestion, isCsatQuestion } from './csat';
import { replyWindowOpen } from './reply-window';
import { ConsoleViews, type EntryTitle } from './views';
import { currentQuestion, FORM_CANCEL, FORM_CHANGE_EMAIL, isCancelWord, stepTicketForm, understand, type TicketForm } from './ticket-form';

export interface HandoffDeps {
  store: Store;
  tables: HandoffTables;
  events: EventBus;
  config: Config;
  now?: () => Date;
  timers?: Timers;
  /** A FAQ's title in the agents' language, for readable case labels. */
  entryTitle?: EntryTitle;
  /** Sends ticket replies; without one (or unconfigured) agents are told e-mail is off. */
  mailer?: Mailer;
}

/** What the agent consoles must refresh; the agent gateway turns these into frames. */
export type AgentUpdate =
  | { type: 'queue' }
  | { type: 'chats'; agentId: string }
  | { type: 'assigned'; agentId: string; conversationId: string }
  | { type: 'released'; agentId: string; conversationId: string; outcome: HandoffOutcome | 'requeued' | 'transferred' }
  | { type: 'tickets' }
  | { type: 'agents' }
  | { type: 'presence'; conversationId: string }
  | { type: 'rated'; agentId: string; conversationId: string };

export interface ShopperStatus {
  state: Conversation['status'];
  position?: number;
  etaSeconds?: number;
  agentName?: string;
  /** Whether a person could take the chat now (sent when it matters: the shopper asked and nobody can). */
  agentsAvailable?: boolean;
}

/** Whether a person can take a chat now, and what the shopper is told about it (welcome frame). */
export interface Availability {
  agentsNow: boolean;
  /** One sentence in the shopper's language: a person can help now, or when a left message is answered. */
  note: string;
}

/** What the shopper gateway passes with each message, so an open form can tell answers from questions. */
export interface TurnOptions {
  isChoice: boolean;
  /** The bot's reading of the message (computed only when a form needs it). */
  interpret?: () => Reply;
}

type OptionButton = { id: string; label: string };

export type AgentActionError =
  | 'not_found'
  | 'not_yours'
  | 'already_taken'
  | 'not_waiting'
  | 'agent_offline'
  | 'email_not_configured'
  | 'email_failed'
  | 'whatsapp_window_closed';
export type AgentActionResult = { ok: true } | { ok: false; error: AgentActionError; message?: string };

/** Used for the wait estimate until agents have closed some chats. */
const DEFAULT_HANDLE_SECONDS = 300;
/** Typed answers to "talk to a person?" are short; anything longer is a new question for the bot. */
const MAX_OFFER_ANSWER_WORDS = 4;

/**
 * The human handoff: escalation policy applied to each bot turn, the queue, routing, presence and
 * the ticket form. No HTTP or sockets here: shopper-facing output goes out as stored messages and
 * events on the bus; agent-facing changes go to `subscribe` listeners.
 */
export class HandoffService {
  private readonly store: Store;
  private readonly tables: HandoffTables;
  private readonly events: EventBus;
  private readonly config: Config;
  private readonly now: () => Date;
  private readonly presence: Presence;
  private readonly shoppers = new ShopperPresence();
  private readonly mailer: Mailer;
  /** Tickets whose reply is on its way to the mail server: a second click must not send it twice. */
  private readonly sendingTickets = new Set<number>();
  private readonly memory: DialogMemory;
  /** What the console shows: queue, chats, tickets, agents, transcripts. */
  readonly views: ConsoleViews;
  private readonly listeners = new Set<(update: AgentUpdate) => void>();
  private readonly unsubscribe: Array<() => void> = [];

  constructor(deps: HandoffDeps) {
    this.store = deps.store;
    this.tables = deps.tables;
    this.events = deps.events;
    this.config = deps.config;
    this.now = deps.now ?? (() => new Date());
    this.mailer = deps.mailer ?? createMailer({});
    this.presence = new Presence(deps.timers ?? realTimers, deps.config.handoff.reconnectGraceSeconds * 1000);
    this.memory = new DialogMemory(deps.store);
    this.views = new ConsoleViews(deps.store, deps.tables, this.presence, this.shoppers, deps.entryTitle ?? (() => undefined), this.now);
    // The shopper gateway says when tabs open and close; agents see "en línea" / "se fue hace…".
    this.unsubscribe.push(
      deps.events.on('shopper.connected', ({ conversationId }) => {
        if (this.shoppers.connect(conversationId)) this.notifyPresence(conversationId);
      }),
      deps.events.on('shopper.disconnected', ({ conversationId }) => {
        if (this.shoppers.disconnect(conversationId, this.now())) this.notifyPresence(conversationId);
      }),
    );
  }

  /** After a restart nobody is connected: agents holding chats get the grace period to come back. */
  start(): void {
    const holders = new Set(this.tables.handoffs.assigned().map((handoff) => handoff.agentId!));
    for (const agentId of holders) this.presence.startGrace(agentId, () => this.agentGone(agentId));
  }

  close(): void {
    this.unsubscribe.splice(0).forEach((off) => off());
    this.presence.close();
    this.mailer.close();
    this.listeners.clear();
  }

  subscribe(listener: (update: AgentUpdate) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ——— Shopper side ———

  private notifyPresence(conversationId: string): void {
    // Only chats in the queue or with an agent are on a console; the bot's thousands are not. No
    // listener (no console, or the service closed at shutdown): nothing to tell, nothing to read.
    if (this.listeners.size === 0) return;
    const status = this.store.conversations.get(conversationId)?.status;
    if (status === 'waiting' || status === 'agent') this.notify({ type: 'presence', conversationId });
  }

  /** The status frame a (re)connecting shopper should see. */
  statusOf(conversationId: string): ShopperStatus {
    const conversation = this.store.conversations.get(conversationId);
    if (!conversation) return { state: 'bot' };
    const handoff = this.tables.handoffs.current(conversationId);
    if (conversation.status === 'waiting') {
      const queue = this.tables.handoffs.queue();
      const index = queue.findIndex((item) => item.conversationId === conversationId);
      return index < 0 ? { state: 'waiting' } : { state: 'waiting', ...this.estimator()(index + 1) };
    }
    if (conversation.status === 'agent' && handoff?.agentId) {
      return { state: 'agent', agentName: this.tables.agents.get(handoff.agentId)?.name };
    }
    return { state: conversation.status };
  }

  /** For the welcome: can a person help now, and if not, when does the shop reply. */
  availability(lang: Lang): Availability {
    const t = TEXTS[lang];
    if (this.agentsAvailable()) return { agentsNow: true, note: t.peopleNow };
    return { agentsNow: false, note: t.peopleLater(this.whyNobody(lang), this.replyPromise(lang)) };
  }

  /**
   * Call before the bot answers a shopper message. Returns true when the handoff consumed the
   * message (a ticket form answer, a yes/no to the offer): the bot must not answer it.
   */
  beforeBot(conversationId: string, text: string, options: TurnOptions = { isChoice: false }): boolean {
    const conversation = this.store.conversations.get(conversationId);
    if (!conversation) return false;
    if (conversation.status === 'resolved') this.transition(conversation, 'reopen');
    const dialog = this.memory.read(conversationId);
    if (options.isChoice) {
      // A clicked FAQ button is a new question: the bot answers it, then offers the form again.
      if (dialog.form) this.pauseForm(conversationId, dialog);
      else if (dialog.offerPending) this.memory.write(conversationId, { ...dialog, offerPending: false });
      return false;
    }
    if (dialog.form) return this.continueForm(conversation, dialog, text, options.interpret);
    // Typed a moment after a form ended: answered plainly (sentiment scoring reads "cancelar" as anger).
    if (!dialog.offerPending && isCancelWord(text)) {
      this.post(conversationId, 'bot', TEXTS[conversation.lang].nothingToCancel, conversation.lang);
      return true;
    }
    if (dialog.offerPending) {
      const normalized = normalize(text);
      const answer = words(normalized).length <= MAX_OFFER_ANSWER_WORDS ? readOfferAnswer(normalized) : null;
      this.memory.write(conversationId, { ...dialog, offerPending: false });
      if (answer === 'accept') {
        this.requestHandoff(conversationId, 'low-confidence');
        return true;
      }
      if (answer === 'decline') {
        this.post(conversationId, 'bot', TEXTS[conversation.lang].declined, conversation.lang);
        return true;
      }
    }
    return false;
  }

  /**
   * Applies the escalation policy to one bot turn. `sendReply` stores and delivers the bot's reply;
   * it is called (at most once) before any handoff message, so the transcript reads in order.
   */
  afterBot(conversationId: string, text: string, reply: Reply, sendReply: () => void): void {
    const conversation = this.store.conversations.get(conversationId);
    if (!conversation || conversation.status !== 'bot') {
      sendReply();
      return;
    }
    const dialog = this.memory.read(conversationId);
    const decision = assessTurn(
      { text, lang: reply.lang, reply, lowConfidenceStreak: dialog.lowConfidenceStreak },
      { lowConfidenceStrikes: this.config.handoff.lowConfidenceStrikes },
    );
    const { reofferForm, ...rest } = dialog;
    this.memory.write(conversationId, { ...rest, lowConfidenceStreak: decision.lowConfidenceStreak, offerPending: false });
    const lang = reply.lang;
    const t = TEXTS[lang];
    if (decision.kind === 'none') {
      sendReply();
      // The shopper stepped out of the form to ask something: the way back is one click.
      if (reofferForm) this.post(conversationId, 'bot', t.reofferForm, lang, { options: [{ id: LEAVE_MESSAGE, label: t.leaveMessageOption }] });
      return;
    }
    if (decision.kind === 'offer') {
      sendReply();
      this.memory.write(conversationId, { ...rest, lowConfidenceStreak: 0, offerPending: true });
      this.post(conversationId, 'bot', t.offer, lang, {
        options: [
          { id: OFFER_ACCEPT, label: t.offerAccept },
          { id: OFFER_DECLINE, label: t.offerDecline },
        ],
      });
      return;
    }
    const isIntent = decision.reason === 'human-request' || decision.reason === 'complaint';
    // An intent's reply promises a person ("te paso con una persona"): only send it if one can come.
    if (decision.answerFirst && (!isIntent || this.agentsAvailable())) sendReply();
    this.requestHandoff(conversationId, decision.reason, lang, { announced: isIntent });
  }

  choiceLabel(choiceId: string, lang: Lang): string | null {
    if (choiceId === OFFER_ACCEPT) return TEXTS[lang].offerAccept;
    if (choiceId === OFFER_DECLINE) return TEXTS[lang].offerDecline;
    if (choiceId === LEAVE_MESSAGE) return TEXTS[lang].leaveMessageOption;
    if (choiceId === FORM_CANCEL) return TEXTS[lang].formCancel;
    if (choiceId === FORM_CHANGE_EMAIL) return TEXTS[lang].formChangeEmail;
    return null;
  }

  /** A clicked option: returns true when it was one of the handoff's own ("talk to a person?"). */
  choice(conversationId: string, choiceId: string): boolean {
    if (this.choiceLabel(choiceId, 'es') === null) return false;
    const conversation = this.store.conversations.get(conversationId);
    if (!conversation) return true;
    if (choiceId === LEAVE_MESSAGE) {
      if (conversation.status === 'waiting') this.leaveQueueForMessage(conversation);
      else if (conversation.status !== 'agent') this.reopenForm(conversation);
      return true;
    }
    if (choiceId === FORM_CANCEL || choiceId === FORM_CHANGE_EMAIL) {
      this.formButton(conversation, choiceId);
      return true;
    }
    this.memory.write(conversationId, { ...this.memory.read(conversationId), offerPending: false });
    if (choiceId === OFFER_ACCEPT) this.requestHandoff(conversationId, 'low-confidence');
    else this.post(conversationId, 'bot', TEXTS[conversation.lang].declined, conversation.lang);
    return true;
  }

  /**
   * Puts the conversation in the queue (and routes it), or, with nobody available, starts the
   * leave-a-message form. `announced`: the bot already told the shopper a person is coming.
   */
  requestHandoff(conversationId: string, reason: EscalationReason, langOverride?: Lang, options: { announced?: boolean } = {}): void {
    const conversation = this.store.conversations.get(conversationId);
    if (!conversation) return;
    if (conversation.status === 'waiting' || conversation.status === 'agent') {
      // Asked again (a second tab, an impatient click): just say where they stand.
      const { state, ...detail } = this.statusOf(conversationId);
      this.events.emit('conversation.status_changed', { conversationId, status: state, ...detail });
      return;
    }
    const lang = langOverride ?? conversation.lang;
    const t = TEXTS[lang];
    this.events.emit('conversation.handoff_requested', { conversationId, reason, lang });
    if (!this.agentsAvailable()) {
      const { form } = this.memory.read(conversationId);
      // Asked for a person in the middle of the form: say why not, and keep what was already answered.
      if (form) this.post(conversationId, 'bot', `${t.stillNobody(this.whyNobody(lang))} ${currentQuestion(form, lang)}`, lang, { options: formButtons(form, lang) });
      else this.startTicketForm(conversationId, lang, reason, this.whyNobody(lang));
      // Still with the bot: the status answers the widget's pending "talk to a person" request.
      this.events.emit('conversation.status_changed', { conversationId, status: conversation.status, agentsAvailable: false });
      return;
    }
    this.memory.write(conversationId, { lowConfidenceStreak: 0 });
    if (!options.announced) {
      const text = reason === 'negative-sentiment' ? t.angryHandoff : reason.startsWith('faq:') ? t.faqHandoff : t.connecting;
      this.post(conversationId, 'bot', text, lang);
    }
    this.store.transaction(() => {
      this.tables.handoffs.open(conversationId, reason, lang);
      this.transition(conversation, 'request');
    });
    this.route();
    this.publishQueue();
  }

  // ——— Agent side ———

  agentConnected(agentId: string): void {
    if (this.presence.connect(agentId, this.now())) {
      this.notify({ type: 'agents' });
      this.route();
      this.publishQueue();
    }
  }

  agentDisconnected(agentId: string): void {
    if (this.presence.disconnect(agentId, () => this.agentGone(agentId))) {
      this.notify({ type: 'agents' });
      this.publishQueue(); // fewer agents online: longer estimates
    }
  }

  claim(agentId: string, conversationId: string): AgentActionResult {
    const result = this.store.transaction((): AgentActionResult => {
      const conversation = this.store.conversations.get(conversationId);
      if (!conversation || !this.tables.handoffs.current(conversationId)) return { ok: false, error: 'not_waiting' };
      if (!this.tables.handoffs.claim(conversationId, agentId)) return { ok: false, error: 'already_taken' };
      this.transition(conversation, 'assign');
      return { ok: true };
    });
    if (!result.ok) return result;
    this.afterAssign(agentId, conversationId);
    this.publishQueue();
    return result;
  }

  reply(agentId: string, conversationId: string, text: string, clientMessageId: string): StoredMessage | AgentActionError {
    const owned = this.ownedConversation(agentId, conversationId);
    if (typeof owned === 'string') return owned;
    const authorName = this.agentName(agentId);
    const earlier = this.store.messages.findByClientId(conversationId, clientMessageId);
    // A retry of this agent's own reply is acknowledged again; an id someone else used is not a retry,
    // and the reply is stored without it (ids are unique per conversation).
    if (earlier?.sender === 'agent' && earlier.kind === 'text' && earlier.authorName === authorName) return earlier;
    if (!replyWindowOpen(owned, this.store.messages.lastShopperAt(conversationId), this.now())) {
      this.ticketOutsideWindow(owned);
      return 'whatsapp_window_closed';
    }
    return this.post(conversationId, 'agent', text, owned.lang, { authorName, clientMessageId: earlier ? undefined : clientMessageId });
  }

  /** A private note: stored and shown to agents only; the shopper gateway never delivers notes. */
  note(agentId: string, conversationId: string, text: string): StoredMessage | AgentActionError {
    const conversation = this.store.conversations.get(conversationId);
    if (!conversation) return 'not_found';
    return this.post(conversationId, 'agent', text, conversation.lang, { kind: 'note', authorName: this.agentName(agentId) });
  }

  resolve(agentId: string, conversationId: string): AgentActionResult {
    return this.release(agentId, conversationId, 'resolve');
  }

  handBack(agentId: string, conversationId: string): AgentActionResult {
    return this.release(agentId, conversationId, 'hand_back');
  }

  transfer(agentId: string, conversationId: string, toAgentId: string): AgentActionResult {
    const owned = this.ownedConversation(agentId, conversationId);
    if (typeof owned === 'string') return { ok: false, error: owned };
    const target = this.tables.agents.get(toAgentId);
    if (!target) return { ok: false, error: 'not_found' };
    if (!this.presence.isOnline(toAgentId)) return { ok: false, error: 'agent_offline' };
    if (!this.tables.handoffs.transfer(conversationId, agentId, toAgentId)) return { ok: false, error: 'not_yours' };
    const t = TEXTS[owned.lang];
    this.post(conversationId, 'system', t.transferred(this.agentName(agentId), target.name), owned.lang);
    this.events.emit('conversation.status_changed', { conversationId, status: 'agent', agentName: target.name });
    this.notify({ type: 'released', agentId, conversationId, outcome: 'transferred' });
    this.notify({ type: 'chats', agentId });
    this.notify({ type: 'assigned', agentId: toAgentId, conversationId });
    this.notify({ type: 'chats', agentId: toAgentId });
    return { ok: true };
  }

  /** An agent records the shopper's name or e-mail (which also finds their earlier conversations). */
  setShopperDetails(conversationId: string, details: { name?: string; email?: string }): AgentActionResult {
    if (!this.store.conversations.get(conversationId)) return { ok: false, error: 'not_found' };
    this.store.conversations.setShopper(conversationId, { name: details.name, email: details.email?.toLowerCase() });
    const holder = this.holderOf(conversationId);
    if (holder) this.notify({ type: 'chats', agentId: holder });
    this.notify({ type: 'queue' });
    return { ok: true };
  }

  get emailConfigured(): boolean {
    return this.mailer.configured;
  }

  /**
   * Sends an agent's answer to a ticket by e-mail; only once the mail server took it is the reply kept in
   * the conversation (so the shopper also sees it if they come back to the chat) and the ticket answered.
   * A refusal leaves everything as it was.
   */
  async answerTicket(agentId: string, ticketId: number, text: string): Promise<AgentActionResult> {
    const ticket = this.tables.tickets.get(ticketId);
    if (!ticket) return { ok: false, error: 'not_found' };
    if (this.sendingTickets.has(ticketId)) return { ok: false, error: 'already_taken' };
    this.sendingTickets.add(ticketId);
    const authorName = this.agentName(agentId);
    try {
      await this.mailer.send(composeTicketReply(ticket, { text, agentName: authorName, shopName: this.config.shopName }));
    } catch (error) {
      if (error instanceof MailError) return { ok: false, error: error.code, message: error.message };
      throw error;
    } finally {
      this.sendingTickets.delete(ticketId);
    }
    this.store.transaction(() => {
      this.tables.tickets.markAnswered(ticketId, agentId);
      this.post(ticket.conversationId, 'agent', text, ticket.lang, { authorName, via: 'email' });
      this.askRating(ticket.conversationId, ticket.lang);
    });
    this.notify({ type: 'tickets' });
    return { ok: true };
  }

  /** The shopper answered the reply by e-mail and an agent pasted it: the thread stays whole in Atento. */
  recordEmailReply(ticketId: number, text: string): AgentActionResult {
    const ticket = this.tables.tickets.get(ticketId);
    if (!ticket) return { ok: false, error: 'not_found' };
    this.post(ticket.conversationId, 'shopper', text, ticket.lang, { via: 'email' });
    this.notify({ type: 'tickets' });
    return { ok: true };
  }

  /** The shopper rated the help they got (1–5, optional comment), answering one of our rating questions. */
  rate(conversationId: string, requestId: number, rating: number, comment: string | null): boolean {
    const request = this.store.messages.get(requestId);
    if (!request || request.conversationId !== conversationId || !isCsatQuestion(request)) return false;
    this.tables.csat.record({ requestId, conversationId, rating, comment });
    const rated = this.tables.csat.ofConversation(conversationId).find((entry) => entry.requestId === requestId);
    if (rated?.agentId) this.notify({ type: 'rated', agentId: rated.agentId, conversationId });
    return true;
  }

  closeTicket(agentId: string, ticketId: number): AgentActionResult {
    if (!this.tables.tickets.close(ticketId, agentId)) return { ok: false, error: 'not_found' };
    this.notify({ type: 'tickets' });
    return { ok: true };
  }

  /** The agent holding a conversation, if any (for forwarding shopper messages and typing). */
  holderOf(conversationId: string): string | null {
    return this.tables.handoffs.current(conversationId)?.agentId ?? null;
  }

  // ——— Internals ———

  /**
   * Outside WhatsApp's 24-hour window the chat cannot reach the shopper: with an e-mail on file the case
   * becomes a ticket (once), answered by e-mail from the console's ticket list.
   */
  private ticketOutsideWindow(conversation: Conversation): void {
    if (!conversation.shopperEmail || this.tables.tickets.open().some((ticket) => ticket.conversationId === conversation.id)) return;
    const lastWords = this.tables.handoffs.lastShopperText(conversation.id) ?? '';
    this.tables.tickets.create({
      conversationId: conversation.id,
      name: conversation.shopperName ?? 'WhatsApp',
      email: conversation.shopperEmail,
      message: lastWords,
      lang: conversation.lang,
      reason: 'whatsapp-window',
    });
    this.notify({ type: 'tickets' });
  }

  private agentsAvailable(): boolean {
    return isWithinBusinessHours(this.now(), this.config.handoff) && this.presence.online().length > 0;
  }

  /** "We are closed until Monday 09:00" or "nobody is online right now". */
  private whyNobody(lang: Lang): string {
    const t = TEXTS[lang];
    const closed = !isWithinBusinessHours(this.now(), this.config.handoff);
    return closed ? t.closedNow(nextOpening(this.now(), this.config.handoff)) : t.nobodyOnline;
  }

  /** When a message left now is answered: the configured wording, else computed from business hours. */
  private replyPromise(lang: Lang): string {
    const { handoff } = this.config;
    return handoff.replyPromise?.[lang] ?? TEXTS[lang].replyBy(replyDeadline(this.now(), handoff.replyWithinBusinessHours, handoff));
  }

  /** Offers waiting conversations, first in line first, to the least-loaded online agent under capacity. */
  private route(): void {
    for (const waiting of this.tables.handoffs.queue()) {
      const agentId = pickAgent(this.loads(), this.config.handoff.agentCapacity);
      if (!agentId) return;
      const claimed = this.store.transaction(() => {
        const conversation = this.store.conversations.get(waiting.conversationId);
        if (!conversation || !this.tables.handoffs.claim(waiting.conversationId, agentId)) return false;
        this.transition(conversation, 'assign');
        return true;
      });
      if (claimed) this.afterAssign(agentId, waiting.conversationId);
    }
  }

  private loads() {
    const counts = new Map<string, number>();
    for (const handoff of this.tables.handoffs.assigned()) counts.set(handoff.agentId!, (counts.get(handoff.agentId!) ?? 0) + 1);
    return this.presence.online().map(({ agentId, onlineSince }) => ({ agentId, onlineSince, openChats: counts.get(agentId) ?? 0 }));
  }

  private afterAssign(agentId: string, conversationId: string): void {
    const conversation = this.store.conversations.get(conversationId)!;
    const name = this.agentName(agentId);
    this.post(conversationId, 'system', TEXTS[conversation.lang].agentJoined(name), conversation.lang);
    this.events.emit('conversation.status_changed', { conversationId, status: 'agent', agentName: name });
    this.notify({ type: 'assigned', agentId, conversationId });
    this.notify({ type: 'chats', agentId });
  }

  private release(agentId: string, conversationId: string, event: 'resolve' | 'hand_back'): AgentActionResult {
    const owned = this.ownedConversation(agentId, conversationId);
    if (typeof owned === 'string') return { ok: false, error: owned };
    const outcome: HandoffOutcome = event === 'resolve' ? 'resolved' : 'handed_back';
    this.store.transaction(() => {
      this.tables.handoffs.close(conversationId, outcome);
      this.transition(owned, event, false);
      if (event === 'hand_back') this.memory.write(conversationId, { lowConfidenceStreak: 0 });
    });
    const t = TEXTS[owned.lang];
    const name = this.agentName(agentId);
    this.post(conversationId, 'system', event === 'resolve' ? t.resolved(name) : t.handedBack(name), owned.lang);
    if (event === 'resolve') this.askRating(conversationId, owned.lang);
    this.events.emit('conversation.status_changed', { conversationId, status: event === 'resolve' ? 'resolved' : 'bot' });
    this.notify({ type: 'released', agentId, conversationId, outcome });
    this.notify({ type: 'chats', agentId });
    this.route(); // a slot opened up
    this.publishQueue();
    return { ok: true };
  }

  private askRating(conversationId: string, lang: Lang): void {
    const { text, options } = csatQuestion(lang);
    this.post(conversationId, 'bot', text, lang, { options });
  }

  private startTicketForm(conversationId: string, lang: Lang, reason: string, why: string): void {
    const form: TicketForm = { step: 'name' };
    this.memory.write(conversationId, { lowConfidenceStreak: 0, form, formReason: reason });
    const ask = TEXTS[lang].leaveMessage(this.replyPromise(lang));
    this.post(conversationId, 'bot', why ? `${why} ${ask}` : ask, lang, { options: formButtons(form, lang) });
  }

  /** The shopper stepped out of the form (a question, a clicked FAQ): the bot answers, the form waits to be offered again. */
  private pauseForm(conversationId: string, dialog: HandoffDialog): void {
    this.memory.write(conversationId, { lowConfidenceStreak: 0, formReason: dialog.formReason, reofferForm: true });
  }

  /** "Dejar un mensaje" clicked while with the bot: the form from the start (unless one is open). */
  private reopenForm(conversation: Conversation): void {
    const dialog = this.memory.read(conversation.id);
    if (dialog.form) {
      this.post(conversation.id, 'bot', currentQuestion(dialog.form, conversation.lang), conversation.lang, { options: formButtons(dialog.form, conversation.lang) });
      return;
    }
    this.startTicketForm(conversation.id, conversation.lang, dialog.formReason ?? 'button', '');
  }

  private formButton(conversation: Conversation, choiceId: string): void {
    const lang = conversation.lang;
    const dialog = this.memory.read(conversation.id);
    const form = dialog.form;
    if (!form) {
      if (choiceId === FORM_CANCEL) this.post(conversation.id, 'bot', TEXTS[lang].nothingToCancel, lang);
      else this.reopenForm(conversation);
      return;
    }
    if (choiceId === FORM_CANCEL) {
      this.memory.write(conversation.id, { lowConfidenceStreak: 0 });
      this.post(conversation.id, 'bot', TEXTS[lang].formCancelled, lang);
      return;
    }
    const back: TicketForm = form.step === 'message' ? { step: 'email', name: form.name } : form;
    this.memory.write(conversation.id, { ...dialog, form: back });
    this.post(conversation.id, 'bot', currentQuestion(back, lang), lang, { options: formButtons(back, lang) });
  }

  /** The grace period ran out: the agent's chats go back to the queue; with nobody left, offer a message. */
  private agentGone(agentId: string): void {
    this.requeueChatsOf(agentId);
    if (this.presence.online().length > 0) return;
    for (const waiting of this.tables.handoffs.queue()) {
      const dialog = this.memory.read(waiting.conversationId);
      if (dialog.leaveOffered) continue;
      this.memory.write(waiting.conversationId, { ...dialog, leaveOffered: true });
      const t = TEXTS[waiting.lang];
      this.post(waiting.conversationId, 'bot', t.nobodyLeft, waiting.lang, { options: [{ id: LEAVE_MESSAGE, label: t.leaveMessageOption }] });
    }
  }

  /** A waiting shopper chose to leave a message instead: out of the queue, into the form. */
  private leaveQueueForMessage(conversation: Conversation): void {
    const handoff = this.tables.handoffs.current(conversation.id);
    if (conversation.status !== 'waiting' || !handoff) return;
    this.store.transaction(() => {
      this.tables.handoffs.close(conversation.id, 'ticket');
      this.transition(conversation, 'hand_back');
    });
    this.startTicketForm(conversation.id, conversation.lang, handoff.reason, '');
    this.publishQueue();
  }

  private requeueChatsOf(agentId: string): void {
    if (this.presence.isOnline(agentId)) return;
    const chats = this.tables.handoffs.ofAgent(agentId);
    if (chats.length === 0) return;
    const name = this.agentName(agentId);
    for (const chat of chats) {
      const conversation = this.store.conversations.get(chat.conversationId);
      if (!conversation) continue;
      this.store.transaction(() => {
        this.tables.handoffs.requeue(chat.conversationId);
        this.transition(conversation, 'requeue', false);
      });
      this.post(chat.conversationId, 'system', TEXTS[conversation.lang].agentLeft(name), conversation.lang);
      this.notify({ type: 'released', agentId, conversationId: chat.conversationId, outcome: 'requeued' });
    }
    this.notify({ type: 'chats', agentId });
    this.route();
    this.publishQueue();
  }

  /** Every waiting shopper gets their position and estimate; every console gets the queue. */
  private publishQueue(): void {
    const estimate = this.estimator();
    this.tables.handoffs.queue().forEach((handoff, index) => {
      this.events.emit('conversation.status_changed', { conversationId: handoff.conversationId, status: 'waiting', ...estimate(index + 1) });
    });
    this.notify({ type: 'queue' });
  }

  /** Position → {position, etaSeconds?}, from the current load and the recent median chat length. */
  private estimator(): (position: number) => { position: number; etaSeconds?: number } {
    const loads = this.loads();
    const capacity = this.config.handoff.agentCapacity;
    const freeSlots = loads.reduce((sum, load) => sum + Math.max(0, capacity - load.openChats), 0);
    const averageHandleSeconds = this.tables.handoffs.medianHandleSeconds() ?? DEFAULT_HANDLE_SECONDS;
    return (position) => {
      const eta = estimateWaitSeconds({ position, onlineAgents: loads.length, freeSlots, averageHandleSeconds });
      return eta === null ? { position } : { position, etaSeconds: eta };
    };
  }

  /** One message while the form is open; false when it was not an answer and the bot should take it. */
  private continueForm(conversation: Conversation, dialog: HandoffDialog, text: string, interpret?: () => Reply): boolean {
    const lang = conversation.lang;
    const reading = interpret ? understand(interpret(), this.config.matching.answerThreshold) : { confident: false, matchedTerms: 0, certain: false, humanRequest: false };
    const step = stepTicketForm(dialog.form!, text, lang, reading);
    if (step.kind === 'aside') {
      this.pauseForm(conversation.id, dialog);
      return false;
    }
    if (step.kind === 'handoff') {
      if (this.agentsAvailable()) this.memory.write(conversation.id, { lowConfidenceStreak: 0 });
      this.requestHandoff(conversation.id, 'human-request');
      return true;
    }
    if (step.kind === 'ask') {
      this.memory.write(conversation.id, { ...dialog, form: step.form });
      this.post(conversation.id, 'bot', step.text, lang, { options: formButtons(step.form, lang) });
      return true;
    }
    this.memory.write(conversation.id, { lowConfidenceStreak: 0 });
    if (step.kind === 'cancelled') {
      this.post(conversation.id, 'bot', step.text, lang);
      return true;
    }
    const ticket = this.store.transaction(() => {
      this.store.conversations.setShopper(conversation.id, { name: step.ticket.name, email: step.ticket.email });
      return this.tables.tickets.create({ conversationId: conversation.id, lang, reason: dialog.formReason ?? 'button', ...step.ticket });
    });
    this.post(conversation.id, 'bot', TEXTS[lang].ticketDone(ticket.id, ticket.email, this.replyPromise(lang)), lang);
    this.notify({ type: 'tickets' });
    return true;
  }

  private ownedConversation(agentId: string, conversationId: string): Conversation | AgentActionError {
    const conversation = this.store.conversations.get(conversationId);
    if (!conversation) return 'not_found';
    if (conversation.status !== 'agent' || this.holderOf(conversationId) !== agentId) return 'not_yours';
    return conversation;
  }

  /** Applies a state-machine event; emits the status change unless the caller sends a richer one. */
  private transition(conversation: Conversation, event: HandoffEvent, emit = true): void {
    const status = nextStatus(conversation.status, event);
    if (!status) throw new Error(`handoff: cannot ${event} a conversation that is ${conversation.status} (${conversation.id})`);
    this.store.conversations.setStatus(conversation.id, status);
    conversation.status = status;
    if (emit && status !== 'waiting' && status !== 'agent') this.events.emit('conversation.status_changed', { conversationId: conversation.id, status });
  }

  private post(
    conversationId: string,
    sender: Sender,
    text: string,
    lang: Lang,
    extra: { kind?: 'text' | 'note'; authorName?: string; clientMessageId?: string; options?: OptionButton[]; via?: 'email' } = {},
  ): StoredMessage {
    const message = this.store.messages.insert({ conversationId, sender, text, lang, ...extra });
    this.events.emit('message.created', { message });
    return message;
  }

  private agentName(agentId: string): string {
    return this.tables.agents.get(agentId)?.name ?? '—';
  }

  private notify(update: AgentUpdate): void {
    for (const listener of this.listeners) listener(update);
  }
}

/** The buttons under each of the form's questions: always a way out, and a way to fix the e-mail once shown. */
function formButtons(form: TicketForm, lang: Lang): OptionButton[] {
  const t = TEXTS[lang];
  const cancel = { id: FORM_CANCEL, label: t.formCancel };
  return form.step === 'message' ? [{ id: FORM_CHANGE_EMAIL, label: t.formChangeEmail }, cancel] : [cancel];
}
