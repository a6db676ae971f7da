import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Db } from './database';

/**
 * WAL checkpoints on a worker thread with its own connection, so the event loop neither copies pages back
 * into the database file nor waits for their fsync (in-line, SQLite's auto-checkpoint ran inside a group
 * commit's COMMIT every 1,000 pages: under load, every few commits). A PASSIVE checkpoint never takes the
 * write lock, so the server's writes go on while it runs.
 *
 * The WAL starts over (and stops growing) at the first write after a checkpoint copied all of it. Under
 * sustained load the server commits again before a pass ends, so a pass never copies all of it: past
 * WAL_LIMIT_PAGES the thread stands aside and the server copies the few pages committed since the thread's
 * last pass itself, right after a commit (a short checkpoint: those pages and two fsyncs, a few times a
 * second at full load, instead of every few commits). So the WAL stays under the limit plus what the
 * server writes during one pass. (The file keeps its largest size: journal_size_limit would cut it back
 * each time it starts over, and growing it again slowed commits.)
 */
export interface Checkpointer {
  /** Call after each commit: copies the WAL's tail in-line when the thread asked for it. */
  afterCommit(): void;
  /** Stops the thread; resolves once its connection is closed. */
  stop(): Promise<void>;
}

/** How often the thread looks for new pages once it has caught up (an idle store costs a no-op checkpoint). */
const IDLE_MS = 100;
/** 16,384 pages of 4 KiB, about 64 MiB, before the server copies the tail (SQLite's auto-checkpoint: every 1,000 pages). */
const WAL_LIMIT_PAGES = 16384;
/** A pass that copied no more than this was short: the server commits fewer pages than this meanwhile. */
const SHORT_PASS_PAGES = 1000;
/** Shared flags: [stop the thread, the server should copy the tail]. */
const STOP = 0;
const TAIL_WANTED = 1;

// Plain JavaScript run with `eval`, so it works the same from dist/ and under ts-jest.
const THREAD = `
const { workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const flags = new Int32Array(workerData.flags);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
let lastLog = -1;
let lastCopied = 0;
let askedAt = -1;
while (Atomics.load(flags, ${STOP}) === 0) {
  const [result] = db.pragma('wal_checkpoint(PASSIVE)');
  // Another connection is checkpointing (a CLI command's auto-checkpoint): its pass counts as ours.
  if (result.busy === 1) {
    Atomics.wait(flags, ${STOP}, 0, ${IDLE_MS});
    continue;
  }
  const caughtUp = result.log === result.checkpointed;
  // Pages this pass copied (after the WAL started over, all it holds).
  const copied = result.checkpointed >= lastCopied ? result.checkpointed - lastCopied : result.checkpointed;
  lastCopied = result.checkpointed;
  // Past the limit the WAL has not started over (see above). Leave the server the tail once a pass was
  // short, so the tail is short too (the pages of a few commits); past twice the limit, whatever it is.
  // Once per WAL: right after copying the tail the server starts it over with its next write. Again only
  // if it did not (it grew by another limit).
  if (result.log < askedAt) askedAt = -1;
  const due = askedAt === -1 && result.log >= ${WAL_LIMIT_PAGES} && caughtUp && copied <= ${SHORT_PASS_PAGES};
  const overdue = result.log >= Math.max(${2 * WAL_LIMIT_PAGES}, askedAt + ${WAL_LIMIT_PAGES});
  const tailWanted = due || overdue;
  if (tailWanted) askedAt = result.log;
  Atomics.store(flags, ${TAIL_WANTED}, tailWanted ? 1 : 0);
  // Behind: go again at once. Wait when nothing was new, or while the server copies the tail (it wakes us).
  if (tailWanted || (caughtUp && result.log === lastLog)) Atomics.wait(flags, ${STOP}, 0, ${IDLE_MS});
  lastLog = result.log;
}
db.close();
`;

/** Takes over the checkpoints of `db` (a file, in WAL mode); if the thread fails, `db` checkpoints in-line again. */
export function startCheckpointer(db: Db): Checkpointer {
  const flags = new Int32Array(new SharedArrayBuffer(8));
  db.pragma('wal_autocheckpoint = 0');
  const worker = new Worker(THREAD, {
    eval: true,
    workerData: { driver: require.resolve('better-sqlite3'), file: path.resolve(db.name), flags: flags.buffer },
  });
  // A store left open must not keep the process alive; a thread stopped mid-checkpoint loses nothing.
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.on('error', () => {
    if (db.open) db.pragma('wal_autocheckpoint = 1000');
  });
  return {
    afterCommit() {
      if (Atomics.load(flags, TAIL_WANTED) === 0) return;
      try {
        db.pragma('wal_checkpoint(PASSIVE)');
      } catch {
        // Nothing is lost (the pages stay in the WAL), and this runs in a setImmediate: the thread tries again.
      }
      Atomics.store(flags, TAIL_WANTED, 0);
      Atomics.notify(flags, STOP);
    },
    stop() {
      worker.ref();
      Atomics.store(flags, STOP, 1);
      Atomics.notify(flags, STOP);
      return exited;
    },
  };
}
