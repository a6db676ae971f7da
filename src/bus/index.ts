export type { AgentPresenceBus, Bus, BusOptions, Counters, Leases, LoginFailureCounters, LoginFailures, OnlineAgent } from './types';
export { BusError, type BusErrorCode } from './errors';
export { createMemoryBus, MemoryHub } from './memory';
export { connectRedisBus, type RedisBusOptions } from './redis';
