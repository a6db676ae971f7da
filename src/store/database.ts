import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './migrations';

export type Db = Database.Database;

const EMPTY_WAL_ATTEMPTS = 10;
const EMPTY_WAL_RETRY_MS = 1000;

/**
 * Copies the write-ahead log into the file and empties it, for an erasure: the log still holds the pages as
 * they were before. Outside a transaction only. Never waits on the event loop: while another connection
 * reads or checkpoints (the checkpointer thread, a CLI command) it tries again a second later, a few times.
 */
export function emptyWriteAheadLog(db: Db, attempts = EMPTY_WAL_ATTEMPTS): void {
  if (!db.open) return;
  const busyTimeout = db.pragma('busy_timeout', { simple: true }) as number;
  let done = false;
  try {
    db.pragma('busy_timeout = 0');
    const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
    done = result?.busy === 0;
  } catch {
    // Locked: tried again below.
  } finally {
    db.pragma(`busy_timeout = ${busyTimeout}`);
  }
  if (!done && attempts > 1) setTimeout(() => emptyWriteAheadLog(db, attempts - 1), EMPTY_WAL_RETRY_MS).unref();
}

/**
 * Opens (creating if needed) the SQLite file in WAL mode and brings its schema up to date. A new file is
 * readable by its owner only (0600; SQLite gives the -wal and -shm files the same mode): it holds every
 * chat and the agents' password hashes, which other users of the machine have no business reading.
 */
export function openDatabase(file: string): Db {
  if (file !== ':memory:') {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true, mode: 0o700 });
    // An empty file is an empty database to SQLite; creating it here is what sets its mode.
    fs.closeSync(fs.openSync(file, 'a', 0o600));
  }
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // A deleted row's bytes are overwritten, not left in free pages: an erased shopper is gone from the file.
  db.pragma('secure_delete = ON');
  // WAL + NORMAL: durable across application crashes, fast; only a power cut can lose the last commits.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

