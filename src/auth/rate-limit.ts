/**
 * Failed logins allowed per key (client address, and separately the e-mail tried) in a sliding window.
 * In memory: a restart forgets, which is fine for slowing down guessing from one process.
 */
export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly now: () => Date,
    private readonly maxFailures = 5,
    private readonly windowMs = 15 * 60_000,
    private readonly sweepAt = 10_000,
  ) {}

  /** Seconds until `keys` may try again, or 0 if allowed now. */
  retryAfterSeconds(keys: string[]): number {
    const now = this.now().getTime();
    let wait = 0;
    for (const key of keys) {
      const recent = this.recent(key, now);
      if (recent.length >= this.maxFailures) wait = Math.max(wait, Math.ceil((recent[0] + this.windowMs - now) / 1000));
    }
    return wait;
  }

  recordFailure(keys: string[]): void {
    const now = this.now().getTime();
    // Made-up e-mails are new keys every time; forget the ones whose failures have all expired.
    if (this.failures.size >= this.sweepAt) for (const key of [...this.failures.keys()]) this.recent(key, now);
    for (const key of keys) this.failures.set(key, [...this.recent(key, now), now]);
  }

  recordSuccess(keys: string[]): void {
    for (const key of keys) this.failures.delete(key);
  }

  /** Keys currently remembered (for tests of the sweep). */
  get size(): number {
    return this.failures.size;
  }

  private recent(key: string, now: number): number[] {
    const times = (this.failures.get(key) ?? []).filter((time) => now - time < this.windowMs);
    if (times.length === 0) this.failures.delete(key);
    return times;
  }
}
