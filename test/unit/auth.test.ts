import path from 'node:path';
import { generatePassword, hashPassword, LoginLimiter, PAIR_POLICY, readCookie, sessionCookie, throttleDelaySeconds, verifyPassword } from '../../src/auth';
import { openStore } from '../../src/store';
import { tempDataDir } from '../helpers/app';

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

describe('login throttling', () => {
  test('the delay schedule: free tries, then doubling waits, capped', () => {
    const policy = { freeFailures: 3, maxDelaySeconds: 60 };
    expect([0, 1, 2, 3, 4, 5, 6, 8, 9, 40].map((n) => throttleDelaySeconds(n, policy))).toEqual([0, 0, 0, 1, 2, 4, 8, 32, 60, 60]);
  });

  test('a pair waits longer with each failure; another address and another e-mail do not wait; success clears the pair', async () => {
    let now = new Date('2026-01-01T10:00:00Z');
    const store = openStore(path.join(tempDataDir(), 'atento.db'));
    const limiter = new LoginLimiter(store.loginFailures, () => now);
    for (let i = 0; i < PAIR_POLICY.freeFailures; i++) {
      expect(await limiter.retryAfterSeconds('ana@x.example', '1.2.3.4')).toBe(0);
      await limiter.recordFailure('ana@x.example', '1.2.3.4');
    }
    expect(await limiter.retryAfterSeconds('ana@x.example', '1.2.3.4')).toBe(1);
    await limiter.recordFailure('ana@x.example', '1.2.3.4');
    expect(await limiter.retryAfterSeconds('ana@x.example', '1.2.3.4')).toBe(2);
    expect(await limiter.retryAfterSeconds('ana@x.example', '5.6.7.8')).toBe(0);
    expect(await limiter.retryAfterSeconds('beto@x.example', '1.2.3.4')).toBe(0);
    now = new Date('2026-01-01T10:00:02Z');
    expect(await limiter.retryAfterSeconds('ana@x.example', '1.2.3.4')).toBe(0);
    await limiter.recordSuccess('ana@x.example', '1.2.3.4');
    await limiter.recordFailure('ana@x.example', '1.2.3.4');
    expect(await limiter.retryAfterSeconds('ana@x.example', '1.2.3.4')).toBe(0);
    await store.close();
  });

  test('guesses sent all at once meet the limit: each is checked and counted before the next is checked', async () => {
    const now = new Date('2026-01-01T10:00:00Z');
    const store = openStore(path.join(tempDataDir(), 'atento.db'));
    const limiter = new LoginLimiter(store.loginFailures, () => now);
    const waits = await Promise.all(Array.from({ length: PAIR_POLICY.freeFailures + 3 }, () => limiter.admit('ana@x.example', '1.2.3.4')));
    expect(waits.filter((wait) => wait === 0)).toHaveLength(PAIR_POLICY.freeFailures);
    expect(waits.slice(PAIR_POLICY.freeFailures)).toEqual([1, 1, 1]);
    await store.close();
  });

  test('keys quiet for a day are forgotten', async () => {
    let now = new Date('2026-01-01T10:00:00Z');
    const store = openStore(path.join(tempDataDir(), 'atento.db'));
    const table = store.loginFailures;
    const limiter = new LoginLimiter(table, () => now);
    for (let i = 0; i < 50; i++) await limiter.recordFailure(`made-up-${i}@x.example`, '1.2.3.4');
    expect(await table.size()).toBe(51);
    now = new Date('2026-01-02T10:00:01Z');
    await limiter.recordFailure('one-more@x.example', '9.9.9.9');
    expect(await table.size()).toBe(2);
    await store.close();
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
