import { BusError, type Counters } from '../bus';

/** Counts one event for a key; false when the key is over its limit in the current window. */
export interface WindowLimiter {
  take(key: string): boolean | Promise<boolean>;
}

/**
 * The same limit counted by every node in the shared bus (Redis): a key's events on all nodes add up,
 * so an address cannot get the limit once per node by being spread over them. While Redis is away this
 * node counts alone (a limit per node rather than none, and shoppers keep chatting).
 */
export function sharedRateLimiter(counters: Counters, name: string, limit: number, windowMs: number): WindowLimiter {
  const local = new RateLimiter(limit, windowMs);
  return {
    async take(key) {
      try {
        return (await counters.hit(`${name}:${key}`, windowMs)) <= limit;
      } catch (error) {
        if (!(error instanceof BusError)) throw error;
        return local.take(key);
      }
    },
  };
}

/**
 * Fixed-window counters by key (a conversation, an address), in this process. Memory stays bounded:
 * stale windows are swept whenever the map grows past `sweepAt`.
 */
export class RateLimiter implements WindowLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly sweepAt = 10_000,
  ) {}

  /** Counts one event for `key`; false when the key is over its limit in the current window. */
  take(key: string, now = Date.now()): boolean {
    let window = this.windows.get(key);
    if (!window || now - window.start >= this.windowMs) {
      if (this.windows.size >= this.sweepAt) this.sweep(now);
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count += 1;
    return window.count <= this.limit;
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) if (now - window.start >= this.windowMs) this.windows.delete(key);
  }
}
