import { parseArgs } from 'node:util';
import type { Config } from '../config';
import { openDatabase } from '../store';
import { shopperTable } from '../store/shoppers';

const USAGE = 'Usage: atento shopper export --email E   |   atento shopper forget --email E';

interface Output {
  write(text: string): unknown;
}

/**
 * `atento shopper export`: everything stored about a shopper, as JSON (docs/cli.md).
 * `atento shopper forget`: deletes it all, and says what without repeating the e-mail.
 */
export async function shopperCommand(args: string[], config: Config, out: Output = process.stdout, err: Output = process.stderr): Promise<number> {
  const [sub, ...rest] = args;
  let email: string;
  try {
    email = parseArgs({ args: rest, options: { email: { type: 'string' } }, strict: true }).values.email?.trim() ?? '';
  } catch (error) {
    err.write(`atento shopper: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if ((sub !== 'export' && sub !== 'forget') || !email.includes('@')) {
    err.write(`${USAGE}\n`);
    return 2;
  }
  const db = openDatabase(config.databaseFile);
  try {
    const shoppers = shopperTable(db);
    if (sub === 'export') {
      out.write(`${JSON.stringify(shoppers.export(email), null, 2)}\n`);
      return 0;
    }
    const result = shoppers.forget(email);
    out.write(`forgot ${result.conversations} conversations, ${result.messages} messages, ${result.tickets} tickets for shopper ${result.shopper}\n`);
    return 0;
  } finally {
    db.close();
  }
}
