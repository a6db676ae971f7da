import crypto from 'node:crypto';
import type { VerifiedShopper } from '../store';

/** What the widget forwards from the shop's script tag (data-user-id, -email, -name, -hash). */
export interface ClaimedShopper {
  id: string;
  email?: string;
  name?: string;
  hash: string;
}

/** A verified shopper, and whether the page also sent a name or e-mail that the hash does not sign (dropped). */
export interface Verification {
  shopper: VerifiedShopper;
  unsignedDetails: boolean;
}

/**
 * Identity verification as the shop's page vouches for it: `hash` must be the hex HMAC-SHA256, keyed with
 * the secret only the shop's server and Atento know, of what the page claims: the user id, and with a
 * name or e-mail, `id\nemail\nname` (docs/configuration.md). Agents are shown the name and e-mail as the
 * shop's, so a logged-in shopper must not be able to put a neighbour's there by editing the page.
 * A hash of the id alone (pages made before names were signed) still verifies the id; the name and
 * e-mail it does not cover are dropped. Returns 'invalid' for a claim that does not verify.
 */
export function verifyShopper(secret: string, claim: ClaimedShopper): Verification | 'invalid' {
  const given = Buffer.from(claim.hash, 'hex');
  const signs = (text: string) => {
    const expected = crypto.createHmac('sha256', secret).update(text).digest();
    return given.length === expected.length && crypto.timingSafeEqual(given, expected);
  };
  const details = claim.name !== undefined || claim.email !== undefined;
  if (signs(signedText(claim))) {
    return { shopper: { id: claim.id, ...(claim.name !== undefined && { name: claim.name }), ...(claim.email !== undefined && { email: claim.email }) }, unsignedDetails: false };
  }
  if (details && signs(claim.id)) return { shopper: { id: claim.id }, unsignedDetails: true };
  return 'invalid';
}

/** What a shop's server computes for its page (also used by the demo page and the tests). */
export function shopperHash(secret: string, user: { id: string; email?: string; name?: string }): string {
  return crypto.createHmac('sha256', secret).update(signedText(user)).digest('hex');
}

function signedText(user: { id: string; email?: string; name?: string }): string {
  return user.name === undefined && user.email === undefined ? user.id : `${user.id}\n${user.email ?? ''}\n${user.name ?? ''}`;
}
