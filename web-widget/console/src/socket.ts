import type { AgentClientFrame, AgentServerFrame } from '../../../src/channels/agent-protocol';

/**
 * The console's socket to /agent/socket. The session cookie authenticates it; if the session is gone
 * (logged out elsewhere, expired) the upgrade fails and we send the agent to the login page.
 */

const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 15_000;
/** As the widget's (web-widget/src/connection.ts): the back-off starts over only after a connection lasted this long. */
const STABLE_CONNECTION_MS = 10_000;

export class AgentSocket {
  private socket: WebSocket | null = null;
  private attempt = 0;

  constructor(
    private readonly onFrame: (frame: AgentServerFrame) => void,
    private readonly onState: (state: 'connecting' | 'online' | 'offline') => void,
  ) {}

  connect(): void {
    this.onState('connecting');
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/agent/socket`;
    const socket = new WebSocket(url);
    this.socket = socket;
    let opened = false;
    let stable: ReturnType<typeof setTimeout> | undefined;
    socket.onopen = () => {
      opened = true;
      stable = setTimeout(() => (this.attempt = 0), STABLE_CONNECTION_MS);
      this.onState('online');
    };
    socket.onmessage = (event) => this.onFrame(JSON.parse(String(event.data)) as AgentServerFrame);
    socket.onclose = () => {
      clearTimeout(stable);
      this.socket = null;
      this.onState('offline');
      if (!opened) void this.checkSession();
      const delay = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** this.attempt++) * (0.5 + Math.random() / 2);
      setTimeout(() => this.connect(), delay);
    };
  }

  send(frame: AgentClientFrame): boolean {
    if (this.socket?.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
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
