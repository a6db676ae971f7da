/** Stable codes for the bus's failures, so logs and tests can tell them apart. */
export type BusErrorCode =
  /** Start-up could not connect to Redis in time. */
  | 'ATENTO_ERR_REDIS_UNREACHABLE'
  /** A command failed because Redis is down or the connection dropped; the caller decides what to do. */
  | 'ATENTO_ERR_REDIS_UNAVAILABLE'
  /**
   * What was read from Redis is not what Atento writes there: a fan-out message that is not JSON or does
   * not match its topic's schema (dropped), a counter that is not a number.
   */
  | 'ATENTO_ERR_BUS_DATA';

export class BusError extends Error {
  constructor(
    readonly code: BusErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'BusError';
  }
}
