/** Whether the shopper still has the chat open, as an agent sees it ("en línea", "se fue hace 3 min"). */
export interface ShopperPresenceState {
  online: boolean;
  /** When the last tab closed; null if never seen since the server started. */
  leftAt: string | null;
}

/** Remembered departures; the oldest are forgotten first (they only feed "se fue hace…"). */
const MAX_REMEMBERED = 10_000;

/**
 * Open shopper sockets per conversation, in memory: a restart shows everyone as gone until they reconnect.
 * With several nodes, what the others announce (`heard`) counts for conversations with no tab open here.
 */
export class ShopperPresence {
  private readonly sockets = new Map<string, number>();
  private readonly departures = new Map<string, string>();
  /** Conversations another node last said have a tab open there. */
  private readonly elsewhere = new Set<string>();

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

  /** A node (maybe this one) said the shopper came or left; only their last word there is kept. */
  heard(conversationId: string, state: ShopperPresenceState): void {
    if (state.online) {
      this.elsewhere.add(conversationId);
      if (this.elsewhere.size > MAX_REMEMBERED) this.elsewhere.delete(this.elsewhere.values().next().value!);
      this.departures.delete(conversationId);
      return;
    }
    this.elsewhere.delete(conversationId);
    if (state.leftAt && !this.sockets.has(conversationId)) this.departures.set(conversationId, state.leftAt);
  }

  of(conversationId: string): ShopperPresenceState {
    const online = this.sockets.has(conversationId) || this.elsewhere.has(conversationId);
    return { online, leftAt: online ? null : (this.departures.get(conversationId) ?? null) };
  }
}
