import crypto from 'node:crypto';
import type { Agent, AgentRole } from '../agents';
import type { AgentStore } from '../types';
import type { Db } from './pool';

interface AgentRow {
  id: string;
  email: string;
  name: string;
  role: AgentRole;
  password_hash: string;
  created_at: string;
}

const normalizedEmail = (email: string) => email.trim().toLowerCase();

/** Agent accounts and their login sessions. Only hashes are stored: of passwords and of session tokens. */
export function agentStore(db: Db, now: () => string): AgentStore {
  const one = async (text: string, params: unknown[]) => {
    const [row] = await db.rows<AgentRow>(text, params);
    return row && toAgent(row);
  };
  return {
    async create(details) {
      const { rows } = await db.write<AgentRow>(
        'INSERT INTO agents (id, email, name, role, password_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *',
        [crypto.randomUUID(), normalizedEmail(details.email), details.name.trim(), details.role, details.passwordHash, now()],
      );
      return toAgent(rows[0]!);
    },
    get: (id) => one('SELECT * FROM agents WHERE id = $1', [id]),
    async credentials(email) {
      const [row] = await db.rows<AgentRow>('SELECT * FROM agents WHERE email = $1', [normalizedEmail(email)]);
      return row && { agent: toAgent(row), passwordHash: row.password_hash };
    },
    async setRole(email, role) {
      return (await db.write('UPDATE agents SET role = $1 WHERE email = $2', [role, normalizedEmail(email)])).rowCount === 1;
    },
    async setPassword(email, passwordHash) {
      // The row lock first: a login's session insert (FOR SHARE, below) then waits and sees the new hash, or
      // went first and its session is deleted here.
      return db.transaction(async (client) => {
        const updated = (await client.query('UPDATE agents SET password_hash = $1 WHERE email = $2', [passwordHash, normalizedEmail(email)])).rowCount === 1;
        await client.query('DELETE FROM agent_sessions WHERE agent_id = (SELECT id FROM agents WHERE email = $1)', [normalizedEmail(email)]);
        return updated;
      });
    },
    async list() {
      return (await db.rows<AgentRow>('SELECT * FROM agents ORDER BY name')).map(toAgent);
    },
    async createSession(tokenHash, agentId, expiresAt, passwordHash) {
      const at = now();
      return db.transaction(async (client) => {
        await client.query('DELETE FROM agent_sessions WHERE expires_at <= $1', [at]);
        const { rows } = await client.query('SELECT id FROM agents WHERE id = $1 AND password_hash = $2 FOR SHARE', [agentId, passwordHash]);
        if (rows.length === 0) return false;
        await client.query('INSERT INTO agent_sessions (token_hash, agent_id, created_at, expires_at) VALUES ($1, $2, $3, $4)', [tokenHash, agentId, at, expiresAt]);
        return true;
      });
    },
    sessionAgent: (tokenHash) =>
      one('SELECT agents.* FROM agent_sessions JOIN agents ON agents.id = agent_sessions.agent_id WHERE token_hash = $1 AND expires_at > $2', [tokenHash, now()]),
    async deleteSession(tokenHash) {
      await db.write('DELETE FROM agent_sessions WHERE token_hash = $1', [tokenHash]);
    },
  };
}

function toAgent(row: AgentRow): Agent {
  return { id: row.id, email: row.email, name: row.name, role: row.role, createdAt: row.created_at };
}
