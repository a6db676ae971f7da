import { generatePassword, hashPassword, LoginLimiter, readCookie, sessionCookie, verifyPassword } from '../../src/auth';

describe('passwords', () => {
  test('scrypt hashes verify the right password only, and never contain it', async () => {
    const password = generatePassword();
    const hash = hashPassword(password);
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(hash).not.toContain(password);
    expect(await verifyPassword(password, hash)).toBe(true);
    expect(await verifyPassword(`${password}x`, hash)).toBe(false);
    expect(await verifyPassword(password, 'plain-text')).toBe(false);
  });

  test('the same password gets a different salt every time', () => {
    expect(hashPassword('secreto')).not.toBe(hashPassword('secreto'));
  });

  test('generated passwords are long and random', () => {
    const a = generatePassword();
    expect(a.length).toBeGreaterThanOrEqual(24);
    expect(a).not.toBe(generatePassword());
  });
});

describe('login rate limit', () => {
  test('five failures lock the key for the rest of the window; success clears it', () => {
    let now = new Date('2026-01-01T10:00:00Z');
    const limiter = new LoginLimiter(() => now);
    const keys = ['ip:1.2.3.4', 'email:ana@x.example'];
    for (let i = 0; i < 5; i++) {
      expect(limiter.retryAfterSeconds(keys)).toBe(0);
      limiter.recordFailure(keys);
    }
    expect(limiter.retryAfterSeconds(keys)).toBe(900);
    expect(limiter.retryAfterSeconds(['ip:5.6.7.8'])).toBe(0);
    now = new Date('2026-01-01T10:15:01Z');
    expect(limiter.retryAfterSeconds(keys)).toBe(0);
    limiter.recordFailure(keys);
    limiter.recordSuccess(keys);
    expect(limiter.retryAfterSeconds(keys)).toBe(0);
  });

  test('keys whose failures have expired are forgotten once many keys pile up', () => {
    let now = new Date('2026-01-01T10:00:00Z');
    const limiter = new LoginLimiter(() => now, 5, 15 * 60_000, 100);
    for (let i = 0; i < 100; i++) limiter.recordFailure([`email:made-up-${i}@x.example`]);
    expect(limiter.size).toBe(100);
    now = new Date('2026-01-01T10:16:00Z');
    limiter.recordFailure(['email:one-more@x.example']);
    expect(limiter.size).toBe(1);
  });
});

describe('session cookie', () => {
  test('HTTP-only, SameSite=Strict, scoped to /agent; Secure over HTTPS', () => {
    const cookie = sessionCookie('tok', new Date('2026-01-01T00:00:00Z'), true);
    expect(cookie).toBe('atento_agent=tok; Path=/agent; Expires=Thu, 01 Jan 2026 00:00:00 GMT; HttpOnly; SameSite=Strict; Secure');
    expect(sessionCookie('tok', new Date(0), false)).not.toContain('Secure');
  });

  test('reads one cookie among several', () => {
    expect(readCookie('a=1; atento_agent=abc; b=2', 'atento_agent')).toBe('abc');
    expect(readCookie(undefined, 'atento_agent')).toBeUndefined();
  });
});
