import type { z } from 'zod';

/**
 * What crosses nodes when several Atento processes serve one shop (docs/deployment.md, "Redis"):
 * fan-out of events to the sockets each node holds, agent presence, rate-limit counters, the login
 * limiter's counters and one owner per conversation turn. One node needs none of it across processes:
 * the in-memory bus (the default) keeps it in the process; the Redis bus shares it between nodes.
 * Everything is asynchronous because the Redis bus is a network round trip; the in-memory bus answers
 * with already-settled promises.
 */
export interface Bus {
  /** This node's id (random per process): presence is kept per node, fan-out skips a node's own echo. */
  readonly nodeId: string;
  readonly presence: AgentPresenceBus;
  readonly counters: Counters;
  readonly loginFailures: LoginFailureCounters;
  readonly leases: Leases;
  /**
   * Delivers `payload` (JSON-serializable) to every handler subscribed to `topic` on every node: at once
   * (synchronously) to this node's handlers, through the backend to the others'. At most once, in the
   * order published by one node; a node that is not connected misses what was published meanwhile,
   * like a socket that was not open. A failure to reach other nodes goes to the bus's `onError`.
   */
  publish(topic: string, payload: unknown): void;
  /**
   * Calls `handler` for each payload published on `topic`. Payloads from other nodes are network input:
   * they are checked against `schema` first, and one that does not match is reported to `onError` and
   * dropped. Returns a function that removes the handler.
   */
  subscribe<T>(topic: string, schema: z.ZodType<T>, handler: (payload: T) => void): () => void;
  /**
   * Resolves once the subscriptions made so far hear other nodes (Redis confirms them asynchronously):
   * a node starts serving after this, so no event published meanwhile is missed.
   */
  ready(): Promise<void>;
  /** Withdraws this node's presence and closes its connections. */
  close(): Promise<void>;
}

export interface OnlineAgent {
  agentId: string;
  /** ISO time; across nodes, the earliest of them. */
  onlineSince: string;
}

/**
 * Which agents have a console open on some live node. Each node announces its whole set (on every change
 * and on a heartbeat); an announcement lasts `presenceTtlMs`, so the agents of a node that was killed
 * disappear within that time, and those of a node that shut down cleanly at once (`withdraw`).
 */
export interface AgentPresenceBus {
  /** Replaces this node's set of connected agents, valid for the bus's presence TTL. */
  announce(agents: readonly OnlineAgent[]): Promise<void>;
  /** Removes this node's set at once (clean shutdown). */
  withdraw(): Promise<void>;
  /** Agents connected to any live node, each once. */
  online(): Promise<OnlineAgent[]>;
}

/** Fixed-window counters shared by every node (rate limits by address or by conversation). */
export interface Counters {
  /**
   * Counts one hit on `key` and returns the hits in its current window (1 for the first). A window
   * starts with its first hit and lasts `windowMs`; counting is atomic, so concurrent hits from several
   * nodes are all counted.
   */
  hit(key: string, windowMs: number): Promise<number>;
}

export interface LoginFailures {
  failures: number;
  lastFailureMs: number;
}

/**
 * Failed-login counters by throttle key, shared by every node: the login limiter (src/auth/rate-limit.ts)
 * decides the keys and the waits, and uses these instead of the store's table when nodes are several.
 * Same calls as the store's LoginFailureStore.
 */
export interface LoginFailureCounters {
  get(key: string): Promise<LoginFailures | undefined>;
  /** One more failure for each key at `atMs`; a key is forgotten once quiet since before `forgetBeforeMs`. */
  record(keys: string[], atMs: number, forgetBeforeMs: number): Promise<void>;
  clear(key: string): Promise<void>;
  /** One failure fewer; the key goes when none is left. */
  forgiveOne(key: string): Promise<void>;
}

/**
 * One owner at a time for a key (a conversation's turn): whoever holds the lease answers, the other
 * nodes do not. A lease expires after its TTL, so a killed owner cannot block the key for longer.
 */
export interface Leases {
  /** The lease's token if `key` was free (now held for `ttlMs`), or null if someone holds it. */
  acquire(key: string, ttlMs: number): Promise<string | null>;
  /** Frees `key` if `token` still holds it; false if it expired or another owner took it since. */
  release(key: string, token: string): Promise<boolean>;
}

export interface BusOptions {
  /** Where failures that have no caller to throw to go (a lost fan-out message, a failed publish). */
  onError?: (error: Error) => void;
  /** How long a presence announcement lasts; nodes re-announce well within it (default 15 s). */
  presenceTtlMs?: number;
}

export const DEFAULT_PRESENCE_TTL_MS = 15_000;
