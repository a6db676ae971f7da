import type { Db } from '../../src/store';

/**
 * Makes the group commit that carries a message containing `word` fail, as a full disk would: a trigger
 * adds a row whose deferred foreign key is checked only at COMMIT, so COMMIT throws and the group rolls
 * back. Returns a function that removes the trap.
 */
export function trapCommitsOfMessagesWith(db: Db, word: string): () => void {
  return trap(db, 'messages', `instr(NEW.text, '${word.replace(/'/g, "''")}') > 0`);
}

/** The same for the group commit that starts a new conversation (a first `hello`). */
export function trapCommitsOfNewConversations(db: Db): () => void {
  return trap(db, 'conversations', '1');
}

function trap(db: Db, table: string, when: string): () => void {
  db.exec(`
    CREATE TABLE commit_trap_parent (id INTEGER PRIMARY KEY);
    CREATE TABLE commit_trap (parent INTEGER REFERENCES commit_trap_parent (id) DEFERRABLE INITIALLY DEFERRED);
    CREATE TRIGGER commit_trap AFTER INSERT ON ${table} WHEN ${when}
    BEGIN INSERT INTO commit_trap (parent) VALUES (1); END;
  `);
  return () => db.exec('DROP TRIGGER commit_trap; DROP TABLE commit_trap; DROP TABLE commit_trap_parent;');
}
