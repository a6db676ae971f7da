import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export { verifyShopper, shopperHash, type ClaimedShopper } from './identity';

/**
 * Shopper session tokens: `<payload>.<signature>`, both base64url, signed with HMAC-SHA256.
 * Only a token the server issued identifies a conversation; ids sent by a client are never trusted.
 */

const TOKEN_VERSION = 1;
/** A shopper who comes back within this time resumes the same conversation. */
export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;
const SECRET_FILE = 'session-secret';
const SECRET_BYTES = 48;

export interface SessionClaims {
  conversationId: string;
  /** Issued at, in seconds since the epoch. */
  issuedAt: number;
}

export interface SessionSigner {
  issue(conversationId: string, now?: number): string;
  /** The claims of a genuine, unexpired token, or null. */
  verify(token: string, now?: number): SessionClaims | null;
}

export function createSessionSigner(secret: string | Buffer): SessionSigner {
  const sign = (payload: string) => crypto.createHmac('sha256', secret).update(payload).digest('base64url');
  return {
    issue(conversationId, now = Date.now()) {
      const payload = Buffer.from(JSON.stringify({ v: TOKEN_VERSION, c: conversationId, t: Math.floor(now / 1000) })).toString('base64url');
      return `${payload}.${sign(payload)}`;
    },
    verify(token, now = Date.now()) {
      const [payload, signature, extra] = token.split('.');
      if (!payload || !signature || extra !== undefined) return null;
      const expected = Buffer.from(sign(payload));
      const given = Buffer.from(signature);
      if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return null;
      let claims: unknown;
      try {
        claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      } catch {
        return null;
      }
      if (!isClaims(claims)) return null;
      if (now / 1000 - claims.t > SESSION_MAX_AGE_SECONDS) return null;
      return { conversationId: claims.c, issuedAt: claims.t };
    },
  };
}

function isClaims(value: unknown): value is { v: number; c: string; t: number } {
  if (!value || typeof value !== 'object') return false;
  const claims = value as Record<string, unknown>;
  return claims.v === TOKEN_VERSION && typeof claims.c === 'string' && typeof claims.t === 'number';
}

/**
 * The configured secret, or the one kept in <dataDir>/session-secret, created on first start
 * (mode 0600) so that sessions survive restarts without anyone having to choose a password.
 */
export function loadSessionSecret(configured: string | undefined, dataDir: string): string {
  if (configured) return configured;
  const file = path.join(dataDir, SECRET_FILE);
  try {
    const existing = fs.readFileSync(file, 'utf8').trim();
    if (existing.length >= 32) return existing;
    throw new Error(`${file}: the session secret is shorter than 32 characters; delete the file to generate a new one`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const secret = crypto.randomBytes(SECRET_BYTES).toString('base64url');
  // 'wx': never overwrite a secret another process just wrote.
  try {
    fs.writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return fs.readFileSync(file, 'utf8').trim();
    throw error;
  }
}
