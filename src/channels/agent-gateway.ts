import type { IncomingMessage } from 'node:http';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import { sessionAgent } from '../auth';
import type { Bus } from '../bus';
import type { Config } from '../config';
import type { Engine } from '../engine';
import { ERRORS } from '../errors';
import type { EventBus } from '../events';
import type { AgentActionError, AgentActionResult, AgentUpdate, HandoffService } from '../handoff';
import type { Logger } from '../observability';
import { committed, type Agent, type AgentStore } from '../store';
import { AGENTS_TOPIC, agentUpdateSchema, CONVERSATION_TOPIC, conversationEventSchema } from './fanout';
import { closeAfterLostWrite } from './frames';
import { startHeartbeat } from './heartbeat';
import { AGENT_ERROR_MESSAGES, parseAgentFrame, toAgentMessage, type AgentClientFrame, type AgentErrorCode, type AgentServerFrame } from './agent-protocol';
import { isOriginAllowed } from './origin';
import { RateLimiter } from './rate-limit';
import { rejectUpgrade, type UpgradeHandler } from './upgrade';

/** Close code for a socket whose login session ended (application range 4000–4999). */
const SESSION_ENDED = 4401;
/** Under /agent so the session cookie (Path=/agent) is sent with the upgrade request. */
export const AGENT_SOCKET_PATH = '/agent/socket';
const AGENT_FRAMES_PER_MINUTE = 240;
/** A conversation search reads up to 5,000 conversations on the event loop (tens of ms): a few a minute per agent. */
const SEARCHES_PER_MINUTE = 10;
/** A frame whose group commit failed: its socket is closed instead (src/channels/frames.ts). */
const LOST = Symbol('lost');

export interface AgentGatewayDeps {
  config: Config;
  agents: AgentStore;
  handoff: HandoffService;
  events: EventBus;
  engine: () => Engine;
  log: Logger;
  /** Where the console updates and conversation traffic come from (src/channels/fanout.ts): this node's and the others'. */
  fanout: Pick<Bus, 'subscribe'>;
  /** Delays a frame until the store has committed what it shows (group commit). */
  afterCommit: (send: () => void, lost?: (error: Error) => void) => void;
}

export interface AgentGateway {
  handleUpgrade: UpgradeHandler;
  /** Closes sockets whose session has ended (logout, expiry); the heartbeat also does this. */
  dropEndedSessions(): Promise<void>;
  connectionCount(): number;
  close(): void;
}

interface AgentSocket {
  ws: WebSocket;
  agent: Agent;
  /** The upgrade request's cookie header: its session must stay valid for the socket to stay open. */
  cookie: string | undefined;
  /** Conversations this console has open (their messages and typing are forwarded). */
  viewing: Set<string>;
  /** Conversations where this console last said "typing", so closing it can clear the shopper's indicator. */
  typingIn: Set<string>;
  alive: boolean;
  /** This console's frames, handled one after the other (a claim finishes before the reply after it). */
  frames: Promise<void>;
  /** Frames go out in the order they were sent, though some are still being read from the store. */
  outbox: Promise<void>;
}

type PendingFrame = AgentServerFrame | Promise<AgentServerFrame | undefined>;

/**
 * The agents' socket: authenticated from the session cookie during the HTTP upgrade (before the
 * WebSocket handshake), then frames for claiming, replying, notes, typing, resolving, transfers.
 */
/**
 * The longest valid agent frame must fit: a ticket answer of 10,000 characters (agent-protocol.ts) is up to
 * 4 bytes each in UTF-8, 6 as a JSON escape. Anything larger is closed by ws (1009), not parsed.
 */
const MAX_AGENT_FRAME_BYTES = 64 * 1024;

export function createAgentGateway(deps: AgentGatewayDeps): AgentGateway {
  const { config, agents, handoff, events, log } = deps;
  // autoPong off: a pong goes out after the answers to the frames before its ping (see onConnection).
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_AGENT_FRAME_BYTES, perMessageDeflate: false, autoPong: false });
  const clients = new Set<AgentSocket>();
  const limiter = new RateLimiter(AGENT_FRAMES_PER_MINUTE, 60_000);
  const searchLimiter = new RateLimiter(SEARCHES_PER_MINUTE, 60_000);

  // In the order frames were sent, each after the commit of what it shows (group commit).
  const send = (client: AgentSocket, pending: PendingFrame) => {
    const ready = durable(client, pending);
    client.outbox = client.outbox
      .then(async () => {
        const frame = await ready;
        if (frame === LOST) return closeAfterLostWrite(client.ws);
        if (frame && client.ws.readyState === WebSocket.OPEN) client.ws.send(JSON.stringify(frame));
      })
      // The chain must never stay rejected: every later frame of this socket would be skipped.
      .catch((error: unknown) => log.error({ err: error, agentId: client.agent.id }, 'agent frame could not be sent'));
  };
  /**
   * The frame once the commit of what it shows is on disk: for a frame built now, the commit open now
   * (not whichever is open when the outbox reaches it); for one still being read, the commit open when
   * the read ends. LOST when that commit failed. Never rejects.
   */
  async function durable(client: AgentSocket, pending: PendingFrame): Promise<AgentServerFrame | typeof LOST | undefined> {
    let frame: AgentServerFrame | undefined;
    try {
      frame = await pending;
    } catch (error) {
      log.error({ err: error, agentId: client.agent.id }, 'agent frame could not be built');
      frame = { type: 'error', code: 'internal', message: ERRORS.internal.message };
    }
    if (!frame) return undefined;
    try {
      await committed(deps);
      return frame;
    } catch {
      return LOST;
    }
  }
  const sendError = (client: AgentSocket, code: AgentErrorCode, message: string, clientMessageId?: string) =>
    send(client, { type: 'error', code, message, ...(clientMessageId ? { clientMessageId } : {}) });
  const refuse = (client: AgentSocket, error: AgentActionError, clientMessageId?: string) => sendError(client, error, AGENT_ERROR_MESSAGES[error], clientMessageId);
  const forAgent = (agentId: string) => [...clients].filter((client) => client.agent.id === agentId);
  /** Consoles that should see a conversation's live traffic: those that opened it (the holder's always have: assigned, welcome). */
  const audience = (conversationId: string) => [...clients].filter((client) => client.viewing.has(conversationId));

  // Delivered from the bus's topics: the same frames whichever node stored the message or changed the queue.
  const unsubscribe = [
    deps.fanout.subscribe(AGENTS_TOPIC, agentUpdateSchema, (update) => onUpdate(update)),
    deps.fanout.subscribe(CONVERSATION_TOPIC, conversationEventSchema, (event) => {
      if (event.type === 'message') {
        const { message } = event;
        for (const client of audience(message.conversationId)) send(client, { type: 'message', conversationId: message.conversationId, message: toAgentMessage(message, handoff.views.entryTitle) });
      } else if (event.type === 'typing') {
        const { conversationId, from, isTyping, agentName, agentId } = event;
        // Not echoed to the typing agent's own consoles.
        for (const client of audience(conversationId)) {
          if (client.agent.id !== agentId) send(client, { type: 'typing', conversationId, from, isTyping, agentName });
        }
      }
    }),
  ];

  /** One read of a view for every console that gets it. */
  const toEach = (audience: AgentSocket[], frame: () => Promise<AgentServerFrame>) => {
    if (audience.length === 0) return;
    const pending = frame();
    audience.forEach((client) => send(client, pending));
  };

  function onUpdate(update: AgentUpdate): void {
    switch (update.type) {
      case 'queue':
        return toEach([...clients], async () => ({ type: 'queue', items: await handoff.views.queue() }));
      case 'tickets':
        return toEach([...clients], async () => ({ type: 'tickets', items: await handoff.views.tickets() }));
      case 'agents':
        return toEach([...clients], async () => ({ type: 'agents', items: await handoff.views.agents() }));
      case 'chats':
        return toEach(forAgent(update.agentId), async () => ({ type: 'chats', items: await handoff.views.chatsOf(update.agentId) }));
      case 'assigned':
        return forAgent(update.agentId).forEach((client) => {
          client.viewing.add(update.conversationId);
          send(client, { type: 'assigned', conversationId: update.conversationId });
        });
      case 'released':
        return forAgent(update.agentId).forEach((client) => send(client, { type: 'released', conversationId: update.conversationId, outcome: update.outcome }));
      case 'rated':
        // The agent who helped sees the shopper's rating on that chat's transcript.
        return forAgent(update.agentId).forEach((client) => sendConversation(client, update.conversationId));
      case 'presence': {
        // The update is one node's word; consoles show every node's (heard before this runs: app.ts subscribes first).
        const { conversationId } = update;
        const { online, leftAt } = handoff.shopperPresence(conversationId);
        return clients.forEach((client) => send(client, { type: 'presence', conversationId, online, leftAt }));
      }
    }
  }

  function sendConversation(client: AgentSocket, conversationId: string): void {
    // Viewing from before the read: a message stored while the transcript is read arrives live (the
    // console drops the copy that is also in the transcript), instead of in neither.
    client.viewing.add(conversationId);
    send(
      client,
      handoff.views.transcript(conversationId).then((view): AgentServerFrame => {
        if (!view) {
          client.viewing.delete(conversationId);
          return { type: 'error', code: 'not_found', message: AGENT_ERROR_MESSAGES.not_found };
        }
        return { type: 'conversation', ...view, messages: view.messages.map((message) => toAgentMessage(message, handoff.views.entryTitle)) };
      }),
    );
  }

  function answer(client: AgentSocket, request: string, conversationId: string, result: AgentActionResult): void {
    if (result.ok) send(client, { type: 'ok', request, conversationId });
    else refuse(client, result.error);
  }

  async function handleFrame(client: AgentSocket, frame: AgentClientFrame): Promise<void> {
    const agentId = client.agent.id;
    switch (frame.type) {
      case 'open':
        return sendConversation(client, frame.conversationId);
      case 'claim': {
        const result = await handoff.claim(agentId, frame.conversationId);
        answer(client, 'claim', frame.conversationId, result);
        if (result.ok) sendConversation(client, frame.conversationId);
        return;
      }
      case 'message':
      case 'note': {
        const text = frame.text.trim();
        if (!text) return sendError(client, 'bad_frame', `Invalid "${frame.type}" frame: text must not be empty.`, frame.clientMessageId);
        if (text.length > config.limits.maxMessageChars) {
          return sendError(client, 'message_too_long', `The message is longer than ${config.limits.maxMessageChars} characters.`, frame.clientMessageId);
        }
        const stored = frame.type === 'message' ? await handoff.reply(agentId, frame.conversationId, text, frame.clientMessageId) : await handoff.note(agentId, frame.conversationId, text, frame.clientMessageId);
        if (typeof stored === 'string') return refuse(client, stored, frame.clientMessageId);
        return send(client, { type: 'ack', clientMessageId: frame.clientMessageId, messageId: stored.id });
      }
      case 'typing':
        if ((await handoff.holderOf(frame.conversationId)) !== agentId) return;
        if (frame.isTyping) client.typingIn.add(frame.conversationId);
        else client.typingIn.delete(frame.conversationId);
        return events.emit('conversation.typing', { conversationId: frame.conversationId, from: 'agent', isTyping: frame.isTyping, agentName: client.agent.name, agentId });
      case 'resolve':
        return answer(client, 'resolve', frame.conversationId, await handoff.resolve(agentId, frame.conversationId));
      case 'hand_back':
        return answer(client, 'hand_back', frame.conversationId, await handoff.handBack(agentId, frame.conversationId));
      case 'transfer':
        return answer(client, 'transfer', frame.conversationId, await handoff.transfer(agentId, frame.conversationId, frame.toAgentId));
      case 'search':
        return send(client, { type: 'search_results', query: frame.query, results: frame.query.trim() ? deps.engine().search(frame.query, frame.lang, 5) : [] });
      case 'find_conversations':
        if (!searchLimiter.take(agentId)) return sendError(client, 'rate_limited', ERRORS.rate_limited.message);
        return send(client, { type: 'conversations_found', query: frame.query, results: await handoff.views.found(frame.query) });
      case 'shopper_details': {
        const result = await handoff.setShopperDetails(agentId, frame.conversationId, { name: frame.name, email: frame.email });
        if (!result.ok) return refuse(client, result.error);
        return sendConversation(client, frame.conversationId);
      }
      case 'close_ticket': {
        const result = await handoff.tickets.close(agentId, frame.ticketId);
        if (!result.ok) return refuse(client, result.error);
        return send(client, { type: 'ok', request: 'close_ticket' });
      }
      case 'answer_ticket':
        return void answerTicket(client, frame.ticketId, frame.text);
      case 'ticket_email_reply': {
        const result = await handoff.tickets.recordEmailReply(frame.ticketId, frame.text);
        if (!result.ok) return refuse(client, result.error);
        return send(client, { type: 'ok', request: 'ticket_email_reply', ticketId: frame.ticketId });
      }
    }
  }

  /** Sending takes a round trip to the mail server; the answer names the ticket so the console can match it. */
  async function answerTicket(client: AgentSocket, ticketId: number, text: string): Promise<void> {
    try {
      const result = await handoff.tickets.answer(client.agent.id, ticketId, text);
      if (result.ok) return send(client, { type: 'ok', request: 'answer_ticket', ticketId });
      send(client, { type: 'error', code: result.error, message: result.message ?? AGENT_ERROR_MESSAGES[result.error], ticketId });
    } catch (error) {
      log.error({ err: error, ticketId }, 'ticket reply failed');
      send(client, { type: 'error', code: 'internal', message: ERRORS.internal.message, ticketId });
    }
  }

  function onMessage(client: AgentSocket, data: RawData, isBinary: boolean): void {
    client.frames = client.frames
      .then(() => readFrame(client, data, isBinary))
      .catch((error: unknown) => log.error({ err: error, agentId: client.agent.id }, 'agent frame failed'));
  }

  async function readFrame(client: AgentSocket, data: RawData, isBinary: boolean): Promise<void> {
    if (isBinary) return sendError(client, 'bad_frame', 'Frames must be JSON text, not binary.');
    const parsed = parseAgentFrame(String(data));
    if (!parsed.ok) return sendError(client, parsed.code, parsed.message, parsed.clientMessageId);
    // Parsed first so a refused reply carries its id and the console can give the text back.
    const clientMessageId = 'clientMessageId' in parsed.frame ? parsed.frame.clientMessageId : undefined;
    if (!limiter.take(client.agent.id)) return sendError(client, 'rate_limited', ERRORS.rate_limited.message, clientMessageId);
    try {
      await handleFrame(client, parsed.frame);
    } catch (error) {
      log.error({ err: error, frame: parsed.frame.type, agentId: client.agent.id }, 'agent frame failed');
      sendError(client, 'internal', ERRORS.internal.message, clientMessageId);
    }
  }

  /** Never rejects: a failed lookup is logged, and the next heartbeat tries again. */
  async function dropEndedSessions(): Promise<void> {
    try {
      for (const client of [...clients]) {
        if (!(await sessionAgent(agents, client.cookie))) client.ws.close(SESSION_ENDED, 'session ended; log in again');
      }
    } catch (error) {
      log.error({ err: error }, 'agent session check failed');
    }
  }

  function onConnection(ws: WebSocket, agent: Agent, cookie: string | undefined): void {
    const client: AgentSocket = { ws, agent, cookie, viewing: new Set(), typingIn: new Set(), alive: true, frames: Promise.resolve(), outbox: Promise.resolve() };
    clients.add(client);
    ws.on('pong', () => (client.alive = true));
    ws.on('ping', (data) => {
      const pong = () => ws.pong(data);
      client.frames = client.frames.then(() => {
        client.outbox = client.outbox.then(() => deps.afterCommit(pong, pong));
      });
    });
    ws.on('message', (data, isBinary) => onMessage(client, data, isBinary));
    ws.on('error', (error) => log.warn({ err: error }, 'agent socket error'));
    ws.on('close', () => {
      clients.delete(client);
      // A closed console stops typing; otherwise the shopper's "typing…" would stay on.
      for (const conversationId of client.typingIn) {
        events.emit('conversation.typing', { conversationId, from: 'agent', isTyping: false, agentName: agent.name, agentId: agent.id });
      }
      handoff.agentDisconnected(agent.id).catch((error: unknown) => log.error({ err: error, agentId: agent.id }, 'agent disconnect failed'));
    });
    const welcome = (async (): Promise<AgentServerFrame> => {
      const [queue, chats, tickets, agentList] = await Promise.all([handoff.views.queue(), handoff.views.chatsOf(agent.id), handoff.views.tickets(), handoff.views.agents()]);
      for (const chat of chats) client.viewing.add(chat.conversationId);
      return { type: 'welcome', agent: { id: agent.id, name: agent.name, role: agent.role }, queue, chats, tickets, agents: agentList, emailConfigured: handoff.tickets.emailConfigured };
    })();
    send(client, welcome);
    // After the welcome is read, so chats routed to this agent now arrive as "assigned" updates on top of it.
    void welcome
      // A console closed while the welcome was read has already disconnected: counting it online now
      // would route chats to an agent with no socket, forever.
      .then(() => (clients.has(client) ? handoff.agentConnected(agent.id) : undefined))
      .catch((error: unknown) => log.error({ err: error, agentId: agent.id }, 'agent connect failed'));
  }

  const stopHeartbeat = startHeartbeat(clients, () => void dropEndedSessions());

  return {
    handleUpgrade(request: IncomingMessage, socket, head) {
      // Only the console's own pages may open this socket: no allowed-origins list for agents.
      if (!isOriginAllowed(request, [])) return rejectUpgrade(socket, ERRORS.origin_forbidden.http, 'The agent socket only accepts the console served by this server.');
      sessionAgent(agents, request.headers.cookie).then(
        (agent) => {
          if (!agent) return rejectUpgrade(socket, 401, 'Log in at /agent/login first.');
          wss.handleUpgrade(request, socket, head, (ws) => onConnection(ws, agent, request.headers.cookie));
        },
        (error: unknown) => {
          log.error({ err: error }, 'agent session lookup failed');
          rejectUpgrade(socket, ERRORS.internal.http, ERRORS.internal.message);
        },
      );
    },
    dropEndedSessions,
    connectionCount: () => clients.size,
    close() {
      stopHeartbeat();
      unsubscribe.forEach((off) => off());
      for (const client of clients) client.ws.close(1001, 'server shutting down');
      wss.close();
    },
  };
}
