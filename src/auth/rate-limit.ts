import type { LoginFailureStore } from '../store';

/** Where failures are counted: the store's table (one node), or Redis shared by every node (src/bus). */
export type LoginFailureCounts = Pick<LoginFailureStore, 'get' | 'record' | 'clear' | 'forgiveOne'>;

/** How failed logins slow down one key: free tries, then a wait that doubles with each failure. */
export interface ThrottlePolicy {
  freeFailures: number;
  maxDelaySeconds: number;
}

/** A typo or two never waits; a guesser waits 1, 2, 4… s, up to 15 min, between tries. */
export const PAIR_POLICY: ThrottlePolicy = { freeFailures: 5, maxDelaySeconds: 15 * 60 };
/** One address trying many e-mails (a shared office address has room for a few people's typos). */
export const ADDRESS_POLICY: ThrottlePolicy = { freeFailures: 10, maxDelaySeconds: 15 * 60 };
/** Failures are forgotten after a day without a new one. */
const FORGET_AFTER_MS = 24 * 3600_000;

/** Seconds a key must wait after its last failure before trying again. */
export function throttleDelaySeconds(failures: number, policy: ThrottlePolicy): number {
  if (failures < policy.freeFailures) return 0;
  return Math.min(policy.maxDelaySeconds, 2 ** (failures - policy.freeFailures));
}

/**
 * Failed agent logins, throttled per (e-mail, address) pair and per address, never per e-mail alone:
 * failing for someone's e-mail from other addresses cannot lock that person out. Kept in the store, so a
 * restart does not reset a guesser, or in Redis when nodes are several, so each node sees the failures
 * made on the others (each node admits one attempt at a time: a burst spread over N nodes gets at most N
 * attempts past one check, and each is counted).
 */
export class LoginLimiter {
  /** Admissions in progress: a check and its count happen together, so guesses sent at once meet the limit. */
  private admitting: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly table: LoginFailureCounts,
    private readonly now: () => Date,
  ) {}

  /** Seconds until this e-mail may be tried from this address, or 0 if now. */
  async retryAfterSeconds(email: string, address: string): Promise<number> {
    const now = this.now().getTime();
    return Math.max(...(await Promise.all(this.keys(email, address).map(([key, policy]) => this.wait(key, policy, now)))));
  }

  async recordFailure(email: string, address: string): Promise<void> {
    const now = this.now().getTime();
    await this.table.record(this.keys(email, address).map(([key]) => key), now, now - FORGET_AFTER_MS);
  }

  /**
   * An attempt may go ahead (0) or must wait that many seconds. One that goes ahead is counted as a
   * failure before its password is checked (recordSuccess takes it back); checks and counts run one
   * at a time, so guesses sent all at once cannot all pass the check before any is counted.
   */
  admit(email: string, address: string): Promise<number> {
    const admitted = this.admitting.then(async () => {
      const retryAfter = await this.retryAfterSeconds(email, address);
      if (retryAfter === 0) await this.recordFailure(email, address);
      return retryAfter;
    });
    this.admitting = admitted.catch(() => undefined);
    return admitted;
  }

  /**
   * The right password clears its pair. The address keeps its earlier failures (one success does not
   * whitewash them) but not this attempt's, counted before the check: else an office where agents log
   * in all day would pile up "failures" and be slowed down.
   */
  async recordSuccess(email: string, address: string): Promise<void> {
    await this.table.clear(pairKey(email, address));
    await this.table.forgiveOne(addressKey(address));
  }

  private keys(email: string, address: string): Array<[string, ThrottlePolicy]> {
    return [
      [pairKey(email, address), PAIR_POLICY],
      [addressKey(address), ADDRESS_POLICY],
    ];
  }

  private async wait(key: string, policy: ThrottlePolicy, now: number): Promise<number> {
    const row = await this.table.get(key);
    if (!row || now - row.lastFailureMs >= FORGET_AFTER_MS) return 0;
    const readyAt = row.lastFailureMs + throttleDelaySeconds(row.failures, policy) * 1000;
    return Math.max(0, Math.ceil((readyAt - now) / 1000));
  }
}

function addressKey(address: string): string {
  return `ip:${address}`;
}

function pairKey(email: string, address: string): string {
  return `pair:${email}|${address}`;
}
