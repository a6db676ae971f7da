import type { ClientFrame, ServerFrame } from '../../src/channels/protocol';
import { Outbox } from './outbox';

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
  /** The language the chat speaks (the bot's), and the page's language when it was chosen (web-widget/src/widget.ts). */
  lang?: 'es' | 'en';
  pageLang?: 'es' | 'en';
}

export interface ConnectionEvents {
  frame(frame: ServerFrame): void;
  /** `refused`: the server does not let this page's origin embed the chat; nothing will be retried. */
  state(state: 'connecting' | 'online' | 'offline' | 'refused'): void;
}

type Outgoing = Extract<ClientFrame, { clientMessageId: string }>;
type Hello = Omit<Extract<ClientFrame, { type: 'hello' }>, 'type' | 'token' | 'lastSeenId'>;
const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 30_000;
/**
 * The back-off starts over only after a connection has lasted this long: a server that closes every new
 * socket (a write it could not commit, 1012) is then retried ever more slowly instead of twice a second.
 */
const STABLE_CONNECTION_MS = 10_000;
/**
 * A message written to a socket that brings nothing back for this long means the connection is dead
 * without the browser knowing (a phone that changed networks): it is dropped and a new one re-sends the
 * message. The server acknowledges in milliseconds, and says `busy` rather than go quiet.
 */
const SILENCE_MS = 15_000;
/** A message the server failed on (`internal`) goes this many times in all before it shows "not sent". */
const MAX_SENDS_AFTER_FAILURE = 3;

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
  private stableTimer: ReturnType<typeof setTimeout> | undefined;
  private silenceTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly outbox = new Outbox<Outgoing>({
    send: (frame) => {
      this.socket!.send(JSON.stringify(frame));
      this.expectAnswer(this.socket!);
    },
    isOpen: () => this.connected,
  });
  private greeted = false;
  /** Per client id, how many times the server failed on it (`internal`): a blip is retried, a bug is not forever. */
  private readonly failures = new Map<string, number>();
  /** Highest message id seen on this page: reconnects ask only for what came after it. */
  lastSeenId = 0;
  private wanted = false;
  /**
   * Asked after a socket that never opened, on a page the server has never greeted (after a restart the
   * answer is known): may this page's origin embed the chat? Once answered, not asked again.
   */
  private originAsked: 'no' | 'asking' | 'answered' = 'no';
  private everGreeted = false;
  private refused = false;

  constructor(
    /** The Atento server's origin: the socket is at /ws/shopper, the origin check at /widget/origin. */
    private readonly server: string,
    private readonly session: SessionStore,
    private readonly hello: () => Hello,
    private readonly on: ConnectionEvents,
  ) {}

  get connected(): boolean {
    return this.socket?.readyState === WebSocket.OPEN && this.greeted;
  }

  start(): void {
    if (this.wanted || this.refused) return;
    this.wanted = true;
    // Back online after a tunnel or airplane mode: try now instead of waiting out the back-off.
    window.addEventListener('online', () => {
      if (this.socket === null && !this.refused) {
        clearTimeout(this.retryTimer);
        this.open();
      }
    });
    // The device knows it lost the network: say so now, not when the socket times out minutes later.
    window.addEventListener('offline', () => {
      if (this.socket) this.drop(this.socket);
    });
    this.open();
  }

  /** Messages and choices go through the outbox so a reconnect re-sends them. */
  sendReliable(frame: Outgoing): void {
    this.outbox.add(frame);
    if (!this.connected) this.start();
  }

  /** Frames that only matter now (typing, feedback, handoff request) are not queued. */
  sendNow(frame: ClientFrame): boolean {
    if (!this.connected) return false;
    this.socket!.send(JSON.stringify(frame));
    return true;
  }

  private open(): void {
    if (this.refused) return;
    this.on.state('connecting');
    const socket = new WebSocket(`${this.server.replace(/^http/, 'ws')}/ws/shopper`);
    this.socket = socket;
    this.greeted = false;
    // A handshake into a dead network can hang for minutes: the welcome is an answer like any other.
    this.expectAnswer(socket);
    socket.onopen = () => {
      const saved = this.session.load();
      const frame: ClientFrame = { type: 'hello', ...this.hello() };
      if (saved.token) frame.token = saved.token;
      if (saved.token && this.lastSeenId > 0) frame.lastSeenId = this.lastSeenId;
      socket.send(JSON.stringify(frame));
    };
    socket.onmessage = (event) => {
      clearTimeout(this.silenceTimer);
      this.silenceTimer = undefined;
      let frame: ServerFrame;
      try {
        frame = JSON.parse(String(event.data)) as ServerFrame;
      } catch {
        return;
      }
      if (frame.type === 'welcome') {
        this.greeted = true;
        this.everGreeted = true;
        this.stableTimer = setTimeout(() => (this.attempt = 0), STABLE_CONNECTION_MS);
        this.session.save({ token: frame.token });
        this.on.state('online');
        this.on.frame(frame);
        this.outbox.resendAll();
        return;
      }
      if (frame.type === 'ack') this.settle(frame.clientMessageId);
      if (frame.type === 'error' && frame.clientMessageId) {
        const retry = this.retryOf(frame);
        if (retry === 'quietly') return;
        // Refused for good: the server has decided, so it never goes again.
        if (retry === 'no') this.settle(frame.clientMessageId);
      }
      // The ack is all this tab gets of its own message (other tabs get it as a `message`).
      const seenId = frame.type === 'message' ? frame.id : frame.type === 'ack' ? frame.messageId : 0;
      if (seenId > this.lastSeenId) this.lastSeenId = seenId;
      this.on.frame(frame);
    };
    socket.onclose = () => {
      // A refused upgrade looks like any network error to a page: ask the server why, once.
      if (!this.greeted && !this.everGreeted && this.socket === socket && this.originAsked === 'no') void this.checkOrigin();
      this.lost(socket);
    };
    socket.onerror = () => socket.close();
  }

  private async checkOrigin(): Promise<void> {
    this.originAsked = 'asking';
    let allowed = true;
    try {
      const response = await fetch(`${this.server}/widget/origin`, { cache: 'no-store' });
      allowed = ((await response.json()) as { allowed?: boolean }).allowed !== false;
      this.originAsked = 'answered';
    } catch {
      // Unreachable (down, offline) or an older server: keep retrying as usual, and ask again next time.
      this.originAsked = 'no';
    }
    if (allowed) return;
    this.refused = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.silenceTimer);
    this.silenceTimer = undefined;
    // A retry may have started while the server was asked: forgotten first, so its close changes nothing.
    const retrying = this.socket;
    this.socket = null;
    retrying?.close();
    console.warn(`Atento: this page's origin (${location.origin}) may not embed the chat. Add it to ATENTO_ALLOWED_ORIGINS on the Atento server and restart it.`);
    this.on.state('refused');
  }

  /** Armed by a new socket and by a message written to it, disarmed by anything the server sends. */
  private expectAnswer(socket: WebSocket): void {
    this.silenceTimer ??= setTimeout(() => this.drop(socket), SILENCE_MS);
  }

  /** Given up on without waiting for its close, which a dead network may never deliver. */
  private drop(socket: WebSocket): void {
    socket.close();
    this.lost(socket);
  }

  private lost(socket: WebSocket): void {
    if (this.socket !== socket) return;
    clearTimeout(this.stableTimer);
    clearTimeout(this.silenceTimer);
    this.silenceTimer = undefined;
    this.socket = null;
    this.greeted = false;
    this.outbox.reset();
    this.on.state('offline');
    this.scheduleRetry();
  }

  /**
   * Whether a refused message goes again by itself. `busy`: after the server's wait, and the widget says
   * so. `unavailable` (the server is restarting: the reconnect re-sends it) and `internal` (after a
   * back-off, a few times) go again quietly: the shopper need not hear of them.
   */
  private retryOf(error: Extract<ServerFrame, { type: 'error' }>): 'shown' | 'quietly' | 'no' {
    if (error.code === 'busy') {
      this.outbox.holdFor(error.retryAfterMs ?? BASE_DELAY_MS * 2);
      return 'shown';
    }
    const id = error.clientMessageId!;
    if (!this.outbox.has(id)) return 'no';
    if (error.code === 'unavailable') return 'quietly';
    if (error.code !== 'internal') return 'no';
    const failures = (this.failures.get(id) ?? 0) + 1;
    if (failures >= MAX_SENDS_AFTER_FAILURE) return 'no';
    this.failures.set(id, failures);
    this.outbox.holdFor(backOff(failures));
    return 'quietly';
  }

  private settle(clientMessageId: string): void {
    this.failures.delete(clientMessageId);
    this.outbox.settle(clientMessageId);
  }

  private scheduleRetry(): void {
    clearTimeout(this.retryTimer);
    if (this.refused) return;
    // Said to be offline: the 'online' event opens the next socket at once; until then a slow retry, since
    // navigator.onLine can be wrong (VPNs, virtual adapters) and a network may come back without the event.
    if (!navigator.onLine) {
      this.retryTimer = setTimeout(() => this.open(), MAX_DELAY_MS);
      return;
    }
    this.retryTimer = setTimeout(() => this.open(), backOff(this.attempt));
    this.attempt += 1;
  }
}
