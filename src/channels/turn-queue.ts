/**
 * The bounded queue of pending turns. Reading a frame is cheap and a turn is not, so frames only enqueue
 * their turn and the queue runs turns in slices of at most SLICE_MS, yielding to the event loop between
 * slices: reading keeps up under overload, the queue is the server's real backlog, and a new turn is
 * refused (the caller answers `busy`) when `maxPending` turns are pending (memory), or when a newcomer
 * would wait over `maxWaitMs`: the oldest queued turn has waited that long, or the queue is longer than
 * the turns the server completes in that time (Little's law, with the rate measured while busy, so the
 * bound holds whatever the machine's speed and whatever else the event loop is doing). Without it the
 * backlog hides in socket buffers, where nothing can refuse it and memory grows.
 */

/**
 * A slice lasts at least this long, amortizing a commit over many turns, and at least as long as the
 * event loop spent elsewhere since the last slice: reading and shedding a flood of frames must not
 * starve the turns already admitted (each gets half the loop or more while there is a backlog).
 */
const SLICE_MS = 10;
/** Turns run side by side in a slice, so one turn waiting on real I/O does not stall the others. */
const WORKERS = 8;
/** Busy time over which the completion rate is measured before it is updated. */
const RATE_WINDOW_MS = 250;
/**
 * Bounds of the wait a refused caller is told to keep (`retryAfterMs`): under a second the retries of a
 * flood are most of the server's work; over half a minute the shopper thinks the chat is broken.
 */
export const RETRY_FLOOR_MS = 1000;
export const RETRY_CAP_MS = 30_000;

export interface TurnQueue {
  /** Whether a new turn must be refused: too many pending, or the oldest has waited too long. */
  full(): boolean;
  /**
   * Queues a turn (callers check `full` first; the bound is theirs to enforce, with their own error).
   * With `ready`, the turn runs once it settles (its message being understood on the engine thread), and
   * the turns behind it wait: they run in the order they came. It counts as pending, and waiting, meanwhile.
   */
  push(turn: () => Promise<void>, ready?: Promise<unknown>): void;
  /** Turns queued or running. */
  pending(): number;
  /** How long a refused caller should wait: the pending turns at the measured rate, within the floor and cap. */
  retryAfterMs(): number;
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
  const queued: Array<{ turn: () => Promise<void>; at: number; ready: boolean }> = [];
  const headReady = () => queued.length > 0 && queued[0]!.ready;
  let running = 0;
  let scheduled = false;
  const idleWaiters: Array<() => void> = [];
  let lastSliceEnd = performance.now();
  /** Turns completed per millisecond of busy time (0: not measured yet), and the window being measured. */
  let rate = 0;
  let windowTurns = 0;
  let windowBusyMs = 0;
  let busySince: number | null = null;

  /** Counts busy time up to now; every RATE_WINDOW_MS of it, folds the window into the rate. */
  const measure = (now: number) => {
    if (busySince !== null) windowBusyMs += now - busySince;
    busySince = queued.length + running > 0 ? now : null;
    if (windowBusyMs < RATE_WINDOW_MS) return;
    const measured = windowTurns / windowBusyMs;
    rate = rate === 0 ? measured : (rate + measured) / 2;
    windowTurns = 0;
    windowBusyMs = 0;
  };

  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(runSlice);
  };

  function runSlice(): void {
    scheduled = false;
    beforeSlice();
    const started = performance.now();
    measure(started);
    const deadline = started + Math.max(SLICE_MS, started - lastSliceEnd);
    const workers = Math.min(WORKERS, queued.length);
    for (let i = 0; i < workers; i++) void work(deadline);
  }

  async function work(deadline: number): Promise<void> {
    while (headReady() && performance.now() < deadline) {
      const { turn } = queued.shift()!;
      running += 1;
      try {
        await turn();
      } catch {
        // The caller's turn reports its own failures; a rejection here must not stop the queue.
      } finally {
        running -= 1;
        windowTurns += 1;
      }
    }
    lastSliceEnd = performance.now();
    // A head still being understood schedules the next slice when it is ready.
    if (headReady()) return schedule();
    if (queued.length > 0 || running > 0) return;
    measure(lastSliceEnd);
    for (const resolve of idleWaiters.splice(0)) resolve();
  }

  return {
    full() {
      if (queued.length + running >= maxPending) return true;
      if (queued.length === 0) return false;
      return performance.now() - queued[0]!.at > maxWaitMs || (rate > 0 && queued.length / rate > maxWaitMs);
    },
    push(turn, ready) {
      const now = performance.now();
      if (queued.length + running === 0) busySince = now;
      const entry = { turn, at: now, ready: ready === undefined };
      queued.push(entry);
      if (ready) {
        const settled = () => {
          entry.ready = true;
          if (queued[0] === entry) schedule();
        };
        ready.then(settled, settled);
        return;
      }
      if (!headReady()) return;
      // A long read of many sockets (a flood) would keep turns waiting till it ends: once the oldest has
      // waited a slice, a slice runs right after this frame, between two sockets' reads.
      if (now - queued[0]!.at > SLICE_MS) runSlice();
      else schedule();
    },
    pending: () => queued.length + running,
    retryAfterMs() {
      const drainMs = rate > 0 ? (queued.length + running) / rate : 0;
      return Math.round(Math.min(RETRY_CAP_MS, Math.max(RETRY_FLOOR_MS, drainMs)));
    },
    idle() {
      if (queued.length + running === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
  };
}
