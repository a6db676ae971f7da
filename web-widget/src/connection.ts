import type { ClientFrame, ServerFrame } from '../../src/channels/protocol';

/**
 * The shopper socket with reconnection: exponential back-off with jitter, resume with the stored
 * token, and an outbox of unacknowledged messages that are re-sent with the same client id (the
 * server de-duplicates, so a message is never lost and never doubled).
 */

export interface SavedSession {
  token?: string;
  /** Highest message id the shopper has had on screen with the panel open: the unread badge counts past it. */
  readUpTo?: number;
  open?: boolean;
}

export interface ConnectionEvents {
  frame(frame: ServerFrame): void;
  state(state: 'connecting' | 'online' | 'offline'): void;
}

type Outgoing = Extract<ClientFrame, { clientMessageId: string }>;
type Hello = Omit<Extract<ClientFrame, { type: 'hello' }>, 'type' | 'token' | 'lastSeenId'>;
const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 30_000;

/** Exponential back-off with jitter: a restart or a rush must not be met by every shopper at the same instant. */
function backOff(attempt: number): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

export class SessionStore {
  constructor(private readonly key: string) {}

  load(): SavedSession {
    try {
      return JSON.parse(localStorage.getItem(this.key) ?? '{}') as SavedSession;
    } catch {
      return {};
    }
  }

  save(patch: SavedSession): void {
    try {
      localStorage.setItem(this.key, JSON.stringify({ ...this.load(), ...patch }));
    } catch {
      // Private mode or a full quota: the chat still works, it just will not survive a reload.
    }
  }
}

export class Connection {
  private socket: WebSocket | null = null;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly outbox = new Map<string, Outgoing>();
  /**
   * Set while the server's `busy` wait (retryAfterMs) runs: nothing reliable is sent until it ends, since
   * the server drops this socket's messages meanwhile; then the outbox goes again (see `recovering`).
   */
  private holdTimer: ReturnType<typeof setTimeout> | undefined;
  /**
   * After a wait, the outbox goes one message at a time, each once the one before is settled: a busy
   * server gets one message from this shopper, not everything held, and the order is kept.
   */
  private recovering = false;
  private greeted = false;
  /** Highest message id seen on this page: reconnects ask only for what came after it. */
  lastSeenId = 0;
  private wanted = false;

  constructor(
    private readonly url: string,
    private readonly session: SessionStore,
    private readonly hello: () => Hello,
    private readonly on: ConnectionEvents,
  ) {}

  get connected(): boolean {
    return this.socket?.readyState === WebSocket.OPEN && this.greeted;
  }

  start(): void {
    if (this.wanted) return;
    this.wanted = true;
    // Back online after a tunnel or airplane mode: try now instead of waiting out the back-off.
    window.addEventListener('online', () => {
      if (this.socket === null) {
        clearTimeout(this.retryTimer);
        this.open();
      }
    });
    this.open();
  }

  /** Messages and choices go through the outbox so a reconnect re-sends them. */
  sendReliable(frame: Outgoing): void {
    this.outbox.set(frame.clientMessageId, frame);
    if (this.connected) {
      if (this.holdTimer === undefined && !this.recovering) this.socket!.send(JSON.stringify(frame));
    } else this.start();
  }

  /** Frames that only matter now (typing, feedback, handoff request) are not queued. */
  sendNow(frame: ClientFrame): boolean {
    if (!this.connected) return false;
    this.socket!.send(JSON.stringify(frame));
    return true;
  }

  private open(): void {
    this.on.state('connecting');
    const socket = new WebSocket(this.url);
    this.socket = socket;
    this.greeted = false;
    socket.onopen = () => {
      const saved = this.session.load();
      const frame: ClientFrame = { type: 'hello', ...this.hello() };
      if (saved.token) frame.token = saved.token;
      if (saved.token && this.lastSeenId > 0) frame.lastSeenId = this.lastSeenId;
      socket.send(JSON.stringify(frame));
    };
    socket.onmessage = (event) => {
      let frame: ServerFrame;
      try {
        frame = JSON.parse(String(event.data)) as ServerFrame;
      } catch {
        return;
      }
      if (frame.type === 'welcome') {
        this.greeted = true;
        this.attempt = 0;
        this.session.save({ token: frame.token });
        this.on.state('online');
        this.on.frame(frame);
        for (const pending of this.outbox.values()) socket.send(JSON.stringify(pending));
        return;
      }
      // Shed, not stored: the same message (same id) goes again once the server's wait is over.
      if (frame.type === 'error' && frame.code === 'busy') this.holdFor(frame.retryAfterMs ?? BASE_DELAY_MS * 2);
      // Acknowledged or refused: either way the server has decided, so never re-send it.
      else if (frame.type === 'ack' || (frame.type === 'error' && frame.clientMessageId)) {
        this.settle(frame.clientMessageId!);
        if (this.recovering) this.sendNextHeld();
      }
      // The ack is all this tab gets of its own message (other tabs get it as a `message`).
      const seenId = frame.type === 'message' ? frame.id : frame.type === 'ack' ? frame.messageId : 0;
      if (seenId > this.lastSeenId) this.lastSeenId = seenId;
      this.on.frame(frame);
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.greeted = false;
      // A new socket starts with no wait; the reconnect re-sends the outbox anyway.
      clearTimeout(this.holdTimer);
      this.holdTimer = undefined;
      this.recovering = false;
      this.on.state('offline');
      this.scheduleRetry();
    };
    socket.onerror = () => socket.close();
  }

  private scheduleRetry(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.open(), backOff(this.attempt));
    this.attempt += 1;
  }

  /** Waits retryAfterMs plus up to half again (so shed shoppers do not all come back at once), then re-sends the outbox. */
  private holdFor(retryAfterMs: number): void {
    clearTimeout(this.holdTimer);
    this.recovering = false;
    this.holdTimer = setTimeout(() => {
      this.holdTimer = undefined;
      // Offline meanwhile: the reconnect re-sends the whole outbox anyway.
      if (!this.connected) return;
      this.recovering = true;
      this.sendNextHeld();
    }, retryAfterMs * (1 + Math.random() / 2));
  }

  /** The oldest unsettled message goes again; once none is left, messages go out as they are typed. */
  private sendNextHeld(): void {
    const next = this.outbox.values().next();
    if (next.done) this.recovering = false;
    else this.socket!.send(JSON.stringify(next.value));
  }

  private settle(clientMessageId: string): void {
    this.outbox.delete(clientMessageId);
  }
}
