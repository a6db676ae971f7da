import { parseArgs } from 'node:util';
import type { Config } from '../config';
import type { ShopperKey } from '../store';
import { openConfiguredStore } from '../store/open';
import { whatsappNumber } from '../channels/providers/addresses';
import { missingDatabase } from './options';

const USAGE =
  'Usage: atento shopper export --email E   |   atento shopper forget --email E   (--whatsapp +5215512345678 or --messenger PAGE_SCOPED_ID instead of --email)';

interface Output {
  write(text: string): unknown;
}

/**
 * `atento shopper export`: everything stored about a shopper, as JSON (docs/cli.md).
 * `atento shopper forget`: deletes it all, and says what without repeating the e-mail.
 */
export async function shopperCommand(args: string[], config: Config, out: Output = process.stdout, err: Output = process.stderr): Promise<number> {
  const [sub, ...rest] = args;
  let key: ShopperKey | null;
  try {
    const { values } = parseArgs({ args: rest, options: { email: { type: 'string' }, whatsapp: { type: 'string' }, messenger: { type: 'string' } }, strict: true });
    key = shopperKey(values);
  } catch (error) {
    err.write(`atento shopper: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if ((sub !== 'export' && sub !== 'forget') || !key) {
    err.write(`${USAGE}\n`);
    return 2;
  }
  // Elsewhere it would open an empty database and report an erasure that erased nothing.
  const missing = missingDatabase(`atento shopper ${sub}`, config);
  if (missing) {
    err.write(`${missing}\n`);
    return 1;
  }
  const store = await openConfiguredStore(config);
  try {
    const shoppers = store.shoppers;
    if (sub === 'export') {
      out.write(`${JSON.stringify(await shoppers.export(key), null, 2)}\n`);
      return 0;
    }
    const result = await shoppers.forget(key);
    out.write(`forgot ${result.conversations} conversations, ${result.messages} messages, ${result.tickets} tickets for shopper ${result.shopper}\n`);
    return 0;
  } finally {
    await store.close();
  }
}

/** Exactly one of --email, --whatsapp, --messenger, well-formed; null otherwise. */
function shopperKey(values: { email?: string; whatsapp?: string; messenger?: string }): ShopperKey | null {
  const given = [values.email, values.whatsapp, values.messenger].filter((value) => value !== undefined);
  if (given.length !== 1) return null;
  if (values.email !== undefined) return values.email.includes('@') ? values.email.trim() : null;
  if (values.whatsapp !== undefined) {
    const number = whatsappNumber(values.whatsapp);
    return number ? { channel: 'whatsapp', user: number } : null;
  }
  const id = values.messenger!.trim();
  return /^\d{1,32}$/.test(id) ? { channel: 'messenger', user: id } : null;
}
