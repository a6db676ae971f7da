import crypto from 'node:crypto';
import type { VerifiedShopper } from '../store';

/** What the widget forwards from the shop's script tag (data-user-id, -email, -name, -hash). */
export interface ClaimedShopper {
  id: string;
  email?: string;
  name?: string;
  hash: string;
}

/**
 * Identity verification as the shop's page vouches for it: `hash` must be the hex HMAC-SHA256 of the
 * user id keyed with the secret only the shop's server and Atento know. Without the secret nothing is
 * trusted. Returns the shopper, or 'invalid' for a claim that does not verify.
 */
export function verifyShopper(secret: string, claim: ClaimedShopper): VerifiedShopper | 'invalid' {
  const expected = crypto.createHmac('sha256', secret).update(claim.id).digest();
  const given = Buffer.from(claim.hash, 'hex');
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return 'invalid';
  return { id: claim.id, ...(claim.name && { name: claim.name }), ...(claim.email && { email: claim.email.toLowerCase() }) };
}

/** What a shop's server computes for its page (also used by the demo page and the tests). */
export function shopperHash(secret: string, userId: string): string {
  return crypto.createHmac('sha256', secret).update(userId).digest('hex');
}
