/** Timer functions, injectable so tests control time instead of sleeping. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    handle.unref(); // a pending grace period must not keep the process alive at shutdown
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

interface AgentPresence {
  sockets: number;
  onlineSince: string;
  graceTimer: unknown;
}

/**
 * Which agents have a console open. An agent with several tabs is online until the last one closes;
 * then a grace timer runs before their chats go back to the queue (a page reload must not lose chats).
 */
export class Presence {
  private readonly agents = new Map<string, AgentPresence>();

  constructor(
    private readonly timers: Timers,
    private readonly graceMs: number,
  ) {}

  /** Returns true when the agent just came online (first socket). */
  connect(agentId: string, now: Date): boolean {
    const current = this.agents.get(agentId);
    if (current) {
      if (current.graceTimer !== null) this.timers.clearTimeout(current.graceTimer);
      current.graceTimer = null;
      if (current.sockets === 0) current.onlineSince = now.toISOString();
      current.sockets += 1;
      return current.sockets === 1;
    }
    this.agents.set(agentId, { sockets: 1, onlineSince: now.toISOString(), graceTimer: null });
    return true;
  }

  /** Returns true when the agent just went offline (last socket); `onGraceOver` runs later unless they return. */
  disconnect(agentId: string, onGraceOver: () => void): boolean {
    const current = this.agents.get(agentId);
    if (!current || current.sockets === 0) return false;
    current.sockets -= 1;
    if (current.sockets > 0) return false;
    this.startGrace(agentId, onGraceOver);
    return true;
  }

  /** After a restart, agents who still hold chats get the same grace period to reconnect. */
  startGrace(agentId: string, onGraceOver: () => void): void {
    const current = this.agents.get(agentId) ?? { sockets: 0, onlineSince: '', graceTimer: null };
    if (current.graceTimer !== null) this.timers.clearTimeout(current.graceTimer);
    current.graceTimer = this.timers.setTimeout(() => {
      current.graceTimer = null;
      if (current.sockets === 0) this.agents.delete(agentId);
      onGraceOver();
    }, this.graceMs);
    this.agents.set(agentId, current);
  }

  /** Whether this node has the agent: a console open here, or a grace period running. */
  knows(agentId: string): boolean {
    return this.agents.has(agentId);
  }

  isOnline(agentId: string): boolean {
    return (this.agents.get(agentId)?.sockets ?? 0) > 0;
  }

  online(): Array<{ agentId: string; onlineSince: string }> {
    return [...this.agents.entries()].filter(([, p]) => p.sockets > 0).map(([agentId, p]) => ({ agentId, onlineSince: p.onlineSince }));
  }

  close(): void {
    for (const presence of this.agents.values()) {
      if (presence.graceTimer !== null) this.timers.clearTimeout(presence.graceTimer);
    }
    this.agents.clear();
  }
}
