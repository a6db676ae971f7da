export { hashPassword, verifyPassword, generatePassword, DUMMY_HASH, DISABLED_PASSWORD } from './password';
export {
  SESSION_COOKIE,
  SESSION_PATH,
  SESSION_HOURS,
  startSession,
  sessionAgent,
  endSession,
  sessionCookie,
  clearedSessionCookie,
  readCookie,
} from './sessions';
export { LoginLimiter, throttleDelaySeconds, PAIR_POLICY, ADDRESS_POLICY, type ThrottlePolicy } from './rate-limit';
export { login, type LoginResult } from './login';
export { requireRole, sessionAgentOf } from './require-role';
