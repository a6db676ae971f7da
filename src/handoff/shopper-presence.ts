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
 * With several nodes, what each other node last said (`heard`) counts too: online while any node has a tab.
 */
export class ShopperPresence {
  private readonly sockets = new Map<string, number>();
  private readonly departures = new Map<string, string>();
  /** Per conversation, the other nodes that last said they have a tab of it open. */
  private readonly elsewhere = new Map<string, Set<string>>();

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

  /** Another node said the shopper opened their first tab there, or closed their last one. */
  heard(conversationId: string, state: ShopperPresenceState, node: string): void {
    const nodes = this.elsewhere.get(conversationId);
    if (state.online) {
      if (nodes) nodes.add(node);
      else this.elsewhere.set(conversationId, new Set([node]));
      if (this.elsewhere.size > MAX_REMEMBERED) this.elsewhere.delete(this.elsewhere.keys().next().value!);
      this.departures.delete(conversationId);
      return;
    }
    nodes?.delete(node);
    if (nodes?.size === 0) this.elsewhere.delete(conversationId);
    if (state.leftAt && !this.sockets.has(conversationId) && !this.elsewhere.has(conversationId)) this.departures.set(conversationId, state.leftAt);
  }

  /** This node's own word: what it tells the others (never what it heard from them, or two nodes would keep each other online). */
  here(conversationId: string): ShopperPresenceState {
    return this.state(conversationId, this.sockets.has(conversationId));
  }

  of(conversationId: string): ShopperPresenceState {
    return this.state(conversationId, this.sockets.has(conversationId) || this.elsewhere.has(conversationId));
  }

  private state(conversationId: string, online: boolean): ShopperPresenceState {
    return { online, leftAt: online ? null : (this.departures.get(conversationId) ?? null) };
  }
}
