import { parseArgs } from 'node:util';
import type { Config } from '../config';
import { openDatabase } from '../store';
import { describeForget, shopperData } from '../store/shoppers';

const USAGE = 'Usage: atento shopper export --email E   |   atento shopper forget --email E';

interface Output {
  write(text: string): unknown;
}

/**
 * Privacy requests. `export` prints, as JSON (docs/cli.md), everything stored about the shopper with
 * that e-mail; `forget` deletes it all in one transaction and prints what was deleted, naming the
 * shopper only by a hash so the line can go to a log.
 */
export async function shopperCommand(args: string[], config: Config, out: Output = process.stdout, err: Output = process.stderr): Promise<number> {
  const [sub, ...rest] = args;
  let email = '';
  try {
    email = parseArgs({ args: rest, options: { email: { type: 'string' } }, strict: true }).values.email?.trim() ?? '';
  } catch (error) {
    err.write(`atento shopper: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if ((sub !== 'export' && sub !== 'forget') || !email.includes('@')) {
    err.write(`${sub === 'export' || sub === 'forget' ? 'atento shopper: --email must be the e-mail the shopper gave, e.g. --email rosa@example.com\n' : ''}${USAGE}\n`);
    return 2;
  }
  const db = openDatabase(config.databaseFile);
  try {
    const shoppers = shopperData(db);
    if (sub === 'export') out.write(`${JSON.stringify(shoppers.export(email), null, 2)}\n`);
    else out.write(`${describeForget(email, shoppers.forget(email))}\n`);
    return 0;
  } finally {
    db.close();
  }
}
