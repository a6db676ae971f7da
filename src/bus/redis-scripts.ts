import { createHash } from 'node:crypto';
import type Redis from 'ioredis';

/**
 * The bus's Lua scripts: each runs atomically in Redis, so no other node's command lands between its
 * steps. Time comes from Redis (TIME), not from the nodes, whose clocks may differ.
 */

const NOW_MS = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/** KEYS: nodes sorted set, this node's hash. ARGV: node id, TTL in ms, then agent id / online-since pairs. */
export const ANNOUNCE = `${NOW_MS}
redis.call('DEL', KEYS[2])
if #ARGV > 2 then
  redis.call('HSET', KEYS[2], unpack(ARGV, 3))
  redis.call('PEXPIRE', KEYS[2], ARGV[2])
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
return 1`;

/** KEYS: nodes sorted set (score: when the node's announcement expires). Forgets expired nodes, returns the rest. */
export const LIVE_NODES = `${NOW_MS}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
return redis.call('ZRANGE', KEYS[1], 0, -1)`;

/** KEYS: the counter. ARGV: window in ms. INCR, and the window's expiry set with its first hit. */
export const HIT = `local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`;

/** KEYS: one hash per throttle key. ARGV: time of the failure (ms), forget after (ms). */
export const RECORD_FAILURES = `for _, key in ipairs(KEYS) do
  redis.call('HINCRBY', key, 'failures', 1)
  redis.call('HSET', key, 'last', ARGV[1])
  redis.call('PEXPIRE', key, ARGV[2])
end
return 1`;

/** KEYS: one throttle key's hash. One failure fewer; the key goes with its last failure. */
export const FORGIVE_ONE = `if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local n = redis.call('HINCRBY', KEYS[1], 'failures', -1)
if n <= 0 then redis.call('DEL', KEYS[1]) end
return n`;

/** KEYS: the lease. ARGV: the holder's token. Deletes the lease only if that token still holds it. */
export const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** Runs a script by its SHA1 (EVALSHA), loading it with EVAL the first time Redis does not know it. */
export async function runScript(client: Redis, lua: string, keys: readonly string[], args: ReadonlyArray<string | number>): Promise<unknown> {
  const sha = shaOf(lua);
  try {
    return await client.evalsha(sha, keys.length, ...keys, ...args);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
    return client.eval(lua, keys.length, ...keys, ...args);
  }
}

const shas = new Map<string, string>();
function shaOf(lua: string): string {
  let sha = shas.get(lua);
  if (!sha) shas.set(lua, (sha = createHash('sha1').update(lua).digest('hex')));
  return sha;
}
