import crypto from 'node:crypto';
import type { Db } from './database';
import type { Migration } from './migrations';

/** Lowest to highest: each role may do what the roles before it may (admin has everything). */
export const AGENT_ROLES = ['agent', 'editor', 'admin'] as const;
export type AgentRole = (typeof AGENT_ROLES)[number];

export function roleAllows(role: AgentRole, needed: AgentRole): boolean {
  return AGENT_ROLES.indexOf(role) >= AGENT_ROLES.indexOf(needed);
}

const OLD_ROLE_CHECK = "CHECK (role IN ('agent', 'admin'))";
const NEW_ROLE_CHECK = "CHECK (role IN ('agent', 'editor', 'admin'))";

/**
 * Appended to MIGRATIONS: allows the `editor` role. SQLite cannot alter a CHECK constraint; rebuilding
 * `agents` would fight the foreign keys of sessions and handoffs, and loosening a CHECK does not change
 * any stored row, which is the case SQLite documents as safe to do by editing the schema text
 * (https://sqlite.org/lang_altertable.html, "writable_schema").
 */
export const ROLES_MIGRATION: Migration = {
  version: 7,
  name: 'agents.role allows editor',
  up(db) {
    db.unsafeMode(true); // better-sqlite3 runs SQLite in defensive mode, which forbids this one schema edit
    db.pragma('writable_schema = ON');
    db.prepare("UPDATE sqlite_schema SET sql = replace(sql, ?, ?) WHERE type = 'table' AND name = 'agents'").run(OLD_ROLE_CHECK, NEW_ROLE_CHECK);
    const schemaVersion = db.pragma('schema_version', { simple: true }) as number;
    db.pragma(`schema_version = ${schemaVersion + 1}`);
    db.pragma('writable_schema = OFF');
    db.unsafeMode(false);
  },
};

export interface Agent {
  id: string;
  email: string;
  name: string;
  role: AgentRole;
  createdAt: string;
}

interface AgentRow {
  id: string;
  email: string;
  name: string;
  role: AgentRole;
  password_hash: string;
  created_at: string;
}

export type AgentTable = ReturnType<typeof agentTable>;

/** Agent accounts and their login sessions. Only hashes are stored: of passwords and of session tokens. */
export function agentTable(db: Db, now: () => string) {
  const insert = db.prepare<[string, string, string, AgentRole, string, string]>(
    'INSERT INTO agents (id, email, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const byId = db.prepare<[string], AgentRow>('SELECT * FROM agents WHERE id = ?');
  const byEmail = db.prepare<[string], AgentRow>('SELECT * FROM agents WHERE email = ?');
  const all = db.prepare<[], AgentRow>('SELECT * FROM agents ORDER BY name');
  const insertSession = db.prepare<[string, string, string, string, string]>(
    'INSERT INTO agent_sessions (token_hash, agent_id, created_at, expires_at) SELECT ?, id, ?, ? FROM agents WHERE id = ? AND password_hash = ?',
  );
  const sessionAgent = db.prepare<[string, string], AgentRow>(
    'SELECT agents.* FROM agent_sessions JOIN agents ON agents.id = agent_sessions.agent_id WHERE token_hash = ? AND expires_at > ?',
  );
  const deleteSession = db.prepare<[string]>('DELETE FROM agent_sessions WHERE token_hash = ?');
  const updateRole = db.prepare<[AgentRole, string]>('UPDATE agents SET role = ? WHERE email = ?');
  const updatePassword = db.prepare<[string, string]>('UPDATE agents SET password_hash = ? WHERE email = ?');
  const deleteSessionsOf = db.prepare<[string]>('DELETE FROM agent_sessions WHERE agent_id = (SELECT id FROM agents WHERE email = ?)');
  const deleteExpired = db.prepare<[string]>('DELETE FROM agent_sessions WHERE expires_at <= ?');

  return {
    /** Throws SqliteError SQLITE_CONSTRAINT_UNIQUE when the e-mail is taken. */
    create(details: { email: string; name: string; role: AgentRole; passwordHash: string }): Agent {
      const id = crypto.randomUUID();
      insert.run(id, details.email.trim().toLowerCase(), details.name.trim(), details.role, details.passwordHash, now());
      return toAgent(byId.get(id)!);
    },
    get(id: string): Agent | undefined {
      const row = byId.get(id);
      return row && toAgent(row);
    },
    /** The account and its password hash, for login only. */
    credentials(email: string): { agent: Agent; passwordHash: string } | undefined {
      const row = byEmail.get(email.trim().toLowerCase());
      return row && { agent: toAgent(row), passwordHash: row.password_hash };
    },
    /** False when no agent has that e-mail. */
    setRole(email: string, role: AgentRole): boolean {
      return updateRole.run(role, email.trim().toLowerCase()).changes === 1;
    },
    setPassword(email: string, passwordHash: string): boolean {
      const normalized = email.trim().toLowerCase();
      return db.transaction(() => {
        deleteSessionsOf.run(normalized);
        return updatePassword.run(passwordHash, normalized).changes === 1;
      })();
    },
    list(): Agent[] {
      return all.all().map(toAgent);
    },
    createSession(tokenHash: string, agentId: string, expiresAt: string, passwordHash: string): boolean {
      deleteExpired.run(now());
      return insertSession.run(tokenHash, now(), expiresAt, agentId, passwordHash).changes === 1;
    },
    sessionAgent(tokenHash: string): Agent | undefined {
      const row = sessionAgent.get(tokenHash, now());
      return row && toAgent(row);
    },
    deleteSession(tokenHash: string): void {
      deleteSession.run(tokenHash);
    },
  };
}

function toAgent(row: AgentRow): Agent {
  return { id: row.id, email: row.email, name: row.name, role: row.role, createdAt: row.created_at };
}
