/** Whether the shopper still has the chat open, as an agent sees it ("en línea", "se fue hace 3 min"). */
export interface ShopperPresenceState {
  online: boolean;
  /** When the last tab closed; null if never seen since the server started. */
  leftAt: string | null;
}

/** Remembered departures; the oldest are forgotten first (they only feed "se fue hace…"). */
const MAX_REMEMBERED = 10_000;

/** Open shopper sockets per conversation, in memory: a restart shows everyone as gone until they reconnect. */
export class ShopperPresence {
  private readonly sockets = new Map<string, number>();
  private readonly departures = new Map<string, string>();

  /** Returns true when the shopper just came (back) online. */
  connect(conversationId: string): boolean {
    const count = (this.sockets.get(conversationId) ?? 0) + 1;
    this.sockets.set(conversationId, count);
    this.departures.delete(conversationId);
    return count === 1;
  }

  /** Returns true when the shopper's last tab just closed. */
  disconnect(conversationId: string, at: Date): boolean {
    const count = (this.sockets.get(conversationId) ?? 0) - 1;
    if (count > 0) {
      this.sockets.set(conversationId, count);
      return false;
    }
    this.sockets.delete(conversationId);
    this.departures.set(conversationId, at.toISOString());
    if (this.departures.size > MAX_REMEMBERED) this.departures.delete(this.departures.keys().next().value!);
    return true;
  }

  of(conversationId: string): ShopperPresenceState {
    return { online: this.sockets.has(conversationId), leftAt: this.departures.get(conversationId) ?? null };
  }
}
