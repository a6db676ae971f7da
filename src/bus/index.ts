import type { RedisBusOptions } from './redis';
import type { Bus } from './types';

export type { AgentPresenceBus, Bus, BusOptions, Counters, Leases, LoginFailureCounters, LoginFailures, OnlineAgent } from './types';
export type { RedisBusOptions } from './redis';
export { BusError, type BusErrorCode } from './errors';
export { DEFAULT_PRESENCE_TTL_MS } from './types';
export { createMemoryBus, MemoryHub } from './memory';

/**
 * The Redis bus (src/bus/redis.ts). ioredis is loaded only by a node that uses Redis: one node alone
 * would spend about 95 ms and 18 MB of memory on it for nothing.
 */
export function connectRedisBus(options: RedisBusOptions): Promise<Bus> {
  return (require('./redis') as typeof import('./redis')).connectRedisBus(options);
}
