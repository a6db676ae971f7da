import crypto from 'node:crypto';
import type { Agent, AgentStore } from '../store';

export const SESSION_COOKIE = 'atento_agent';
/** The cookie is sent only to /agent routes (console, login, socket). */
export const SESSION_PATH = '/agent';
export const SESSION_HOURS = 12;

/** The cookie carries a random token; the database keeps only its sha256, so logout really ends it. */
export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

/** Null when the password the login checked (`passwordHash`) was changed or disabled in the meantime. */
export async function startSession(agents: AgentStore, agentId: string, now: Date, passwordHash: string): Promise<{ token: string; expiresAt: Date } | null> {
  const token = crypto.randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3600_000);
  return (await agents.createSession(hashToken(token), agentId, expiresAt.toISOString(), passwordHash)) ? { token, expiresAt } : null;
}

export async function sessionAgent(agents: AgentStore, cookieHeader: string | undefined): Promise<Agent | undefined> {
  const token = readCookie(cookieHeader, SESSION_COOKIE);
  return token ? agents.sessionAgent(hashToken(token)) : undefined;
}

export async function endSession(agents: AgentStore, cookieHeader: string | undefined): Promise<void> {
  const token = readCookie(cookieHeader, SESSION_COOKIE);
  if (token) await agents.deleteSession(hashToken(token));
}

export function sessionCookie(token: string, expiresAt: Date, secure: boolean): string {
  return [
    `${SESSION_COOKIE}=${token}`,
    `Path=${SESSION_PATH}`,
    `Expires=${expiresAt.toUTCString()}`,
    'HttpOnly',
    'SameSite=Strict',
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=${SESSION_PATH}; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Strict`;
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
