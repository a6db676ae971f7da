import { parseArgs } from 'node:util';
import { DISABLED_PASSWORD, generatePassword, hashPassword } from '../auth';
import type { Config } from '../config';
import { AGENT_ROLES, type AgentRole } from '../store';
import { describeDatabase, openConfiguredStore } from '../store/open';
import { missingDatabase } from './options';

const USAGE = [
  'Usage: atento agent add --email E --name N [--role agent|editor|admin]',
  '       atento agent role --email E --role R',
  '       atento agent password --email E     (a new password; ends the account\'s sessions)',
  '       atento agent disable --email E      (no more logins; ends its sessions; `password` enables it again)',
  '       atento agent list',
].join('\n');
/** Where the accounts are, for messages: the SQLite file, or the PostgreSQL database without its password. */
const databaseName = (config: Config) => Object.values(describeDatabase(config))[0];
const SUBCOMMANDS = ['add', 'role', 'password', 'disable', 'list'];
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;

interface Output {
  write(text: string): unknown;
}

/**
 * `atento agent add`: creates an agent account and prints its generated password once (only a scrypt
 * hash is stored, so it cannot be shown again). There is no default account or password.
 * `atento agent password|disable`: locks a person out (a lost laptop, someone who left): both end every
 * session of the account; the account stays, so transcripts keep its name.
 * `atento agent list`: accounts, without any secret.
 */
export async function agentCommand(args: string[], config: Config, out: Output = process.stdout, err: Output = process.stderr): Promise<number> {
  const [sub, ...rest] = args;
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({ args: rest, options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' } }, strict: true }).values;
  } catch (error) {
    err.write(`atento agent: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  // Only `add` may create the database: the first admin is made before the server ever starts.
  const missing = sub !== 'add' && SUBCOMMANDS.includes(sub ?? '') ? missingDatabase(`atento agent ${sub}`, config) : null;
  if (missing) {
    err.write(`${missing}\n`);
    return 1;
  }
  if (sub === 'list') {
    const store = await openConfiguredStore(config);
    try {
      for (const agent of await store.agents.list()) {
        const disabled = (await store.agents.credentials(agent.email))?.passwordHash === DISABLED_PASSWORD;
        out.write(`${agent.email}\t${agent.name}\t${agent.role}${disabled ? '\tdisabled' : ''}\n`);
      }
    } finally {
      await store.close();
    }
    return 0;
  }
  if (sub === 'role') return setRole(values, config, out, err);
  if (sub === 'password' || sub === 'disable') return lockOut(sub, values, config, out, err);
  if (sub !== 'add') {
    err.write(`${USAGE}\n`);
    return 2;
  }
  const email = values.email?.trim().toLowerCase() ?? '';
  const name = values.name?.trim() ?? '';
  const role = (values.role ?? 'agent') as AgentRole;
  const problems = [
    !EMAIL.test(email) && '--email must be an e-mail address, e.g. --email ana@tienda.example',
    (!name || name.length > 80) && '--name must be 1–80 characters, e.g. --name "Ana Pérez"',
    !AGENT_ROLES.includes(role) && roleProblem(role),
  ].filter(Boolean);
  if (problems.length > 0) {
    err.write(`atento agent add: ${problems.join('; ')}\n`);
    return 2;
  }

  const store = await openConfiguredStore(config);
  try {
    const agents = store.agents;
    if (await agents.credentials(email)) {
      err.write(`atento agent add: an agent with e-mail ${email} already exists in ${databaseName(config)}\n`);
      return 1;
    }
    const password = generatePassword();
    await agents.create({ email, name, role, passwordHash: hashPassword(password) });
    out.write(
      [
        `Created ${role} ${name} <${email}> in ${databaseName(config)}.`,
        `Password (shown only this once; only a hash is stored): ${password}`,
        'Log in at /agent/login.',
        '',
      ].join('\n'),
    );
    return 0;
  } finally {
    await store.close();
  }
}

function roleProblem(role: string): string {
  return `--role must be one of ${AGENT_ROLES.join(', ')} (admin has everything), not "${role}"`;
}

/** `atento agent role --email E --role R`: changes an account's role; its open sessions get it at once. */
async function setRole(values: Record<string, string | undefined>, config: Config, out: Output, err: Output): Promise<number> {
  const email = values.email?.trim().toLowerCase() ?? '';
  const role = (values.role ?? '') as AgentRole;
  if (!email || !AGENT_ROLES.includes(role)) {
    err.write(`atento agent role: ${!email ? '--email is required' : roleProblem(role)}\n${USAGE}\n`);
    return 2;
  }
  const store = await openConfiguredStore(config);
  try {
    if (!(await store.agents.setRole(email, role))) {
      err.write(`atento agent role: no agent with e-mail ${email} in ${databaseName(config)}\n`);
      return 1;
    }
    out.write(`${email} is now ${role}.\n`);
    return 0;
  } finally {
    await store.close();
  }
}

/** `atento agent password|disable --email E`: a new password shown once, or none that works; either ends the account's sessions. */
async function lockOut(sub: 'password' | 'disable', values: Record<string, string | undefined>, config: Config, out: Output, err: Output): Promise<number> {
  const email = values.email?.trim().toLowerCase() ?? '';
  if (!email) {
    err.write(`atento agent ${sub}: --email is required\n${USAGE}\n`);
    return 2;
  }
  const password = sub === 'password' ? generatePassword() : null;
  const store = await openConfiguredStore(config);
  try {
    if (!(await store.agents.setPassword(email, password ? hashPassword(password) : DISABLED_PASSWORD))) {
      err.write(`atento agent ${sub}: no agent with e-mail ${email} in ${databaseName(config)}\n`);
      return 1;
    }
    const ended = 'Every session of the account has ended; an open console closes within 30 seconds.';
    out.write(
      password
        ? `New password for ${email} (shown only this once): ${password}\n${ended}\n`
        : `${email} is disabled: no password logs in any more. ${ended}\nTo let them in again: atento agent password --email ${email}\n`,
    );
    return 0;
  } finally {
    await store.close();
  }
}
