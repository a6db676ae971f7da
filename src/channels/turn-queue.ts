/**
 * The bounded queue of pending turns. Reading a frame is cheap and a turn is not, so frames only enqueue
 * their turn and the queue runs turns in slices of at most SLICE_MS, yielding to the event loop between
 * slices: reading keeps up under overload, the queue is the server's real backlog, and a new turn is
 * refused (the caller answers `busy`) when `maxPending` turns are pending (memory) or the oldest queued
 * one has waited `maxWaitMs` (latency: the bound that holds whatever the machine's speed). Without it
 * the backlog hides in socket buffers, where nothing can refuse it and memory grows.
 */

/**
 * A slice lasts at least this long, amortizing a commit over many turns, and at least as long as the
 * event loop spent elsewhere since the last slice: reading and shedding a flood of frames must not
 * starve the turns already admitted (each gets half the loop or more while there is a backlog).
 */
const SLICE_MS = 10;
/** Turns run side by side in a slice, so one turn waiting on real I/O does not stall the others. */
const WORKERS = 8;

export interface TurnQueue {
  /** Whether a new turn must be refused: too many pending, or the oldest has waited too long. */
  full(): boolean;
  /** Queues a turn (callers check `full` first; the bound is theirs to enforce, with their own error). */
  push(turn: () => Promise<void>): void;
  /** Turns queued or running. */
  pending(): number;
  /** Resolves once no turn is queued or running. */
  idle(): Promise<void>;
}

export interface TurnQueueOptions {
  maxPending: number;
  maxWaitMs: number;
  /** Runs before each slice (the gateway opens a group commit there). */
  beforeSlice: () => void;
}

export function createTurnQueue({ maxPending, maxWaitMs, beforeSlice }: TurnQueueOptions): TurnQueue {
  const queued: Array<{ turn: () => Promise<void>; at: number }> = [];
  let running = 0;
  let scheduled = false;
  const idleWaiters: Array<() => void> = [];
  let lastSliceEnd = performance.now();

  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(runSlice);
  };

  function runSlice(): void {
    scheduled = false;
    beforeSlice();
    const started = performance.now();
    const deadline = started + Math.max(SLICE_MS, started - lastSliceEnd);
    const workers = Math.min(WORKERS, queued.length);
    for (let i = 0; i < workers; i++) void work(deadline);
  }

  async function work(deadline: number): Promise<void> {
    while (queued.length > 0 && performance.now() < deadline) {
      const { turn } = queued.shift()!;
      running += 1;
      try {
        await turn();
      } catch {
        // The caller's turn reports its own failures; a rejection here must not stop the queue.
      } finally {
        running -= 1;
      }
    }
    lastSliceEnd = performance.now();
    if (queued.length > 0) schedule();
    else if (running === 0) for (const resolve of idleWaiters.splice(0)) resolve();
  }

  return {
    full: () => queued.length + running >= maxPending || (queued.length > 0 && performance.now() - queued[0]!.at > maxWaitMs),
    push(turn) {
      queued.push({ turn, at: performance.now() });
      schedule();
    },
    pending: () => queued.length + running,
    idle() {
      if (queued.length + running === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
  };
}
