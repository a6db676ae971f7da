import type { Config } from '../config';
import type { Reply, TurnReply } from '../engine/types';
import type { EventBus } from '../events';
import type { Lang } from '../knowledge/types';
import { normalize, words } from '../nlp';
import type { Conversation, HandoffOutcome, StatusChange, StoredMessage, Store } from '../store';
import { silentLogger, type Logger } from '../observability';
import { isWithinBusinessHours, nextOpening, replyDeadline } from './hours';
import { assessTurn, LEAVE_MESSAGE, OFFER_ACCEPT, OFFER_DECLINE, readOfferAnswer, type EscalationReason } from './policy';
import { Presence, realTimers, type Timers } from './presence';
import { TeamPresence } from './team-presence';
import { createMemoryBus, DEFAULT_PRESENCE_TTL_MS, type Bus, type Leases } from '../bus';
import { estimateWaitSeconds, pickAgent } from './routing';
import { nextStatus, type HandoffEvent } from './state';
import { DialogMemory } from './dialog-memory';
import { TEXTS } from './texts';
import { createMailer, type Mailer } from '../mail';
import { ShopperPresence, type ShopperPresenceState } from './shopper-presence';
import { csatQuestion, isCsatQuestion } from './csat';
import { replyWindowOpen } from './reply-window';
import { ConsoleViews, type EntryTitle } from './views';
import { FORM_CANCEL, FORM_CHANGE_EMAIL, isCancelWord } from './ticket-form';
import { LeaveMessageForm } from './leave-message';
import { poster, type PostMessage } from './post';
import { TicketDesk } from './ticket-desk';

export interface HandoffDeps {
  store: Store;
  /** Where failures of background work (timers, presence events) are reported. */
  log?: Logger;
  events: EventBus;
  config: Config;
  now?: () => Date;
  timers?: Timers;
  /** A FAQ's title in the agents' language, for readable case labels. */
  entryTitle?: EntryTitle;
  /** Sends ticket replies; without one (or unconfigured) agents are told e-mail is off. */
  mailer?: Mailer;
  /**
   * Agent presence and leases shared with the other nodes (src/bus); by default an in-memory bus: one
   * node alone, whose presence is its own consoles.
   */
  bus?: Pick<Bus, 'presence' | 'leases' | 'nodeId'>;
}

/** What the agent consoles must refresh; the agent gateway turns these into frames. */
export type AgentUpdate =
  | { type: 'queue' }
  | { type: 'chats'; agentId: string }
  | { type: 'assigned'; agentId: string; conversationId: string }
  | { type: 'released'; agentId: string; conversationId: string; outcome: HandoffOutcome | 'requeued' | 'transferred' }
  | { type: 'tickets' }
  | { type: 'agents' }
  /**
   * `node`: the node whose shopper sockets changed (a node ignores its own word when it hears it back);
   * absent from nodes of an earlier version, during a rolling deploy.
   */
  | ({ type: 'presence'; conversationId: string; node?: string } & ShopperPresenceState)
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

export type AgentActionError =
  | 'not_found'
  | 'not_yours'
  | 'already_taken'
  | 'not_waiting'
  | 'agent_offline'
  | 'email_not_configured'
  | 'email_failed'
  | 'whatsapp_window_closed'
  | 'shopper_verified';
export type AgentActionResult = { ok: true } | { ok: false; error: AgentActionError; message?: string };

/** Taking a waiting chat, as the state machine says; only a conversation still waiting can be claimed. */
const ASSIGN: StatusChange = { from: 'waiting', to: nextStatus('waiting', 'assign')! };
/** Used for the wait estimate until agents have closed some chats. */
const DEFAULT_HANDLE_SECONDS = 300;
/** Typed answers to "talk to a person?" are short; anything longer is a new question for the bot. */
const MAX_OFFER_ANSWER_WORDS = 4;
/** Presence is re-announced three times per TTL, so one late heartbeat does not drop a node's agents. */
const PRESENCE_HEARTBEAT_MS = DEFAULT_PRESENCE_TTL_MS / 3;
/** Long enough for the requeue of one agent's chats; a node killed meanwhile frees it after this. */
const AGENT_GONE_LEASE_MS = 30_000;
/** Stands for every node too old to name itself on the bus. */
const UNNAMED_NODE = 'unnamed';

/**
 * The human handoff: escalation policy applied to each bot turn, the queue, routing and presence; the
 * leave-a-message form (leave-message.ts) when nobody can come, and e-mail tickets (ticket-desk.ts).
 * No HTTP or sockets here: shopper-facing output goes out as stored messages and events on the bus;
 * agent-facing changes go to `subscribe` listeners.
 */
export class HandoffService {
  private readonly store: Store;
  private readonly log: Logger;
  private readonly events: EventBus;
  private readonly config: Config;
  private readonly now: () => Date;
  private readonly presence: Presence;
  /** Agents online on any node (this node's `presence` included): routing and availability read this. */
  private readonly team: TeamPresence;
  private readonly leases: Leases;
  /** This node, as named on the bus: what it hears of its own shoppers it knows already. */
  private readonly nodeId: string;
  private readonly shoppers = new ShopperPresence();
  private readonly mailer: Mailer;
  private readonly memory: DialogMemory;
  /** What the console shows: queue, chats, tickets, agents, transcripts. */
  readonly views: ConsoleViews;
  /** Tickets answered by e-mail from the console. */
  readonly tickets: TicketDesk;
  private readonly form: LeaveMessageForm;
  private readonly post: PostMessage;
  private readonly listeners = new Set<(update: AgentUpdate) => void>();
  private readonly unsubscribe: Array<() => void> = [];
  /** The routing under way, if any (see `route`). */
  private routing: Promise<void> = Promise.resolve();

  constructor(deps: HandoffDeps) {
    this.store = deps.store;
    this.log = deps.log ?? silentLogger();
    this.events = deps.events;
    this.config = deps.config;
    this.now = deps.now ?? (() => new Date());
    this.mailer = deps.mailer ?? createMailer({});
    this.presence = new Presence(deps.timers ?? realTimers, deps.config.handoff.reconnectGraceSeconds * 1000);
    const bus = deps.bus ?? createMemoryBus();
    this.leases = bus.leases;
    this.nodeId = bus.nodeId;
    this.team = new TeamPresence(
      this.presence,
      bus.presence,
      (error) => this.log.warn({ err: error }, 'agent presence not shared with the other nodes'),
      PRESENCE_HEARTBEAT_MS,
      // Their node was killed, or they closed the console there: consoles show them offline, and their
      // chats get the grace period here too.
      (agentIds) => {
        agentIds.forEach((agentId) => this.presence.startGrace(agentId, () => this.background(this.agentGone(agentId))));
        this.notify({ type: 'agents' });
      },
    );
    this.memory = new DialogMemory(deps.store);
    this.post = poster(deps.store, deps.events);
    const ticketsChanged = () => this.notify({ type: 'tickets' });
    const agentName = (agentId: string) => this.agentName(agentId);
    this.tickets = new TicketDesk({ store: deps.store, events: deps.events, mailer: this.mailer, shopName: deps.config.shopName, post: this.post, agentName, ticketsChanged });
    this.form = new LeaveMessageForm({
      store: deps.store,
      memory: this.memory,
      post: this.post,
      answerThreshold: deps.config.matching.answerThreshold,
      replyPromise: (lang) => this.replyPromise(lang),
      agentsAvailable: () => this.agentsAvailable(),
      requestHandoff: (conversationId) => this.requestHandoff(conversationId, 'human-request'),
      ticketsChanged,
    });
    this.views = new ConsoleViews(deps.store, this.team, this.shoppers, deps.entryTitle ?? (() => undefined), this.now, deps.config.handoff.agentCapacity);
    // The shopper gateway says when tabs open and close; agents see "en línea" / "se fue hace…".
    this.unsubscribe.push(
      deps.events.on('shopper.connected', ({ conversationId }) => {
        if (this.shoppers.connect(conversationId)) this.background(this.notifyPresence(conversationId));
      }),
      deps.events.on('shopper.disconnected', ({ conversationId }) => {
        if (this.shoppers.disconnect(conversationId, this.now())) this.background(this.notifyPresence(conversationId));
      }),
    );
  }

  /** After a restart nobody is connected: agents holding chats get the grace period to come back. */
  async start(): Promise<void> {
    const holders = new Set((await this.store.handoffs.assigned()).map((handoff) => handoff.agentId!));
    for (const agentId of holders) this.presence.startGrace(agentId, () => this.background(this.agentGone(agentId)));
  }

  close(): void {
    this.unsubscribe.splice(0).forEach((off) => off());
    this.presence.close();
    this.team.close();
    this.mailer.close();
    this.listeners.clear();
  }

  subscribe(listener: (update: AgentUpdate) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ——— Shopper side ———

  private async notifyPresence(conversationId: string): Promise<void> {
    // Only chats in the queue or with an agent are on a console; the bot's thousands are not. No
    // listener (no console, or the service closed at shutdown): nothing to tell, nothing to read.
    if (this.listeners.size === 0) return;
    const status = (await this.store.conversations.get(conversationId))?.status;
    if (status === 'waiting' || status === 'agent') this.notify({ type: 'presence', conversationId, node: this.nodeId, ...this.shoppers.here(conversationId) });
  }

  /** The status frame a (re)connecting shopper should see. */
  async statusOf(conversationId: string): Promise<ShopperStatus> {
    const conversation = await this.store.conversations.get(conversationId);
    if (!conversation) return { state: 'bot' };
    const handoff = await this.store.handoffs.current(conversationId);
    if (conversation.status === 'waiting') {
      const queue = await this.store.handoffs.queue();
      const index = queue.findIndex((item) => item.conversationId === conversationId);
      return index < 0 ? { state: 'waiting' } : { state: 'waiting', ...(await this.estimator())(index + 1) };
    }
    if (conversation.status === 'agent' && handoff?.agentId) {
      return { state: 'agent', agentName: (await this.store.agents.get(handoff.agentId))?.name };
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
   * Call before the bot answers a shopper message, with the conversation as just read. Returns true when
   * the handoff consumed the message (a ticket form answer, a yes/no to the offer): the bot must not answer it.
   */
  async beforeBot(conversation: Conversation, text: string, options: TurnOptions = { isChoice: false }): Promise<boolean> {
    const conversationId = conversation.id;
    if (conversation.status === 'resolved') await this.transition(conversation, 'reopen');
    const dialog = await this.memory.read(conversationId);
    if (options.isChoice) {
      // A clicked FAQ button is a new question: the bot answers it, then offers the form again.
      if (dialog.form) await this.form.pause(conversationId, dialog);
      else if (dialog.offerPending) await this.memory.write(conversationId, { ...dialog, offerPending: false });
      return false;
    }
    if (dialog.form) return this.form.step(conversation, dialog, text, options.interpret);
    // Typed a moment after a form ended: answered plainly (sentiment scoring reads "cancelar" as anger).
    if (!dialog.offerPending && isCancelWord(text)) {
      if (dialog.pausedForm) await this.form.cancelPaused(conversationId, dialog, conversation.lang);
      else await this.post(conversationId, 'bot', TEXTS[conversation.lang].nothingToCancel, conversation.lang);
      return true;
    }
    if (dialog.offerPending) {
      const normalized = normalize(text);
      const answer = words(normalized).length <= MAX_OFFER_ANSWER_WORDS ? readOfferAnswer(normalized) : null;
      await this.memory.write(conversationId, { ...dialog, offerPending: false });
      if (answer === 'accept') {
        await this.requestHandoff(conversationId, 'low-confidence');
        return true;
      }
      if (answer === 'decline') {
        await this.post(conversationId, 'bot', TEXTS[conversation.lang].declined, conversation.lang);
        return true;
      }
    }
    return false;
  }

  /**
   * Applies the escalation policy to one bot turn, with the conversation as just read. `sendReply` stores and delivers the bot's reply;
   * it is called (at most once) before any handoff message, so the transcript reads in order.
   */
  async afterBot(conversation: Conversation, text: string, reply: TurnReply, sendReply: () => Promise<void>): Promise<void> {
    const conversationId = conversation.id;
    if (conversation.status !== 'bot') {
      await sendReply();
      return;
    }
    const dialog = await this.memory.read(conversationId);
    const decision = assessTurn(
      { text, lang: reply.lang, reply, lowConfidenceStreak: dialog.lowConfidenceStreak },
      { lowConfidenceStrikes: this.config.handoff.lowConfidenceStrikes },
    );
    const { reofferForm, ...rest } = dialog;
    await this.memory.write(conversationId, { ...rest, lowConfidenceStreak: decision.lowConfidenceStreak, offerPending: false }, dialog);
    const lang = reply.lang;
    const t = TEXTS[lang];
    if (decision.kind === 'none') {
      await sendReply();
      // The shopper stepped out of the form to ask something: the way back is one click.
      if (reofferForm) await this.post(conversationId, 'bot', t.reofferForm, lang, { options: [{ id: LEAVE_MESSAGE, label: t.leaveMessageOption }] });
      return;
    }
    if (decision.kind === 'offer') {
      await sendReply();
      await this.memory.write(conversationId, { ...rest, lowConfidenceStreak: 0, offerPending: true });
      // Nobody can come now: offer what a "yes" would lead to, a message for the team, not a person.
      const nobody = !this.agentsAvailable();
      await this.post(conversationId, 'bot', nobody ? t.offerMessage(this.whyNobody(lang), this.replyPromise(lang)) : t.offer, lang, {
        options: [nobody ? { id: LEAVE_MESSAGE, label: t.leaveMessageOption } : { id: OFFER_ACCEPT, label: t.offerAccept }, { id: OFFER_DECLINE, label: t.offerDecline }],
      });
      return;
    }
    const isIntent = decision.reason === 'human-request' || decision.reason === 'complaint';
    // An intent's reply promises a person ("te paso con una persona"): only send it if one can come.
    if (decision.answerFirst && (!isIntent || this.agentsAvailable())) await sendReply();
    await this.requestHandoff(conversationId, decision.reason, lang, { announced: isIntent });
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
  async choice(conversationId: string, choiceId: string): Promise<boolean> {
    if (this.choiceLabel(choiceId, 'es') === null) return false;
    const conversation = await this.store.conversations.get(conversationId);
    if (!conversation) return true;
    if (choiceId === LEAVE_MESSAGE) {
      const dialog = await this.memory.read(conversationId);
      // The after-hours form of the "talk to a person?" offer: the same handoff a "sí" makes, for the same reason.
      if (dialog.offerPending && conversation.status === 'bot') {
        await this.memory.write(conversationId, { ...dialog, offerPending: false });
        await this.requestHandoff(conversationId, 'low-confidence');
      } else if (conversation.status === 'waiting') await this.leaveQueueForMessage(conversation);
      else if (conversation.status !== 'agent') await this.form.reopen(conversation);
      return true;
    }
    if (choiceId === FORM_CANCEL || choiceId === FORM_CHANGE_EMAIL) {
      await this.form.button(conversation, choiceId);
      return true;
    }
    await this.memory.write(conversationId, { ...(await this.memory.read(conversationId)), offerPending: false });
    if (choiceId === OFFER_ACCEPT) await this.requestHandoff(conversationId, 'low-confidence');
    else await this.post(conversationId, 'bot', TEXTS[conversation.lang].declined, conversation.lang);
    return true;
  }

  /**
   * Puts the conversation in the queue (and routes it), or, with nobody available, starts the
   * leave-a-message form. `announced`: the bot already told the shopper a person is coming.
   */
  async requestHandoff(conversationId: string, reason: EscalationReason, langOverride?: Lang, options: { announced?: boolean } = {}): Promise<void> {
    const conversation = await this.store.conversations.get(conversationId);
    if (!conversation) return;
    if (conversation.status === 'waiting' || conversation.status === 'agent') {
      // Asked again (a second tab, an impatient click): just say where they stand.
      const { state, ...detail } = await this.statusOf(conversationId);
      this.events.emit('conversation.status_changed', { conversationId, status: state, ...detail });
      return;
    }
    const lang = langOverride ?? conversation.lang;
    const t = TEXTS[lang];
    this.events.emit('conversation.handoff_requested', { conversationId, reason, lang });
    if (!this.agentsAvailable()) {
      const form = await this.form.resume(conversationId, await this.memory.read(conversationId));
      // The complaint intent's own reply promises a person here and now, so it was not sent: apologize anyway.
      const why = reason === 'complaint' || reason === 'negative-sentiment' ? `${t.sorry} ${this.whyNobody(lang)}` : this.whyNobody(lang);
      // Asked for a person in the middle of the form: say why not, and keep what was already answered.
      const ticket = form ? undefined : (await this.store.tickets.open()).filter((open) => open.conversationId === conversationId).at(-1);
      if (form) await this.form.stillNobody(conversationId, form, lang, why);
      // A message already left here and not yet answered: say so, rather than ask for the same again.
      else if (ticket) await this.post(conversationId, 'bot', `${why} ${t.ticketPending(ticket.id, ticket.email, this.replyPromise(lang))}`, lang, { options: [{ id: LEAVE_MESSAGE, label: t.leaveMessageOption }] });
      else await this.form.start(conversationId, lang, reason, why);
      // Still with the bot: the status answers the widget's pending "talk to a person" request.
      this.events.emit('conversation.status_changed', { conversationId, status: conversation.status, agentsAvailable: false });
      return;
    }
    await this.memory.write(conversationId, { lowConfidenceStreak: 0 });
    if (!options.announced) {
      const text = reason === 'negative-sentiment' ? t.angryHandoff : reason.startsWith('faq:') ? t.faqHandoff : t.connecting;
      await this.post(conversationId, 'bot', text, lang);
    }
    const request = this.change(conversation, 'request');
    // Null: another turn queued it meanwhile, and already routed it.
    if (!(await this.store.handoffs.request(conversationId, { reason, lang }, request))) return;
    this.changed(conversation, request);
    await this.route();
    await this.publishQueue();
  }

  // ——— Agent side ———

  /**
   * A node said a waiting or assigned shopper opened their first tab or closed their last there. This
   * node's own word comes back too: taken as "a tab elsewhere", it kept a shopper online after they left.
   */
  shopperPresenceHeard(conversationId: string, state: ShopperPresenceState, node = UNNAMED_NODE): void {
    if (node !== this.nodeId) this.shoppers.heard(conversationId, state, node);
  }

  /** Whether the shopper has a tab open on any node, as consoles show it ("en línea", "se fue hace…"). */
  shopperPresence(conversationId: string): ShopperPresenceState {
    return this.shoppers.of(conversationId);
  }

  /** Another node said its agents changed: read who is online now. */
  async teamChanged(): Promise<void> {
    await this.team.refresh();
  }

  async agentConnected(agentId: string): Promise<void> {
    if (this.presence.connect(agentId, this.now())) {
      await this.team.sync();
      this.notify({ type: 'agents' });
      await this.route();
      await this.publishQueue();
    }
  }

  async agentDisconnected(agentId: string): Promise<void> {
    if (this.presence.disconnect(agentId, () => this.background(this.agentGone(agentId)))) {
      await this.team.sync();
      this.notify({ type: 'agents' });
      await this.publishQueue(); // fewer agents online: longer estimates
    }
  }

  async claim(agentId: string, conversationId: string): Promise<AgentActionResult> {
    // The store settles the race: whoever's conditional update lands second hears 'already_taken'.
    const claimed = await this.store.handoffs.claim(conversationId, agentId, ASSIGN);
    if (claimed !== 'ok') return { ok: false, error: claimed };
    await this.afterAssign(agentId, conversationId);
    await this.publishQueue();
    return { ok: true };
  }

  async reply(agentId: string, conversationId: string, text: string, clientMessageId: string): Promise<StoredMessage | AgentActionError> {
    const retried = await this.retryOf(agentId, conversationId, clientMessageId, 'text');
    if (retried.stored) return retried.stored;
    const owned = await this.ownedConversation(agentId, conversationId);
    if (typeof owned === 'string') return owned;
    if (!replyWindowOpen(owned, await this.store.messages.lastShopperAt(conversationId), this.now())) {
      await this.tickets.openPastReplyWindow(owned);
      return 'whatsapp_window_closed';
    }
    return this.post(conversationId, 'agent', text, owned.lang, { authorName: retried.authorName, clientMessageId: retried.idTaken ? undefined : clientMessageId });
  }

  /** A private note: stored and shown to agents only; the shopper gateway never delivers notes. */
  async note(agentId: string, conversationId: string, text: string, clientMessageId: string): Promise<StoredMessage | AgentActionError> {
    const retried = await this.retryOf(agentId, conversationId, clientMessageId, 'note');
    if (retried.stored) return retried.stored;
    // Like a reply: only in the agent's own chat (docs/protocol.md), not in a colleague's or a closed one.
    const owned = await this.ownedConversation(agentId, conversationId);
    if (typeof owned === 'string') return owned;
    return this.post(conversationId, 'agent', text, owned.lang, { kind: 'note', authorName: retried.authorName, clientMessageId: retried.idTaken ? undefined : clientMessageId });
  }

  /**
   * The console sends again what was not acknowledged when it reconnects. This agent's own reply or
   * note with that id is acknowledged again, even if the chat was resolved or transferred meanwhile (the
   * shopper has it already); an id someone else used is not a retry, and the message is stored without it
   * (ids are unique per conversation).
   */
  private async retryOf(agentId: string, conversationId: string, clientMessageId: string, kind: 'text' | 'note') {
    const authorName = await this.agentName(agentId);
    const earlier = await this.store.messages.findByClientId(conversationId, clientMessageId);
    const mine = earlier?.sender === 'agent' && earlier.kind === kind && earlier.authorName === authorName;
    return { authorName, stored: mine ? earlier : null, idTaken: earlier !== undefined };
  }

  async resolve(agentId: string, conversationId: string): Promise<AgentActionResult> {
    return this.release(agentId, conversationId, 'resolve');
  }

  async handBack(agentId: string, conversationId: string): Promise<AgentActionResult> {
    return this.release(agentId, conversationId, 'hand_back');
  }

  async transfer(agentId: string, conversationId: string, toAgentId: string): Promise<AgentActionResult> {
    const owned = await this.ownedConversation(agentId, conversationId);
    if (typeof owned === 'string') return { ok: false, error: owned };
    const target = await this.store.agents.get(toAgentId);
    if (!target) return { ok: false, error: 'not_found' };
    await this.team.refresh();
    if (!this.team.isOnline(toAgentId)) return { ok: false, error: 'agent_offline' };
    if (!(await this.store.handoffs.transfer(conversationId, agentId, toAgentId))) return { ok: false, error: 'not_yours' };
    const t = TEXTS[owned.lang];
    await this.post(conversationId, 'system', t.transferred(await this.agentName(agentId), target.name), owned.lang);
    this.events.emit('conversation.status_changed', { conversationId, status: 'agent', agentName: target.name });
    this.notify({ type: 'released', agentId, conversationId, outcome: 'transferred' });
    this.notify({ type: 'chats', agentId });
    this.notify({ type: 'assigned', agentId: toAgentId, conversationId });
    this.notify({ type: 'chats', agentId: toAgentId });
    this.loadsChanged();
    return { ok: true };
  }

  /**
   * The agent holding a chat records the shopper's name or e-mail (which also finds their earlier
   * conversations). Not on a chat someone else holds, nor over a name or e-mail the shop verified: later
   * e-mails and a privacy export go by that address. A verified shopper's missing e-mail may be filled in.
   */
  async setShopperDetails(agentId: string, conversationId: string, details: { name?: string; email?: string }): Promise<AgentActionResult> {
    const owned = await this.ownedConversation(agentId, conversationId);
    if (typeof owned === 'string') return { ok: false, error: owned };
    const overwrites = (details.name !== undefined && owned.shopperName !== null) || (details.email !== undefined && owned.shopperEmail !== null);
    if (owned.shopperId !== null && overwrites) return { ok: false, error: 'shopper_verified' };
    await this.store.conversations.setShopper(conversationId, { name: details.name, email: details.email?.toLowerCase() });
    const holder = await this.holderOf(conversationId);
    if (holder) this.notify({ type: 'chats', agentId: holder });
    this.notify({ type: 'queue' });
    return { ok: true };
  }

  /** The shopper rated the help they got (1–5, optional comment), answering one of our rating questions. */
  async rate(conversationId: string, requestId: number, rating: number, comment: string | null): Promise<boolean> {
    const request = await this.store.messages.get(requestId);
    if (!request || request.conversationId !== conversationId || !isCsatQuestion(request)) return false;
    const rated = await this.store.csat.record({ requestId, conversationId, rating, comment });
    if (rated.agentId) this.notify({ type: 'rated', agentId: rated.agentId, conversationId });
    return true;
  }

  /** The agent holding a conversation, if any (for forwarding shopper messages and typing). */
  async holderOf(conversationId: string): Promise<string | null> {
    return (await this.store.handoffs.current(conversationId))?.agentId ?? null;
  }

  // ——— Internals ———

  private agentsAvailable(): boolean {
    return isWithinBusinessHours(this.now(), this.config.handoff) && this.team.online().length > 0;
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

  /**
   * Offers waiting conversations, first in line first, to the least-loaded online agent under capacity.
   * One routing at a time: two interleaved ones would both count an agent's load before either claims.
   */
  private route(): Promise<void> {
    const run = this.routing.then(() => this.routeWaiting());
    this.routing = run.catch(() => undefined);
    return run;
  }

  private async routeWaiting(): Promise<void> {
    for (const waiting of await this.store.handoffs.queue()) {
      const agentId = pickAgent(await this.loads(), this.config.handoff.agentCapacity);
      if (!agentId) return;
      // Anything but 'ok': an agent's own claim or the shopper leaving got there first.
      if ((await this.store.handoffs.claim(waiting.conversationId, agentId, ASSIGN)) === 'ok') await this.afterAssign(agentId, waiting.conversationId);
    }
  }

  private async loads() {
    const counts = new Map<string, number>();
    for (const handoff of await this.store.handoffs.assigned()) counts.set(handoff.agentId!, (counts.get(handoff.agentId!) ?? 0) + 1);
    return (await this.team.refresh()).map(({ agentId, onlineSince }) => ({ agentId, onlineSince, openChats: counts.get(agentId) ?? 0 }));
  }

  private async afterAssign(agentId: string, conversationId: string): Promise<void> {
    const conversation = (await this.store.conversations.get(conversationId))!;
    const name = await this.agentName(agentId);
    await this.post(conversationId, 'system', TEXTS[conversation.lang].agentJoined(name), conversation.lang);
    this.events.emit('conversation.status_changed', { conversationId, status: 'agent', agentName: name });
    this.notify({ type: 'assigned', agentId, conversationId });
    this.notify({ type: 'chats', agentId });
    this.loadsChanged();
  }

  private async release(agentId: string, conversationId: string, event: 'resolve' | 'hand_back'): Promise<AgentActionResult> {
    const owned = await this.ownedConversation(agentId, conversationId);
    if (typeof owned === 'string') return { ok: false, error: owned };
    const outcome: HandoffOutcome = event === 'resolve' ? 'resolved' : 'handed_back';
    const change = this.change(owned, event);
    if (!(await this.store.handoffs.release(conversationId, { outcome, heldBy: agentId }, change))) return { ok: false, error: 'not_yours' };
    this.changed(owned, change, false);
    if (event === 'hand_back') await this.memory.write(conversationId, { lowConfidenceStreak: 0 });
    const t = TEXTS[owned.lang];
    const name = await this.agentName(agentId);
    await this.post(conversationId, 'system', event === 'resolve' ? t.resolved(name) : t.handedBack(name), owned.lang);
    if (event === 'resolve') await this.askRating(conversationId, owned.lang);
    this.events.emit('conversation.status_changed', { conversationId, status: event === 'resolve' ? 'resolved' : 'bot' });
    this.notify({ type: 'released', agentId, conversationId, outcome });
    this.notify({ type: 'chats', agentId });
    this.loadsChanged();
    await this.route(); // a slot opened up
    await this.publishQueue();
    return { ok: true };
  }

  private async askRating(conversationId: string, lang: Lang): Promise<void> {
    const { text, options } = csatQuestion(lang);
    await this.post(conversationId, 'bot', text, lang, { options });
  }

  /** The grace period ran out: the agent's chats go back to the queue; with nobody left, offer a message. */
  private async agentGone(agentId: string): Promise<void> {
    // Every node that saw the agent go runs this: one at a time, so the shoppers hear it once.
    const lease = await this.leases.acquire(`agent-gone:${agentId}`, AGENT_GONE_LEASE_MS);
    if (!lease) return;
    try {
      await this.requeueChatsOf(agentId);
      if ((await this.team.refresh()).length > 0) return;
      await this.offerMessagesToQueue();
    } finally {
      await this.leases.release(`agent-gone:${agentId}`, lease);
    }
  }

  /** Nobody is left online: each waiting shopper is offered, once, to leave a message instead. */
  private async offerMessagesToQueue(): Promise<void> {
    for (const waiting of await this.store.handoffs.queue()) {
      const dialog = await this.memory.read(waiting.conversationId);
      if (dialog.leaveOffered) continue;
      await this.memory.write(waiting.conversationId, { ...dialog, leaveOffered: true });
      const t = TEXTS[waiting.lang];
      await this.post(waiting.conversationId, 'bot', t.nobodyLeft, waiting.lang, { options: [{ id: LEAVE_MESSAGE, label: t.leaveMessageOption }] });
    }
  }

  /** A waiting shopper chose to leave a message instead: out of the queue, into the form. */
  private async leaveQueueForMessage(conversation: Conversation): Promise<void> {
    const handoff = await this.store.handoffs.current(conversation.id);
    if (conversation.status !== 'waiting' || !handoff) return;
    const change = this.change(conversation, 'hand_back');
    // False: an agent claimed it meanwhile, and the shopper is about to hear from them.
    if (!(await this.store.handoffs.release(conversation.id, { outcome: 'ticket', heldBy: null }, change))) return;
    this.changed(conversation, change);
    await this.form.start(conversation.id, conversation.lang, handoff.reason, '');
    await this.publishQueue();
  }

  private async requeueChatsOf(agentId: string): Promise<void> {
    await this.team.refresh();
    if (this.team.isOnline(agentId)) return;
    const chats = await this.store.handoffs.ofAgent(agentId);
    if (chats.length === 0) return;
    const name = await this.agentName(agentId);
    for (const chat of chats) {
      const conversation = await this.store.conversations.get(chat.conversationId);
      const change = conversation && nextStatus(conversation.status, 'requeue');
      if (!conversation || !change) continue;
      if (!(await this.store.handoffs.requeue(chat.conversationId, agentId, { from: conversation.status, to: change }))) continue;
      conversation.status = change;
      await this.post(chat.conversationId, 'system', TEXTS[conversation.lang].agentLeft(name), conversation.lang);
      this.notify({ type: 'released', agentId, conversationId: chat.conversationId, outcome: 'requeued' });
    }
    this.notify({ type: 'chats', agentId });
    this.loadsChanged();
    await this.route();
    await this.publishQueue();
  }

  /** Every waiting shopper gets their position and estimate; every console gets the queue. */
  private async publishQueue(): Promise<void> {
    const estimate = await this.estimator();
    (await this.store.handoffs.queue()).forEach((handoff, index) => {
      this.events.emit('conversation.status_changed', { conversationId: handoff.conversationId, status: 'waiting', ...estimate(index + 1) });
    });
    this.notify({ type: 'queue' });
  }

  /** Position → {position, etaSeconds?}, from the current load and the recent median chat length. */
  private async estimator(): Promise<(position: number) => { position: number; etaSeconds?: number }> {
    const loads = await this.loads();
    const capacity = this.config.handoff.agentCapacity;
    const freeSlots = loads.reduce((sum, load) => sum + Math.max(0, capacity - load.openChats), 0);
    const averageHandleSeconds = (await this.store.handoffs.medianHandleSeconds()) ?? DEFAULT_HANDLE_SECONDS;
    return (position) => {
      const eta = estimateWaitSeconds({ position, onlineAgents: loads.length, freeSlots, averageHandleSeconds });
      return eta === null ? { position } : { position, etaSeconds: eta };
    };
  }

  private async ownedConversation(agentId: string, conversationId: string): Promise<Conversation | AgentActionError> {
    const conversation = await this.store.conversations.get(conversationId);
    if (!conversation) return 'not_found';
    if (conversation.status !== 'agent' || (await this.holderOf(conversationId)) !== agentId) return 'not_yours';
    return conversation;
  }

  /** The status change the state machine allows for `event`; throws on one it refuses (a bug, not a race). */
  private change(conversation: Conversation, event: HandoffEvent): StatusChange {
    const to = nextStatus(conversation.status, event);
    if (!to) throw new Error(`handoff: cannot ${event} a conversation that is ${conversation.status} (${conversation.id})`);
    return { from: conversation.status, to };
  }

  /** Records a change the store applied; emits the status change unless the caller sends a richer one. */
  private changed(conversation: Conversation, change: StatusChange, emit = true): void {
    conversation.status = change.to;
    if (emit && change.to !== 'waiting' && change.to !== 'agent') this.events.emit('conversation.status_changed', { conversationId: conversation.id, status: change.to });
  }

  /** A status change on its own (reopen); false, changing nothing, if another turn changed the status first. */
  private async transition(conversation: Conversation, event: HandoffEvent): Promise<boolean> {
    const change = this.change(conversation, event);
    if (!(await this.store.conversations.changeStatus(conversation.id, change))) return false;
    this.changed(conversation, change);
    return true;
  }

  /** Runs work nobody awaits (timers, presence events), reporting its failure instead of leaving it unhandled. */
  private background(work: Promise<void>): void {
    work.catch((error: unknown) => this.log.error({ err: error }, 'handoff background work failed'));
  }

  private async agentName(agentId: string): Promise<string> {
    return (await this.store.agents.get(agentId))?.name ?? '—';
  }

  /** An agent took or let go of a chat: every console's "transfer to…" list shows open chats per agent. */
  private loadsChanged(): void {
    this.notify({ type: 'agents' });
  }

  private notify(update: AgentUpdate): void {
    for (const listener of this.listeners) listener(update);
  }
}
