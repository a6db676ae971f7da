import type { Agent, AgentStore } from '../store';
import { DUMMY_HASH, verifyPassword } from './password';
import type { LoginLimiter } from './rate-limit';
import { startSession } from './sessions';

export type LoginResult =
  | { ok: true; agent: Agent; token: string; expiresAt: Date }
  | { ok: false; error: 'invalid_credentials' }
  | { ok: false; error: 'rate_limited'; retryAfterSeconds: number };

/** Checks e-mail and password, throttled per (e-mail, address) pair and per address; starts a session. */
export async function login(
  deps: { agents: AgentStore; limiter: LoginLimiter; now: () => Date },
  attempt: { email: string; password: string; clientAddress: string },
): Promise<LoginResult> {
  const email = attempt.email.trim().toLowerCase();
  const address = attempt.clientAddress;
  // Counted as a failure before the (asynchronous) check, so guesses sent all at once meet the limit too.
  const retryAfterSeconds = await deps.limiter.admit(email, address);
  if (retryAfterSeconds > 0) return { ok: false, error: 'rate_limited', retryAfterSeconds };
  const account = await deps.agents.credentials(email);
  // Verify even for an unknown e-mail, so response time does not reveal which accounts exist.
  const valid = (await verifyPassword(attempt.password, account?.passwordHash ?? DUMMY_HASH)) && account !== undefined;
  if (!valid) return { ok: false, error: 'invalid_credentials' };
  await deps.limiter.recordSuccess(email, address);
  const session = await startSession(deps.agents, account.agent.id, deps.now(), account.passwordHash);
  if (!session) return { ok: false, error: 'invalid_credentials' };
  return { ok: true, agent: account.agent, ...session };
}
