import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import type { Bus, Counters, Leases } from '../bus';
import type { Config } from '../config';
import type { Engine } from '../engine';
import type { Reply, TurnReply } from '../engine/types';
import { ERRORS, type ErrorCode } from '../errors';
import type { EventBus } from '../events';
import type { Lang } from '../knowledge/types';
import type { Logger } from '../observability';
import { SESSION_MAX_AGE_SECONDS, verifyShopper, type SessionSigner } from '../session';
import type { Conversation, ConversationStatus, Store, StoredMessage, VerifiedShopper } from '../store';
import type { BotRuntime } from './bot-runtime';
import { clientAddress, proxyTrust } from './client-address';
import { coalescingWrites } from './coalesce';
import { isOriginAllowed } from './origin';
import { CONVERSATION_TOPIC, conversationEventSchema } from './fanout';
import { closeAfterLostWrite, SERVICE_RESTART } from './frames';
import { startHeartbeat } from './heartbeat';
import { parseClientFrame, toMessageFrame, usableDetails, type ClientFrame, type ServerFrame } from './protocol';
import { RateLimiter, sharedRateLimiter, type WindowLimiter } from './rate-limit';
import { createTurnQueue } from './turn-queue';
import { createTurns, type ShopperTurnInput } from './turn';
import { rejectUpgrade, type UpgradeHandler } from './upgrade';

/**
 * The shopper socket (docs/protocol.md): hello/resume with a signed token, messages, choices,
 * feedback, typing, handoff requests. Every message is stored before it is acknowledged or
 * delivered; delivery to sockets happens only through `message.created` events, so messages from
 * agents and the bot reach shoppers the same way.
 */

export const SHOPPER_SOCKET_PATH = '/ws/shopper';
/** Frames above maxFrameBytes get an error frame; only far larger ones make ws close the socket (1009). */
const HARD_FRAME_FACTOR = 4;
/** How long a shutdown waits for turns in progress (SIGTERM must exit within 5 s). */
const DRAIN_MS = 3000;

const FALLBACK_GREETING: Record<Lang, string> = { es: '¡Hola! ¿En qué te puedo ayudar?', en: 'Hi! How can I help you?' };

type ShopperStatusFrame = Extract<ServerFrame, { type: 'status' }>;

/** The human handoff's hooks into shopper turns (implemented by src/handoff's HandoffService). */
export interface ShopperHandoffHooks {
  /**
   * true: the handoff consumed the message (a form answer, a yes/no to its offer); the bot stays quiet.
   * `interpret` gives the bot's reading of the message, for an open form to tell answers from questions.
   */
  beforeBot(conversation: Conversation, text: string, options: { isChoice: boolean; interpret?: () => Reply }): Promise<boolean>;
  /** Applies the escalation policy; calls `sendReply` (once, first) when the bot's reply should go out. */
  afterBot(conversation: Conversation, text: string, reply: TurnReply, sendReply: () => Promise<void>): Promise<void>;
  /** The label of one of the handoff's own options ("Sí, con una persona"), or null if `id` is not one. */
  choiceLabel(id: string, lang: Lang): string | null;
  /** true when `id` was one of the handoff's own options and has been handled. */
  choice(conversationId: string, id: string): Promise<boolean>;
  requestHandoff(conversationId: string, reason: 'button'): Promise<void>;
  statusOf(conversationId: string): Promise<{ state: ConversationStatus; position?: number; etaSeconds?: number; agentName?: string }>;
  /** Whether a person can help now, and the sentence that tells the shopper (added to the greeting). */
  availability(lang: Lang): { agentsNow: boolean; note: string };
  /** Stores a 1–5 rating answering the rating question `messageId`; false if it is not one of this conversation's. */
  rate(conversationId: string, messageId: number, rating: number, comment: string | null): Promise<boolean>;
}

export interface ShopperGatewayDeps {
  config: Config;
  handoff: ShopperHandoffHooks;
  store: Store;
  events: EventBus;
  engine: () => Engine;
  bot: BotRuntime;
  sessions: SessionSigner;
  log: Logger;
  /** Where the frames for this node's sockets come from (src/channels/fanout.ts): this node's and the others'. */
  fanout: Pick<Bus, 'subscribe'>;
  /** Several nodes: one owner per conversation turn (src/channels/turn.ts). */
  turnLeases?: Leases;
  /** Rate-limit counters shared with the other nodes (Redis); unset: this node counts alone, in memory. */
  sharedCounters?: Counters;
  /** Called when a shopper turn is done: seconds since its frame was read (queue wait included). */
  onTurnDone?: (seconds: number) => void;
}

export interface ShopperGateway {
  handleUpgrade: UpgradeHandler;
  /** Open shopper sockets. */
  connectionCount(): number;
  /** Shopper turns queued or running (at most limits.maxPendingTurns). */
  pendingTurns(): number;
  /** Refuses new frames, lets turns in progress finish (at most DRAIN_MS), then asks every tab to reconnect. */
  close(): Promise<void>;
}

interface ShopperSocket {
  /** Key for the per-socket frame limit. */
  id: string;
  ws: WebSocket;
  /** The conversation's language as this socket last heard it (the guess typed messages are understood in ahead of their turn). */
  lang: Lang;
  /** Call before each send: frames of one tick leave in one write. */
  coalesce: () => void;
  address: string;
  conversationId: string | null;
  alive: boolean;
  /** Last typing state this socket announced, so closing mid-typing can clear the agent's indicator. */
  typing: boolean;
  /** Closes the socket if it has not said hello in time; cleared by hello and by close. */
  helloTimer: NodeJS.Timeout | null;
  /**
   * Until when (performance.now()) this socket was told to wait after a `busy`: its messages and choices
   * before then are dropped unanswered once parsed, so a client that hammers costs a parse, not a turn
   * or a reply (docs/protocol.md, "Load shedding").
   */
  shedUntil: number;
  /** This socket's frames, handled one after the other (a hello finishes before the next frame starts). */
  frames: Promise<void>;
  /**
   * Between registering for its conversation's broadcasts and sending the history (a hello's reads),
   * the frames broadcast to this socket wait here, so none is lost, sent twice or sent before the welcome.
   */
  held: ServerFrame[] | null;
  /**
   * The newest messages the hello's history sent. Another node's message can be read in the history and
   * still arrive afterwards through Redis: sent once, not twice.
   */
  replayed: Set<number> | null;
  /**
   * The id of the message this socket's turn in progress stored: its `ack` told the socket the id, so the
   * fan-out skips it here (other tabs and the consoles still get it). One is enough: a conversation's turns
   * run one at a time on a node; cleared when the turn ends.
   */
  ownMessageId: number | null;
}

/** How many of the history's newest messages a socket remembers (what Redis might still be delivering). */
const REPLAYED_REMEMBERED = 20;
/** Distinct refused origins logged; past this a flood of forged origins logs nothing more. */
const MAX_ORIGINS_WARNED = 100;

export function createShopperGateway(deps: ShopperGatewayDeps): ShopperGateway {
  const { config, store, events, sessions, handoff, log } = deps;
  const shopperTurns = createTurns({ store, events, handoff, engine: deps.engine, bot: deps.bot, log, leases: deps.turnLeases });
  let warnedNoIdentitySecret = false;
  let warnedUnsignedDetails = false;
  let draining = false;
  const { limits } = config;
  const proxies = proxyTrust(config.trustedProxies);
  // autoPong off: a pong goes out after the frames before its ping (group commit delays frames a tick).
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxFrameBytes * HARD_FRAME_FACTOR, perMessageDeflate: false, autoPong: false });
  const clients = new Set<ShopperSocket>();
  const byConversation = new Map<string, Set<ShopperSocket>>();
  // A conversation's tabs and an address's sockets may be on several nodes: those two limits are counted
  // by all of them together. A socket lives on one node, so its frame limit stays here.
  const perMinute = (name: string, limit: number): WindowLimiter =>
    deps.sharedCounters ? sharedRateLimiter(deps.sharedCounters, name, limit, 60_000) : new RateLimiter(limit, 60_000);
  const messageLimiter = perMinute('messages', limits.messagesPerMinute);
  const conversationLimiter = perMinute('new-conversations', limits.newConversationsPerMinute);
  /** Every frame counts here (feedback and typing have no other limit). */
  const frameLimiter = new RateLimiter(limits.framesPerMinute, 60_000);
  /** Open sockets per network address, said hello or not. */
  const socketsByAddress = new Map<string, number>();
  let nextSocketId = 0;
  const turns = new Map<string, Promise<void>>();
  // Each slice of turns writes in one transaction, like the frames read in one event-loop turn.
  const turnQueue = createTurnQueue({ maxPending: limits.maxPendingTurns, maxWaitMs: limits.maxTurnWaitMs, beforeSlice: () => store.groupWrites() });

  const entryKind = (entryId: string, lang: Lang) => deps.engine().entry(entryId, lang)?.kind;
  // Every frame waits for the writes before it to be committed (group commit), so frames keep their
  // order and nothing is shown, acknowledged or numbered before it is on disk.
  const send = (client: ShopperSocket, frame: ServerFrame) => {
    store.afterCommit(
      () => {
        if (client.ws.readyState !== WebSocket.OPEN) return;
        client.coalesce();
        client.ws.send(JSON.stringify(frame));
      },
      () => closeAfterLostWrite(client.ws),
    );
  };
  const sendError = (client: ShopperSocket, code: ErrorCode, message: string = ERRORS[code].message, clientMessageId?: string) =>
    send(client, { type: 'error', code, message, ...(clientMessageId ? { clientMessageId } : {}) });
  const broadcast = (conversationId: string, frame: ServerFrame) => {
    for (const client of byConversation.get(conversationId) ?? []) {
      if (client.held) client.held.push(frame);
      else if (frame.type !== 'message' || (frame.id !== client.ownMessageId && !client.replayed?.has(frame.id))) send(client, frame);
    }
  };

  // Delivered from the bus's topic: the same frames whichever node stored the message or changed the status.
  const unsubscribe = [
    deps.fanout.subscribe(CONVERSATION_TOPIC, conversationEventSchema, (event) => {
      switch (event.type) {
        case 'message': {
          const { message } = event;
          if (message.sender === 'bot' && message.lang) for (const client of byConversation.get(message.conversationId) ?? []) client.lang = message.lang;
          if (message.kind !== 'note') broadcast(message.conversationId, toMessageFrame(message, entryKind));
          return;
        }
        case 'status': {
          const { conversationId, status, position, etaSeconds, agentName, agentsAvailable } = event;
          return broadcast(conversationId, { type: 'status', state: status, position, etaSeconds, agentName, agentsAvailable });
        }
        case 'typing':
          if (event.from === 'agent') broadcast(event.conversationId, { type: 'typing', from: event.from, isTyping: event.isTyping, agentName: event.agentName });
          return;
      }
    }),
  ];

  /** One turn at a time per conversation, so replies keep the order of the questions. */
  function serialize(conversationId: string, work: () => Promise<void>): Promise<void> {
    const previous = turns.get(conversationId) ?? Promise.resolve();
    const next = previous.then(work);
    const tail = next.catch(() => {});
    turns.set(conversationId, tail);
    void tail.then(() => {
      if (turns.get(conversationId) === tail) turns.delete(conversationId);
    });
    return next;
  }

  /**
   * The shared turn (src/channels/turn.ts), acknowledged on this socket once the message is on disk. The
   * ack is all this socket gets of its own message: the fan-out that follows skips it (`ownMessageId`).
   */
  async function shopperTurn(client: ShopperSocket, input: ShopperTurnInput): Promise<void> {
    try {
      await shopperTurns.run(input, (stored) => {
        client.ownMessageId = stored.id;
        send(client, { type: 'ack', clientMessageId: input.clientMessageId, messageId: stored.id });
      });
    } finally {
      client.ownMessageId = null;
    }
  }

  /** The shop's signed user, if any; a claim that does not verify is answered, then ignored. */
  function verifiedShopper(client: ShopperSocket, frame: Extract<ClientFrame, { type: 'hello' }>): VerifiedShopper | null {
    if (!frame.user) return null;
    if (!config.identitySecret) {
      if (!warnedNoIdentitySecret) log.warn('data-user-* on the widget ignored: set ATENTO_IDENTITY_SECRET to verify shoppers');
      warnedNoIdentitySecret = true;
      return null;
    }
    const verified = frame.user === 'malformed' ? 'invalid' : verifyShopper(config.identitySecret, frame.user);
    if (verified === 'invalid') {
      sendError(client, 'identity_invalid');
      return null;
    }
    if (verified.unsignedDetails && !warnedUnsignedDetails) {
      log.warn('data-user-name/-email on the widget dropped: data-user-hash signs only data-user-id; sign "id\\nemail\\nname" so agents can trust them (docs/configuration.md, "Verified shoppers")');
      warnedUnsignedDetails = true;
    }
    return usableDetails(verified.shopper);
  }

  /**
   * The token's conversation, unless it belongs to another verified shopper (a shared computer); else the
   * verified shopper's latest conversation from any device (of the last 30 days, like a token's).
   */
  async function existingConversation(client: ShopperSocket, frame: Extract<ClientFrame, { type: 'hello' }>, shopper: VerifiedShopper | null): Promise<Conversation | undefined> {
    let conversation: Conversation | undefined;
    if (frame.token !== undefined) {
      const claims = sessions.verify(frame.token);
      conversation = claims ? await store.conversations.get(claims.conversationId) : undefined;
      if (!conversation) sendError(client, 'session_invalid');
    }
    if (conversation?.shopperId && conversation.shopperId !== shopper?.id) conversation = undefined;
    return conversation ?? (shopper ? store.conversations.latestOfShopper(shopper.id, SESSION_MAX_AGE_SECONDS) : undefined);
  }

  async function hello(client: ShopperSocket, frame: Extract<ClientFrame, { type: 'hello' }>): Promise<void> {
    const shopper = verifiedShopper(client, frame);
    let conversation = await existingConversation(client, frame, shopper);
    const resumed = conversation !== undefined;
    if (!conversation) {
      if (!(await conversationLimiter.take(client.address))) {
        return refuseAndClose(client, 'rate_limited', 'Too many new conversations from this address; try again in a minute.');
      }
      conversation = await store.conversations.create(frame.lang ?? config.defaultLanguage, frame.page ?? null);
      if (shopper) await store.conversations.setIdentity(conversation.id, shopper);
    } else {
      // A visitor who logs in on the shop keeps their chat, now linked to their account.
      if (shopper && !conversation.shopperId) await store.conversations.setIdentity(conversation.id, shopper);
      if (frame.page) await store.conversations.setPage(conversation.id, frame.page);
      if (frame.lang && frame.lang !== conversation.lang) await store.conversations.setLang(conversation.id, frame.lang);
    }
    const lang = frame.lang ?? conversation.lang;
    // The tab closed while the conversation was being read: registering it now would keep it forever.
    if (!clients.has(client)) return;
    client.lang = lang;

    const sockets = byConversation.get(conversation.id) ?? new Set<ShopperSocket>();
    if (sockets.size >= limits.socketsPerConversation) return refuseAndClose(client, 'too_many_sockets');
    // Registered before the history is read, with broadcasts held until it is sent: no message can fall
    // in between, and one both read and broadcast is sent once.
    client.held = [];
    sockets.add(client);
    byConversation.set(conversation.id, sockets);
    client.conversationId = conversation.id;
    clearHelloTimer(client);
    events.emit('shopper.connected', { conversationId: conversation.id });
    let history: StoredMessage[];
    let votes: Array<{ messageId: number; helpful: boolean }>;
    let status: ShopperStatusFrame | null;
    try {
      history = resumed ? await store.messages.listAfter(conversation.id, frame.lastSeenId ?? 0) : [];
      votes = await store.feedback.votesOn(history.filter((message) => message.sender === 'bot' && message.action === 'answer').map((message) => message.id));
      status = conversation.status !== 'bot' ? { type: 'status', ...(await handoff.statusOf(conversation.id)) } : null;
    } catch (error) {
      releaseHeld(client, new Set()); // what was broadcast meanwhile still goes out, before the error frame
      throw error;
    }

    const engine = deps.engine();
    const availability = handoff.availability(lang);
    const greeting = engine.replyFor('greeting', lang)?.text ?? FALLBACK_GREETING[lang];
    send(client, {
      type: 'welcome',
      token: sessions.issue(conversation.id),
      conversationId: conversation.id,
      lang,
      greeting: `${greeting}\n\n${availability.note}`,
      agentsAvailable: availability.agentsNow,
      suggestions: engine.suggestions(lang, 3),
      status: conversation.status,
      resumed,
      maxMessageChars: limits.maxMessageChars,
    });
    for (const message of history) {
      if (message.kind !== 'note') send(client, toMessageFrame(message, entryKind));
    }
    // The thumbs already given, so a reload shows them as given.
    for (const vote of votes) send(client, { type: 'feedback_saved', ...vote });
    const replayed = new Set(history.map((message) => message.id));
    releaseHeld(client, replayed);
    if (history.length > 0) client.replayed = new Set(history.slice(-REPLAYED_REMEMBERED).map((message) => message.id));
    // Read after everything held was broadcast: the freshest, so it goes last.
    if (status) send(client, status);
  }

  /** Sends the frames held during a hello's reads, but for messages the history already had. */
  function releaseHeld(client: ShopperSocket, sent: Set<number>): void {
    const held = client.held ?? [];
    client.held = null;
    for (const frame of held) if (frame.type !== 'message' || !sent.has(frame.id)) send(client, frame);
  }

  /** The error frame, then the close code the registry gives for it. */
  function refuseAndClose(client: ShopperSocket, code: 'rate_limited' | 'too_many_sockets' | 'hello_timeout', message?: string): void {
    sendError(client, code, message);
    const close = () => client.ws.close(ERRORS[code].close, code);
    store.afterCommit(close, close);
  }

  function clearHelloTimer(client: ShopperSocket): void {
    if (client.helloTimer) clearTimeout(client.helloTimer);
    client.helloTimer = null;
  }

  async function handleFrame(client: ShopperSocket, frame: ClientFrame): Promise<void> {
    // Shutting down: nothing new starts; the client re-sends it, with the same id, after reconnecting.
    if (draining) return sendError(client, 'unavailable', undefined, 'clientMessageId' in frame ? frame.clientMessageId : undefined);
    if (frame.type === 'hello') {
      if (client.conversationId) return sendError(client, 'already_greeted');
      return hello(client, frame);
    }
    const conversationId = client.conversationId;
    if (!conversationId) return sendError(client, 'hello_required', undefined, 'clientMessageId' in frame ? frame.clientMessageId : undefined);

    switch (frame.type) {
      case 'message':
      case 'choice': {
        const { clientMessageId } = frame;
        // Still inside the wait it was given: the client re-sends its unacknowledged messages after it.
        if (performance.now() < client.shedUntil) return;
        let text: string;
        let choiceId: string | null = null;
        if (frame.type === 'message') {
          text = frame.text.trim();
          if (!text) return sendError(client, 'bad_frame', 'Invalid "message" frame: text must not be empty.', clientMessageId);
          if (text.length > limits.maxMessageChars) {
            return sendError(client, 'message_too_long', `The message is longer than ${limits.maxMessageChars} characters.`, clientMessageId);
          }
        } else {
          const lang = (await store.conversations.get(conversationId))?.lang ?? config.defaultLanguage;
          const handoffLabel = handoff.choiceLabel(frame.id, lang);
          // The shopper's message reads as the question they picked.
          const label = handoffLabel ?? deps.engine().label(frame.id, lang);
          if (label === undefined) return sendError(client, 'unknown_choice', undefined, clientMessageId);
          text = label;
          choiceId = frame.id;
        }
        // Over the bound, nothing is stored or acknowledged: the client re-sends the same id later.
        if (turnQueue.full()) {
          events.emit('message.shed', { conversationId });
          const retryAfterMs = turnQueue.retryAfterMs();
          client.shedUntil = performance.now() + retryAfterMs;
          return send(client, { type: 'error', code: 'busy', message: ERRORS.busy.message, clientMessageId, retryAfterMs });
        }
        if (!(await messageLimiter.take(conversationId))) return sendError(client, 'rate_limited', undefined, clientMessageId);
        const readAt = performance.now();
        const input: ShopperTurnInput = { conversationId, clientMessageId, text, choiceId, understood: choiceId ? undefined : deps.bot.understand(text, client.lang) };
        // A typed message runs once the engine thread has understood it, so that its turn runs whole in one
        // slice (one commit, one write to the socket) instead of storing the question in one commit and the
        // answer in the next; it waits in the queue meanwhile (counted, and shed behind, like any other).
        turnQueue.push(() =>
          serialize(conversationId, () => shopperTurn(client, input)).then(
            () => deps.onTurnDone?.((performance.now() - readAt) / 1000),
            (error: unknown) => {
              log.error({ err: error, conversationId }, 'shopper turn failed');
              sendError(client, 'internal', undefined, clientMessageId);
            },
          ),
          input.understood?.reply,
        );
        return;
      }
      case 'feedback': {
        const message = await store.messages.get(frame.messageId);
        // Another conversation's message looks exactly like a missing one.
        if (!message || message.conversationId !== conversationId || message.sender !== 'bot') return sendError(client, 'unknown_message');
        await store.feedback.record(message.id, conversationId, frame.helpful);
        return send(client, { type: 'feedback_saved', messageId: message.id, helpful: frame.helpful });
      }
      case 'csat': {
        // Only an answer to one of this conversation's rating questions; anything else looks missing.
        if (!(await handoff.rate(conversationId, frame.messageId, frame.rating, frame.comment || null))) return sendError(client, 'unknown_message');
        return send(client, { type: 'csat_saved', messageId: frame.messageId, rating: frame.rating });
      }
      case 'typing':
        client.typing = frame.isTyping;
        return events.emit('conversation.typing', { conversationId, from: 'shopper', isTyping: frame.isTyping });
      case 'handoff_request': {
        if (!(await messageLimiter.take(conversationId))) return sendError(client, 'rate_limited');
        void serialize(conversationId, () => handoff.requestHandoff(conversationId, 'button')).catch((error: unknown) => {
          log.error({ err: error, conversationId }, 'handoff request failed');
          sendError(client, 'internal');
        });
        return;
      }
    }
  }

  function onMessage(client: ShopperSocket, data: RawData, isBinary: boolean): void {
    // Every frame read in this event-loop turn writes in one transaction (one commit, not six per message).
    store.groupWrites();
    // In order per socket: a frame's store calls may take a while, and the next frame must not overtake it.
    client.frames = client.frames
      .then(() => readFrame(client, data, isBinary))
      .catch((error: unknown) => log.error({ err: error, socketId: client.id }, 'shopper frame failed'));
  }

  async function readFrame(client: ShopperSocket, data: RawData, isBinary: boolean): Promise<void> {
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    if (!frameLimiter.take(client.id)) return sendError(client, 'rate_limited', 'Too many frames on this connection; wait a moment and try again.');
    if (isBinary) return sendError(client, 'bad_frame', 'Frames must be JSON text, not binary.');
    if (bytes.length > limits.maxFrameBytes) {
      return sendError(client, 'frame_too_large', `The frame has ${bytes.length} bytes; the limit is ${limits.maxFrameBytes}.`);
    }
    const parsed = parseClientFrame(bytes.toString('utf8'));
    if (!parsed.ok) return sendError(client, parsed.code, parsed.message, parsed.clientMessageId);
    try {
      await handleFrame(client, parsed.frame);
    } catch (error) {
      log.error({ err: error, frame: parsed.frame.type, socketId: client.id }, 'shopper frame failed');
      // With its client id, the client's outbox knows which message to send again.
      sendError(client, 'internal', undefined, 'clientMessageId' in parsed.frame ? parsed.frame.clientMessageId : undefined);
    }
  }

  function onConnection(ws: WebSocket, socket: Duplex, request: IncomingMessage): void {
    const address = clientAddress(request, proxies);
    const client: ShopperSocket = { id: String(nextSocketId++), ws, coalesce: coalescingWrites(socket), lang: config.defaultLanguage, address, conversationId: null, alive: true, typing: false, helloTimer: null, shedUntil: 0, frames: Promise.resolve(), held: null, replayed: null, ownMessageId: null };
    client.helloTimer = setTimeout(() => refuseAndClose(client, 'hello_timeout'), limits.helloTimeoutMs);
    client.helloTimer.unref();
    clients.add(client);
    socketsByAddress.set(address, (socketsByAddress.get(address) ?? 0) + 1);
    ws.on('pong', () => (client.alive = true));
    // In the socket's chain: the pong follows the answers to every frame read before its ping.
    ws.on('ping', (data) => {
      const pong = () => ws.pong(data);
      client.frames = client.frames.then(() => store.afterCommit(pong, pong));
    });
    ws.on('message', (data, isBinary) => onMessage(client, data, isBinary));
    ws.on('error', (error) => log.warn({ err: error, socketId: client.id }, 'shopper socket error'));
    ws.on('close', () => {
      clearHelloTimer(client);
      clients.delete(client);
      const left = (socketsByAddress.get(address) ?? 1) - 1;
      if (left > 0) socketsByAddress.set(address, left);
      else socketsByAddress.delete(address);
      const id = client.conversationId;
      if (!id) return;
      // A closed tab stops typing; otherwise the agent's "typing…" would stay on.
      if (client.typing) events.emit('conversation.typing', { conversationId: id, from: 'shopper', isTyping: false });
      events.emit('shopper.disconnected', { conversationId: id });
      const sockets = byConversation.get(id);
      sockets?.delete(client);
      if (sockets?.size === 0) byConversation.delete(id);
    });
  }

  const stopHeartbeat = startHeartbeat(clients);
  // Said once per origin: a shop that embeds the widget before listing its origin retries every second.
  const refusedOrigins = new Set<string>();
  const warnRefusedOrigin = (origin: string) => {
    if (refusedOrigins.has(origin) || refusedOrigins.size >= MAX_ORIGINS_WARNED) return;
    refusedOrigins.add(origin);
    log.warn({ origin }, `shopper connection refused: ${origin} is not in allowedOrigins (ATENTO_ALLOWED_ORIGINS); add it to embed the widget on that site`);
  };

  return {
    handleUpgrade(request, socket, head) {
      if (!isOriginAllowed(request, config.allowedOrigins)) {
        warnRefusedOrigin(String(request.headers.origin));
        return rejectUpgrade(socket, ERRORS.origin_forbidden.http, ERRORS.origin_forbidden.message);
      }
      if ((socketsByAddress.get(clientAddress(request, proxies)) ?? 0) >= limits.socketsPerAddress) {
        return rejectUpgrade(socket, 429, 'Too many open chat connections from this address; close some tabs and try again.');
      }
      wss.handleUpgrade(request, socket, head, (ws) => onConnection(ws, socket, request));
    },
    connectionCount: () => clients.size,
    pendingTurns: () => turnQueue.pending(),
    async close() {
      draining = true;
      stopHeartbeat();
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, DRAIN_MS)));
      await Promise.race([Promise.all([turnQueue.idle(), ...turns.values()]), deadline]);
      clearTimeout(timer);
      unsubscribe.forEach((off) => off());
      const closeAll = () => {
        for (const client of clients) client.ws.close(SERVICE_RESTART, 'server restarting; reconnect');
        wss.close();
      };
      store.afterCommit(closeAll, closeAll);
    },
  };
}
