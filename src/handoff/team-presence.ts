import type { AgentPresenceBus, OnlineAgent } from '../bus';
import type { Presence } from './presence';

/**
 * The agents online on any node: this node's consoles (Presence, which also keeps their grace periods)
 * announced on the bus, everyone's read back from it. Reads are synchronous, from the last answer merged
 * with this node's own set (so a console that opened here counts at once); `refresh` asks the bus again,
 * and runs on every change here, on every change another node announces, and on a heartbeat, which also
 * renews this node's announcement well within its TTL.
 */
export class TeamPresence {
  private known: OnlineAgent[] = [];
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly local: Presence,
    private readonly bus: AgentPresenceBus,
    /** A failed announcement or read (Redis away): the last answer stays in use meanwhile. */
    private readonly onError: (error: unknown) => void,
    heartbeatMs: number,
    /** After a read: the agents who were online on another node only, and no longer are anywhere. */
    private readonly onVanished: (agentIds: string[]) => void,
  ) {
    this.heartbeat = setInterval(() => void this.sync(), heartbeatMs);
    this.heartbeat.unref();
  }

  /** Announces this node's consoles, then reads everyone's. Never rejects. */
  async sync(): Promise<void> {
    try {
      await this.bus.announce(this.local.online());
    } catch (error) {
      this.onError(error);
    }
    await this.refresh();
  }

  /** Reads who is online on every node; never rejects (on failure the last answer stays). */
  async refresh(): Promise<OnlineAgent[]> {
    const before = this.known;
    try {
      this.known = await this.bus.online();
    } catch (error) {
      this.onError(error);
      return this.online();
    }
    // Agents this node never had: their node went away (killed) or they closed it there. The grace period decides.
    const vanished = before.filter(({ agentId }) => !this.isOnline(agentId) && !this.local.knows(agentId)).map(({ agentId }) => agentId);
    if (vanished.length > 0) this.onVanished(vanished);
    return this.online();
  }

  online(): OnlineAgent[] {
    const here = this.local.online();
    const others = this.known.filter((agent) => !here.some((mine) => mine.agentId === agent.agentId));
    return [...here, ...others];
  }

  isOnline(agentId: string): boolean {
    return this.local.isOnline(agentId) || this.known.some((agent) => agent.agentId === agentId);
  }

  close(): void {
    clearInterval(this.heartbeat);
  }
}
