import type { IncomingMessage } from 'node:http';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import { sessionAgent } from '../auth';
import type { Config } from '../config';
import type { Engine } from '../engine';
import { ERRORS } from '../errors';
import type { EventBus } from '../events';
import type { AgentActionError, AgentActionResult, AgentUpdate, HandoffService } from '../handoff';
import type { Logger } from '../observability';
import type { Agent, AgentTable } from '../store/agents';
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

export interface AgentGatewayDeps {
  config: Config;
  agents: AgentTable;
  handoff: HandoffService;
  events: EventBus;
  engine: () => Engine;
  log: Logger;
  /** Delays a frame until the store has committed what it shows (group commit). */
  afterCommit: (send: () => void) => void;
}

export interface AgentGateway {
  handleUpgrade: UpgradeHandler;
  /** Closes sockets whose session has ended (logout, expiry); the heartbeat also does this. */
  dropEndedSessions(): void;
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
}

/**
 * The agents' socket: authenticated from the session cookie during the HTTP upgrade (before the
 * WebSocket handshake), then frames for claiming, replying, notes, typing, resolving, transfers.
 */
export function createAgentGateway(deps: AgentGatewayDeps): AgentGateway {
  const { config, agents, handoff, events, log } = deps;
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.limits.maxFrameBytes, perMessageDeflate: false });
  const clients = new Set<AgentSocket>();
  const limiter = new RateLimiter(AGENT_FRAMES_PER_MINUTE, 60_000);

  // After the commit of what the frame shows (group commit), in order with every other frame.
  const send = (client: AgentSocket, frame: AgentServerFrame) =>
    deps.afterCommit(() => {
      if (client.ws.readyState === WebSocket.OPEN) client.ws.send(JSON.stringify(frame));
    });
  const sendError = (client: AgentSocket, code: AgentErrorCode, message: string, clientMessageId?: string) =>
    send(client, { type: 'error', code, message, ...(clientMessageId ? { clientMessageId } : {}) });
  const refuse = (client: AgentSocket, error: AgentActionError, clientMessageId?: string) => sendError(client, error, AGENT_ERROR_MESSAGES[error], clientMessageId);
  const forAgent = (agentId: string) => [...clients].filter((client) => client.agent.id === agentId);
  /** Consoles that should see a conversation's live traffic: its holder's and any that opened it. */
  const audience = (conversationId: string) => {
    const holder = handoff.holderOf(conversationId);
    return [...clients].filter((client) => client.agent.id === holder || client.viewing.has(conversationId));
  };

  const unsubscribe = [
    handoff.subscribe((update) => onUpdate(update)),
    events.on('message.created', ({ message }) => {
      for (const client of audience(message.conversationId)) send(client, { type: 'message', conversationId: message.conversationId, message: toAgentMessage(message, handoff.views.entryTitle) });
    }),
    events.on('conversation.typing', ({ conversationId, from, isTyping, agentName, agentId }) => {
      // Not echoed to the typing agent's own consoles.
      for (const client of audience(conversationId)) {
        if (client.agent.id !== agentId) send(client, { type: 'typing', conversationId, from, isTyping, agentName });
      }
    }),
  ];

  function onUpdate(update: AgentUpdate): void {
    switch (update.type) {
      case 'queue':
        return clients.forEach((client) => send(client, { type: 'queue', items: handoff.views.queue() }));
      case 'tickets':
        return clients.forEach((client) => send(client, { type: 'tickets', items: handoff.views.tickets() }));
      case 'agents':
        return clients.forEach((client) => send(client, { type: 'agents', items: handoff.views.agents() }));
      case 'chats':
        return forAgent(update.agentId).forEach((client) => send(client, { type: 'chats', items: handoff.views.chatsOf(update.agentId) }));
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
        const presence = handoff.views.presenceOf(update.conversationId);
        return clients.forEach((client) => send(client, { type: 'presence', conversationId: update.conversationId, ...presence }));
      }
    }
  }

  function sendConversation(client: AgentSocket, conversationId: string): void {
    const view = handoff.views.transcript(conversationId);
    if (!view) return refuse(client, 'not_found');
    client.viewing.add(conversationId);
    send(client, { type: 'conversation', ...view, messages: view.messages.map((message) => toAgentMessage(message, handoff.views.entryTitle)) });
  }

  function answer(client: AgentSocket, request: string, conversationId: string, result: AgentActionResult): void {
    if (result.ok) send(client, { type: 'ok', request, conversationId });
    else refuse(client, result.error);
  }

  function handleFrame(client: AgentSocket, frame: AgentClientFrame): void {
    const agentId = client.agent.id;
    switch (frame.type) {
      case 'open':
        return sendConversation(client, frame.conversationId);
      case 'claim': {
        const result = handoff.claim(agentId, frame.conversationId);
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
        const stored = frame.type === 'message' ? handoff.reply(agentId, frame.conversationId, text, frame.clientMessageId) : handoff.note(agentId, frame.conversationId, text);
        if (typeof stored === 'string') return refuse(client, stored, frame.clientMessageId);
        return send(client, { type: 'ack', clientMessageId: frame.clientMessageId, messageId: stored.id });
      }
      case 'typing':
        if (handoff.holderOf(frame.conversationId) !== agentId) return;
        if (frame.isTyping) client.typingIn.add(frame.conversationId);
        else client.typingIn.delete(frame.conversationId);
        return events.emit('conversation.typing', { conversationId: frame.conversationId, from: 'agent', isTyping: frame.isTyping, agentName: client.agent.name, agentId });
      case 'resolve':
        return answer(client, 'resolve', frame.conversationId, handoff.resolve(agentId, frame.conversationId));
      case 'hand_back':
        return answer(client, 'hand_back', frame.conversationId, handoff.handBack(agentId, frame.conversationId));
      case 'transfer':
        return answer(client, 'transfer', frame.conversationId, handoff.transfer(agentId, frame.conversationId, frame.toAgentId));
      case 'search':
        return send(client, { type: 'search_results', query: frame.query, results: frame.query.trim() ? deps.engine().search(frame.query, frame.lang, 5) : [] });
      case 'shopper_details': {
        const result = handoff.setShopperDetails(frame.conversationId, { name: frame.name, email: frame.email });
        if (!result.ok) return refuse(client, result.error);
        return sendConversation(client, frame.conversationId);
      }
      case 'close_ticket': {
        const result = handoff.closeTicket(agentId, frame.ticketId);
        if (!result.ok) return refuse(client, result.error);
        return send(client, { type: 'ok', request: 'close_ticket' });
      }
      case 'answer_ticket':
        return void answerTicket(client, frame.ticketId, frame.text);
      case 'ticket_email_reply': {
        const result = handoff.recordEmailReply(frame.ticketId, frame.text);
        if (!result.ok) return refuse(client, result.error);
        return send(client, { type: 'ok', request: 'ticket_email_reply', ticketId: frame.ticketId });
      }
    }
  }

  /** Sending takes a round trip to the mail server; the answer names the ticket so the console can match it. */
  async function answerTicket(client: AgentSocket, ticketId: number, text: string): Promise<void> {
    try {
      const result = await handoff.answerTicket(client.agent.id, ticketId, text);
      if (result.ok) return send(client, { type: 'ok', request: 'answer_ticket', ticketId });
      send(client, { type: 'error', code: result.error, message: result.message ?? AGENT_ERROR_MESSAGES[result.error], ticketId });
    } catch (error) {
      log.error({ err: error, ticketId }, 'ticket reply failed');
      send(client, { type: 'error', code: 'internal', message: ERRORS.internal.message, ticketId });
    }
  }

  function onMessage(client: AgentSocket, data: RawData, isBinary: boolean): void {
    if (isBinary) return sendError(client, 'bad_frame', 'Frames must be JSON text, not binary.');
    const parsed = parseAgentFrame(String(data));
    if (!parsed.ok) return sendError(client, parsed.code, parsed.message, parsed.clientMessageId);
    // Parsed first so a refused reply carries its id and the console can give the text back.
    if (!limiter.take(client.agent.id)) {
      const clientMessageId = 'clientMessageId' in parsed.frame ? parsed.frame.clientMessageId : undefined;
      return sendError(client, 'rate_limited', ERRORS.rate_limited.message, clientMessageId);
    }
    try {
      handleFrame(client, parsed.frame);
    } catch (error) {
      log.error({ err: error, frame: parsed.frame.type, agentId: client.agent.id }, 'agent frame failed');
      sendError(client, 'internal', ERRORS.internal.message);
    }
  }

  function dropEndedSessions(): void {
    for (const client of clients) {
      if (!sessionAgent(agents, client.cookie)) client.ws.close(SESSION_ENDED, 'session ended; log in again');
    }
  }

  function onConnection(ws: WebSocket, agent: Agent, cookie: string | undefined): void {
    const client: AgentSocket = { ws, agent, cookie, viewing: new Set(), typingIn: new Set(), alive: true };
    clients.add(client);
    ws.on('pong', () => (client.alive = true));
    ws.on('message', (data, isBinary) => onMessage(client, data, isBinary));
    ws.on('error', (error) => log.warn({ err: error }, 'agent socket error'));
    ws.on('close', () => {
      clients.delete(client);
      // A closed console stops typing; otherwise the shopper's "typing…" would stay on.
      for (const conversationId of client.typingIn) {
        events.emit('conversation.typing', { conversationId, from: 'agent', isTyping: false, agentName: agent.name, agentId: agent.id });
      }
      handoff.agentDisconnected(agent.id);
    });
    for (const chat of handoff.views.chatsOf(agent.id)) client.viewing.add(chat.conversationId);
    send(client, {
      type: 'welcome',
      agent: { id: agent.id, name: agent.name, role: agent.role },
      queue: handoff.views.queue(),
      chats: handoff.views.chatsOf(agent.id),
      tickets: handoff.views.tickets(),
      agents: handoff.views.agents(),
      emailConfigured: handoff.emailConfigured,
    });
    // After the welcome, so chats routed to this agent now arrive as "assigned" updates on top of it.
    handoff.agentConnected(agent.id);
  }

  const stopHeartbeat = startHeartbeat(clients, dropEndedSessions);

  return {
    handleUpgrade(request: IncomingMessage, socket, head) {
      // Only the console's own pages may open this socket: no allowed-origins list for agents.
      if (!isOriginAllowed(request, [])) return rejectUpgrade(socket, ERRORS.origin_forbidden.http, 'The agent socket only accepts the console served by this server.');
      const agent = sessionAgent(agents, request.headers.cookie);
      if (!agent) return rejectUpgrade(socket, 401, 'Log in at /agent/login first.');
      wss.handleUpgrade(request, socket, head, (ws) => onConnection(ws, agent, request.headers.cookie));
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
