import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { DEFAULT_PRESENCE_TTL_MS, type Bus, type BusOptions, type LoginFailures, type OnlineAgent } from './types';
import { mergeOnline } from './online';

/** Expired counters and leases are swept whenever a map grows past this. */
const SWEEP_AT = 10_000;

interface Subscriber {
  handler: (payload: never) => void;
  /** The subscribing node's error sink: its handler failed, not the publisher. */
  onError?: (error: Error) => void;
}

/**
 * The state one process shares between its in-memory nodes: a single node by default (one Atento
 * process, nothing to share), several in tests that play a cluster inside one process.
 */
export class MemoryHub {
  private readonly topics = new Map<string, Set<Subscriber>>();
  private readonly presence = new Map<string, { agents: readonly OnlineAgent[]; expiresAt: number }>();
  private readonly counters = new Map<string, { count: number; expiresAt: number }>();
  private readonly failures = new Map<string, LoginFailures & { expiresAt: number }>();
  private readonly leases = new Map<string, { token: string; expiresAt: number }>();

  /** A node on this hub: what it publishes reaches every node's subscribers, at once. */
  node(options: BusOptions = {}): Bus {
    const nodeId = randomUUID();
    const ttlMs = options.presenceTtlMs ?? DEFAULT_PRESENCE_TTL_MS;
    const own = new Set<{ topic: string; subscriber: Subscriber }>();
    const hub = this;
    return {
      nodeId,
      presence: {
        announce: async (agents) => void hub.presence.set(nodeId, { agents: [...agents], expiresAt: Date.now() + ttlMs }),
        withdraw: async () => void hub.presence.delete(nodeId),
        online: async () => hub.online(),
      },
      counters: { hit: async (key, windowMs) => hub.hit(key, windowMs) },
      loginFailures: {
        get: async (key) => hub.loginFailure(key),
        record: async (keys, atMs, forgetBeforeMs) => keys.forEach((key) => hub.recordFailure(key, atMs, atMs - forgetBeforeMs)),
        clear: async (key) => void hub.failures.delete(key),
        forgiveOne: async (key) => hub.forgiveOne(key),
      },
      leases: {
        acquire: async (key, leaseMs) => hub.acquire(key, leaseMs),
        release: async (key, token) => hub.release(key, token),
      },
      publish(topic, payload) {
        for (const subscriber of hub.topics.get(topic) ?? []) {
          // One failing handler must not keep the others from their event.
          try {
            subscriber.handler(payload as never);
          } catch (error) {
            subscriber.onError?.(error as Error);
          }
        }
      },
      subscribe<T>(topic: string, _schema: z.ZodType<T>, handler: (payload: T) => void) {
        // Nothing crosses a network here: payloads are the publisher's own objects, checked by the compiler.
        const subscriber: Subscriber = { handler, onError: options.onError };
        let set = hub.topics.get(topic);
        if (!set) hub.topics.set(topic, (set = new Set()));
        set.add(subscriber);
        const entry = { topic, subscriber };
        own.add(entry);
        return () => {
          set.delete(subscriber);
          own.delete(entry);
        };
      },
      ready: () => Promise.resolve(),
      async close() {
        hub.presence.delete(nodeId);
        for (const { topic, subscriber } of own) hub.topics.get(topic)?.delete(subscriber);
        own.clear();
      },
    };
  }

  private online(): OnlineAgent[] {
    const now = Date.now();
    const sets: Array<readonly OnlineAgent[]> = [];
    for (const [nodeId, entry] of this.presence) {
      if (entry.expiresAt <= now) this.presence.delete(nodeId);
      else sets.push(entry.agents);
    }
    return mergeOnline(sets);
  }

  private hit(key: string, windowMs: number): number {
    const now = Date.now();
    let window = this.counters.get(key);
    if (!window || window.expiresAt <= now) {
      sweep(this.counters, now);
      window = { count: 0, expiresAt: now + windowMs };
      this.counters.set(key, window);
    }
    return ++window.count;
  }

  private loginFailure(key: string): LoginFailures | undefined {
    const entry = this.failures.get(key);
    if (!entry || entry.expiresAt <= Date.now()) return undefined;
    return { failures: entry.failures, lastFailureMs: entry.lastFailureMs };
  }

  private recordFailure(key: string, atMs: number, forgetAfterMs: number): void {
    const now = Date.now();
    const failures = (this.loginFailure(key)?.failures ?? 0) + 1;
    if (!this.failures.has(key)) sweep(this.failures, now);
    this.failures.set(key, { failures, lastFailureMs: atMs, expiresAt: now + forgetAfterMs });
  }

  private forgiveOne(key: string): void {
    const entry = this.failures.get(key);
    if (!entry) return;
    entry.failures -= 1;
    if (entry.failures <= 0) this.failures.delete(key);
  }

  private acquire(key: string, ttlMs: number): string | null {
    const now = Date.now();
    const held = this.leases.get(key);
    if (held && held.expiresAt > now) return null;
    if (!held) sweep(this.leases, now);
    const token = randomUUID();
    this.leases.set(key, { token, expiresAt: now + ttlMs });
    return token;
  }

  private release(key: string, token: string): boolean {
    const held = this.leases.get(key);
    if (!held || held.token !== token || held.expiresAt <= Date.now()) return false;
    this.leases.delete(key);
    return true;
  }
}

/** The default bus: one node, one process. */
export function createMemoryBus(options: BusOptions = {}): Bus {
  return new MemoryHub().node(options);
}

function sweep(map: Map<string, { expiresAt: number }>, now: number): void {
  if (map.size < SWEEP_AT) return;
  for (const [key, entry] of map) if (entry.expiresAt <= now) map.delete(key);
}
