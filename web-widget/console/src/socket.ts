import type { AgentClientFrame, AgentServerFrame } from '../../../src/channels/agent-protocol';

/**
 * The console's socket to /agent/socket. The session cookie authenticates it; if the session is gone
 * (logged out elsewhere, expired) the upgrade fails and we send the agent to the login page.
 */

const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 15_000;
/** As the widget's (web-widget/src/connection.ts): the back-off starts over only after a connection lasted this long. */
const STABLE_CONNECTION_MS = 10_000;

/** As the widget's: a frame written to a socket that brings nothing back for this long means a dead connection. */
const SILENCE_MS = 15_000;

export class AgentSocket {
  private socket: WebSocket | null = null;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private silenceTimer: ReturnType<typeof setTimeout> | undefined;
  /** Once a connection has lasted STABLE_CONNECTION_MS, the back-off starts over. */
  private stableTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly onFrame: (frame: AgentServerFrame) => void,
    private readonly onState: (state: 'connecting' | 'online' | 'offline') => void,
  ) {
    // The device knows it lost the network: say so at once (the console keeps what was not sent), and
    // try again as soon as it is back rather than at the end of a back-off.
    window.addEventListener('offline', () => {
      if (this.socket) this.drop(this.socket);
    });
    window.addEventListener('online', () => {
      if (this.socket !== null) return;
      clearTimeout(this.retryTimer);
      this.connect();
    });
  }

  connect(): void {
    this.onState('connecting');
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/agent/socket`;
    const socket = new WebSocket(url);
    this.socket = socket;
    let opened = false;
    socket.onopen = () => {
      opened = true;
      this.stableTimer = setTimeout(() => (this.attempt = 0), STABLE_CONNECTION_MS);
      this.onState('online');
    };
    socket.onmessage = (event) => {
      clearTimeout(this.silenceTimer);
      this.silenceTimer = undefined;
      this.onFrame(JSON.parse(String(event.data)) as AgentServerFrame);
    };
    socket.onclose = () => {
      if (!opened) void this.checkSession();
      this.lost(socket);
    };
  }

  send(frame: AgentClientFrame): boolean {
    if (this.socket?.readyState !== WebSocket.OPEN) return false;
    const socket = this.socket;
    socket.send(JSON.stringify(frame));
    // A reply or a note is acknowledged in milliseconds (a ticket's e-mail may take the mail server's time).
    if (frame.type === 'message' || frame.type === 'note') this.silenceTimer ??= setTimeout(() => this.drop(socket), SILENCE_MS);
    return true;
  }

  /** Given up on without waiting for its close, which a dead network may never deliver. */
  private drop(socket: WebSocket): void {
    socket.close();
    this.lost(socket);
  }

  private lost(socket: WebSocket): void {
    if (this.socket !== socket) return;
    clearTimeout(this.silenceTimer);
    clearTimeout(this.stableTimer);
    this.silenceTimer = undefined;
    this.socket = null;
    this.onState('offline');
    clearTimeout(this.retryTimer);
    // Said to be offline: the 'online' event reconnects at once; a slow retry in case navigator.onLine is wrong.
    if (!navigator.onLine) {
      this.retryTimer = setTimeout(() => this.connect(), MAX_DELAY_MS);
      return;
    }
    const delay = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** this.attempt++) * (0.5 + Math.random() / 2);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  /** A refused upgrade looks like any network error to the browser; ask the page whether we are still logged in. */
  private async checkSession(): Promise<void> {
    try {
      const response = await fetch('/agent', { redirect: 'manual', credentials: 'same-origin' });
      if (response.type === 'opaqueredirect' || response.status === 303) location.assign('/agent/login');
    } catch {
      // Offline: keep retrying the socket.
    }
  }
}
