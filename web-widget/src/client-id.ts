/**
 * A new `clientMessageId`: the time in base 36, then random. Ids made later sort later, so the server's
 * index of them grows at its end: a group commit writes a few index pages, not one per message (a random
 * id landed on a page of its own). Nine digits of base-36 milliseconds last until the year 5188.
 */
export function newClientMessageId(): string {
  const time = Date.now().toString(36).padStart(9, '0');
  const random = typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
  return `${time}-${random}`;
}
