import crypto from 'node:crypto';
import type { Db } from './database';

export const AGENT_ROLES = ['agent', 'admin'] as const;
export type AgentRole = (typeof AGENT_ROLES)[number];

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
  const insertSession = db.prepare<[string, string, string, string]>(
    'INSERT INTO agent_sessions (token_hash, agent_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
  );
  const sessionAgent = db.prepare<[string, string], AgentRow>(
    'SELECT agents.* FROM agent_sessions JOIN agents ON agents.id = agent_sessions.agent_id WHERE token_hash = ? AND expires_at > ?',
  );
  const deleteSession = db.prepare<[string]>('DELETE FROM agent_sessions WHERE token_hash = ?');
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
    list(): Agent[] {
      return all.all().map(toAgent);
    },
    createSession(tokenHash: string, agentId: string, expiresAt: string): void {
      deleteExpired.run(now());
      insertSession.run(tokenHash, agentId, now(), expiresAt);
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
