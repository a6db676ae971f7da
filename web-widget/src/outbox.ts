/**
 * The shopper's unsettled messages and how they go again after a `busy` wait. Pure (a send callback
 * and timers): the widget's Connection drives it, and so does bench/load.ts, which must behave like
 * the widget without a browser.
 */

export interface OutboxTransport<T> {
  /** Writes one frame to the socket. */
  send(frame: T): void;
  /** Whether the socket is open and greeted: held messages go again only then. */
  isOpen(): boolean;
}

export class Outbox<T extends { clientMessageId: string }> {
  private readonly unsettled = new Map<string, T>();
  /**
   * Set while the server's `busy` wait (retryAfterMs) runs: nothing is sent until it ends, since the
   * server drops this socket's messages meanwhile; then the outbox goes again (see `recovering`).
   */
  private holdTimer: ReturnType<typeof setTimeout> | undefined;
  /**
   * After a wait, the outbox goes one message at a time, each once the one before is settled: a busy
   * server gets one message from this shopper, not everything held, and the order is kept.
   */
  private recovering = false;

  constructor(private readonly transport: OutboxTransport<T>) {}

  get size(): number {
    return this.unsettled.size;
  }

  has(clientMessageId: string): boolean {
    return this.unsettled.has(clientMessageId);
  }

  /** Keeps the frame until it is settled; sends it now unless a wait or a re-send is under way. */
  add(frame: T): void {
    this.unsettled.set(frame.clientMessageId, frame);
    if (this.transport.isOpen() && this.holdTimer === undefined && !this.recovering) this.transport.send(frame);
  }

  /**
   * Acknowledged or refused: the server has decided, so it never goes again. Any settle moves a
   * re-send on, not only the in-flight message's own: waiting for that one alone would stall the
   * outbox until a reconnect if its settle were lost (the price is at most a duplicate send).
   */
  settle(clientMessageId: string): void {
    this.unsettled.delete(clientMessageId);
    if (this.recovering) this.sendNextHeld();
  }

  /** A new socket was greeted: everything unsettled goes again at once (the server de-duplicates). */
  resendAll(): void {
    for (const frame of this.unsettled.values()) this.transport.send(frame);
  }

  /** Shed by the server (or failed on): wait retryAfterMs plus up to half again (so shed shoppers do not all come back at once). */
  holdFor(retryAfterMs: number): void {
    clearTimeout(this.holdTimer);
    this.recovering = false;
    this.holdTimer = setTimeout(() => {
      this.holdTimer = undefined;
      // Offline meanwhile: the reconnect re-sends the whole outbox anyway.
      if (!this.transport.isOpen()) return;
      this.recovering = true;
      this.sendNextHeld();
    }, retryAfterMs * (1 + Math.random() / 2));
  }

  /** The socket closed: a new one starts with no wait. */
  reset(): void {
    clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
    this.recovering = false;
  }

  /** Forgets everything (the bench's end of run). */
  clear(): void {
    this.reset();
    this.unsettled.clear();
  }

  /** The oldest unsettled message goes again; once none is left, messages go out as they are added. */
  private sendNextHeld(): void {
    const next = this.unsettled.values().next();
    if (next.done) this.recovering = false;
    else this.transport.send(next.value);
  }
}
