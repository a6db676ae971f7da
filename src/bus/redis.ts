import { createHash, randomUUID } from 'node:crypto';
import Redis, { type RedisOptions } from 'ioredis';
import { redactUrl } from '../observability/redact-url';
import { z } from 'zod';
import { BusError } from './errors';
import { mergeOnline } from './online';
import { ANNOUNCE, FORGIVE_ONE, HIT, LIVE_NODES, RECORD_FAILURES, RELEASE, runScript } from './redis-scripts';
import { DEFAULT_PRESENCE_TTL_MS, type Bus, type BusOptions, type LoginFailures, type OnlineAgent } from './types';

export interface RedisBusOptions extends BusOptions {
  /** redis://[user:password@]host:port[/db] or rediss:// (TLS). */
  url: string;
  /** Prefix of every key and channel, so several shops can share one Redis (default "atento:"). */
  keyPrefix?: string;
  /** How long start-up waits for Redis before giving up with a readable error (default 5 s). */
  connectTimeoutMs?: number;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 5000;
/** Reconnection backoff after start-up: quick at first, then every 2 s for as long as Redis is away. */
const reconnectDelay = (attempt: number) => Math.min(attempt * 100, 2000);

/** What one node publishes for the others: its id (to skip its own echo) and the payload. */
const envelopeSchema = z.object({ from: z.string(), payload: z.unknown() });
const failuresSchema = z.tuple([z.coerce.number().int(), z.coerce.number().int()]);

interface Subscription {
  schema: z.ZodType<unknown>;
  handler: (payload: unknown) => void;
}

/**
 * The bus shared by several nodes through Redis (ioredis): one connection for commands, one for
 * subscriptions (a subscribed connection can run nothing else). Both reconnect on their own after
 * start-up; meanwhile commands fail at once with ATENTO_ERR_REDIS_UNAVAILABLE (no queue that would
 * replay stale rate-limit hits or leases later) and fan-out messages published elsewhere are missed.
 */
/** How long one Redis command may take before it fails (a rate-limit check sits on every shopper message). */
const COMMAND_TIMEOUT_MS = 1_000;

export async function connectRedisBus(options: RedisBusOptions): Promise<Bus> {
  const prefix = options.keyPrefix ?? 'atento:';
  const where = redactUrl(options.url);
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const ttlMs = options.presenceTtlMs ?? DEFAULT_PRESENCE_TTL_MS;
  const onError = options.onError ?? (() => {});
  const nodeId = randomUUID();
  // disconnectTimeout: ioredis keeps a timer that long even for a socket that never connected.
  const base: RedisOptions = { lazyConnect: true, connectTimeout: connectTimeoutMs, retryStrategy: reconnectDelay, disconnectTimeout: 500 };
  // commandTimeout: a Redis that hangs (not refusing, just silent) fails the call, so the callers' local
  // fallbacks apply instead of every shopper message waiting on it; keepAlive notices a dead peer.
  const commands = new Redis(options.url, { ...base, enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: COMMAND_TIMEOUT_MS, keepAlive: 10_000 });
  // Subscriptions made while reconnecting wait for the connection. The bus renews them on reconnect (see
  // 'ready' below): ioredis's own renewal (autoResubscribe) leaves its SUBSCRIBE without a catch, and a
  // connection lost again before the reply made that an unhandled rejection, which ends a Node process.
  const subscriber = new Redis(options.url, { ...base, maxRetriesPerRequest: null, autoResubscribe: false });
  let closing = false;
  const reportDrop = (error: Error) => {
    if (!closing) onError(error);
  };
  const lastErrors = [watchConnection(commands, 'commands', where, reportDrop), watchConnection(subscriber, 'subscriptions', where, reportDrop)];

  try {
    // One after the other: when Redis is away, the second connection is never started.
    await withTimeout(commands.connect(), connectTimeoutMs);
    await withTimeout(subscriber.connect(), connectTimeoutMs);
  } catch (error) {
    commands.disconnect();
    subscriber.disconnect();
    const reason = lastErrors.map((last) => last()).find(Boolean) ?? (error as Error).message;
    throw new BusError(
      'ATENTO_ERR_REDIS_UNREACHABLE',
      `atento: cannot reach Redis at ${where} (ATENTO_REDIS_URL) within ${connectTimeoutMs} ms: ${reason}. Check that Redis is running and that the URL, password and TLS setting (rediss://) are right.`,
      { cause: error },
    );
  }

  /** Runs a command; a failure names Redis, what was being done and the driver's reason. */
  const run = async <T>(what: string, command: () => Promise<T>): Promise<T> => {
    try {
      return await command();
    } catch (error) {
      if (error instanceof BusError) throw error;
      throw new BusError('ATENTO_ERR_REDIS_UNAVAILABLE', `Redis at ${where} is unavailable (${(error as Error).message}): ${what} failed`, { cause: error });
    }
  };
  const channelPrefix = `${prefix}fanout:`;
  const nodesKey = `${prefix}presence:nodes`;
  const nodeKey = (id: string) => `${prefix}presence:node:${id}`;
  // Throttle keys hold e-mails and addresses: only their hashes are kept, as in the SQLite table.
  const loginKey = (key: string) => `${prefix}login:${createHash('sha256').update(key).digest('hex')}`;
  const leaseKey = (key: string) => `${prefix}lease:${key}`;

  const topics = new Map<string, Set<Subscription>>();
  const pendingSubscriptions = new Set<Promise<void>>();
  const deliver = (topic: string, payload: unknown, validate: boolean) => {
    for (const subscription of topics.get(topic) ?? []) {
      let value = payload;
      if (validate) {
        const parsed = subscription.schema.safeParse(payload);
        if (!parsed.success) {
          onError(new BusError('ATENTO_ERR_BUS_DATA', `fan-out message on "${topic}" dropped: ${z.prettifyError(parsed.error)}`));
          continue;
        }
        value = parsed.data;
      }
      // One failing handler must not keep the others from their event.
      try {
        subscription.handler(value);
      } catch (error) {
        onError(error as Error);
      }
    }
  };
  subscriber.on('ready', () => {
    const channels = [...topics.keys()].map((topic) => channelPrefix + topic);
    if (channels.length === 0) return;
    // Lost again before the reply: the next 'ready' tries again.
    subscriber.subscribe(...channels).catch((error: Error) => reportDrop(new BusError('ATENTO_ERR_REDIS_UNAVAILABLE', `renewing ${channels.length} subscriptions failed: ${error.message}`, { cause: error })));
  });
  subscriber.on('message', (channel: string, text: string) => {
    if (!channel.startsWith(channelPrefix)) return;
    const topic = channel.slice(channelPrefix.length);
    let envelope: z.infer<typeof envelopeSchema>;
    try {
      envelope = envelopeSchema.parse(JSON.parse(text));
    } catch (error) {
      return onError(new BusError('ATENTO_ERR_BUS_DATA', `fan-out message on "${topic}" dropped: not a bus envelope (${(error as Error).message})`));
    }
    // This node's own messages were delivered when they were published.
    if (envelope.from !== nodeId) deliver(topic, envelope.payload, true);
  });

  return {
    nodeId,
    presence: {
      announce: (agents) =>
        run('announcing agent presence', async () => {
          const pairs = agents.flatMap(({ agentId, onlineSince }) => [agentId, onlineSince]);
          await runScript(commands, ANNOUNCE, [nodesKey, nodeKey(nodeId)], [nodeId, ttlMs, ...pairs]);
        }),
      withdraw: () =>
        run('withdrawing agent presence', async () => {
          await commands.multi().del(nodeKey(nodeId)).zrem(nodesKey, nodeId).exec();
        }),
      online: () =>
        run('reading agent presence', async () => {
          const nodes = z.array(z.string()).parse(await runScript(commands, LIVE_NODES, [nodesKey], []));
          if (nodes.length === 0) return [];
          const pipeline = commands.pipeline();
          for (const id of nodes) pipeline.hgetall(nodeKey(id));
          const sets = (await pipeline.exec())!.map(([error, hash]): OnlineAgent[] => {
            if (error) throw error;
            return Object.entries(hash as Record<string, string>).map(([agentId, onlineSince]) => ({ agentId, onlineSince }));
          });
          return mergeOnline(sets);
        }),
    },
    counters: {
      hit: (key, windowMs) => run(`counting "${key}"`, async () => Number(await runScript(commands, HIT, [`${prefix}rate:${key}`], [windowMs]))),
    },
    loginFailures: {
      get: (key) =>
        run('reading login failures', async (): Promise<LoginFailures | undefined> => {
          const [failures, last] = await commands.hmget(loginKey(key), 'failures', 'last');
          if (failures === null || last === null) return undefined;
          const parsed = failuresSchema.safeParse([failures, last]);
          if (!parsed.success) throw new BusError('ATENTO_ERR_BUS_DATA', `login failures in Redis at ${loginKey(key)} are not numbers: ${failures}, ${last}`);
          return { failures: parsed.data[0], lastFailureMs: parsed.data[1] };
        }),
      // Each key expires as long after its last failure as `forgetBeforeMs` is before it.
      record: (keys, atMs, forgetBeforeMs) =>
        run('recording a login failure', async () => void (await runScript(commands, RECORD_FAILURES, keys.map(loginKey), [atMs, atMs - forgetBeforeMs]))),
      clear: (key) => run('clearing login failures', async () => void (await commands.del(loginKey(key)))),
      forgiveOne: (key) => run('forgiving a login failure', async () => void (await runScript(commands, FORGIVE_ONE, [loginKey(key)], []))),
    },
    leases: {
      acquire: (key, leaseMs) =>
        run(`taking the lease "${key}"`, async () => {
          const token = randomUUID();
          return (await commands.set(leaseKey(key), token, 'PX', leaseMs, 'NX')) === 'OK' ? token : null;
        }),
      release: (key, token) => run(`releasing the lease "${key}"`, async () => Number(await runScript(commands, RELEASE, [leaseKey(key)], [token])) === 1),
    },
    publish(topic, payload) {
      deliver(topic, payload, false);
      commands.publish(channelPrefix + topic, JSON.stringify({ from: nodeId, payload })).catch((error: Error) =>
        onError(new BusError('ATENTO_ERR_REDIS_UNAVAILABLE', `Redis at ${where} is unavailable (${error.message}): "${topic}" did not reach the other nodes`, { cause: error })),
      );
    },
    subscribe<T>(topic: string, schema: z.ZodType<T>, handler: (payload: T) => void) {
      let set = topics.get(topic);
      if (!set) {
        topics.set(topic, (set = new Set()));
        const subscribed = subscriber.subscribe(channelPrefix + topic).then(
          () => {},
          (error: Error) => onError(new BusError('ATENTO_ERR_REDIS_UNAVAILABLE', `subscribing to "${topic}" failed: ${error.message}`, { cause: error })),
        );
        pendingSubscriptions.add(subscribed);
        void subscribed.then(() => pendingSubscriptions.delete(subscribed));
      }
      const subscription: Subscription = { schema, handler: handler as (payload: unknown) => void };
      set.add(subscription);
      return () => {
        set.delete(subscription);
        if (set.size > 0 || topics.get(topic) !== set) return;
        topics.delete(topic);
        subscriber.unsubscribe(channelPrefix + topic).catch(() => {}); // a dropped connection has no subscriptions left anyway
      };
    },
    async ready() {
      await Promise.all(pendingSubscriptions);
    },
    async close() {
      closing = true;
      topics.clear();
      // Best effort: if Redis is away, the presence expires on its own within the TTL.
      await commands.multi().del(nodeKey(nodeId)).zrem(nodesKey, nodeId).exec().catch(() => {});
      subscriber.disconnect();
      await commands.quit().catch(() => commands.disconnect());
    },
  };
}

/**
 * Reports a connection that was working and dropped (once per outage, not once per reconnection
 * attempt), and keeps the latest error: ioredis rejects `connect()` with "Connection is closed", the
 * reason (ECONNREFUSED, WRONGPASS…) comes as an error event.
 */
function watchConnection(client: Redis, role: string, where: string, report: (error: Error) => void): () => string | undefined {
  let last: string | undefined;
  let wasReady = false;
  client.on('ready', () => {
    wasReady = true;
    last = undefined;
  });
  client.on('error', (error: Error) => (last = error.message));
  client.on('close', () => {
    if (!wasReady) return;
    wasReady = false;
    report(new BusError('ATENTO_ERR_REDIS_UNAVAILABLE', `lost the ${role} connection to Redis at ${where}${last ? ` (${last})` : ''}; reconnecting`));
  });
  return () => last;
}


function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
