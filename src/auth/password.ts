import crypto from 'node:crypto';

/** scrypt cost: N = 2^15 takes ~50–100 ms and 32 MiB here; enough to make guessing slow, fine for a login. */
const N = 32768;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
const MAX_MEMORY = 64 * 1024 * 1024;

/** "scrypt$N$r$p$salt$hash" (base64url), so the cost can be raised later without breaking old hashes. */
export function hashPassword(password: string): string {
  const salt = crypto.randomBytes(16);
  const hash = crypto.scryptSync(password.normalize('NFKC'), salt, KEY_LENGTH, { N, r: R, p: P, maxmem: MAX_MEMORY });
  return ['scrypt', N, R, P, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

/** Stored instead of a hash by `atento agent disable`: no password matches it. */
export const DISABLED_PASSWORD = 'disabled';

/** Asynchronous: scrypt runs on libuv's thread pool, so a login does not stall every open socket. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  // As slow as a real check, so a guesser cannot tell a disabled account from a wrong password.
  if (stored === DISABLED_PASSWORD) return verifyPassword(password, DUMMY_HASH).then(() => false);
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const options = { N: Number(n), r: Number(r), p: Number(p), maxmem: MAX_MEMORY };
  const actual = await new Promise<Buffer>((resolve, reject) =>
    crypto.scrypt(password.normalize('NFKC'), Buffer.from(salt, 'base64url'), expected.length, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
  return crypto.timingSafeEqual(actual, expected);
}

/** A password shown once by `atento agent add`: 18 random bytes, about 144 bits. */
export function generatePassword(): string {
  return crypto.randomBytes(18).toString('base64url');
}

/** A hash of a random password: compared against when the e-mail is unknown, so timing does not tell. */
export const DUMMY_HASH = hashPassword(crypto.randomBytes(16).toString('hex'));
