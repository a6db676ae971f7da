import { parseArgs } from 'node:util';
import { generatePassword, hashPassword } from '../auth';
import type { Config } from '../config';
import { AGENT_ROLES, type AgentRole } from '../store';
import { describeDatabase, openConfiguredStore } from '../store/open';
import { missingDatabase } from './options';

const USAGE = 'Usage: atento agent add --email E --name N [--role agent|editor|admin]   |   atento agent role --email E --role R   |   atento agent list';
/** Where the accounts are, for messages: the SQLite file, or the PostgreSQL database without its password. */
const databaseName = (config: Config) => Object.values(describeDatabase(config))[0];
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;

interface Output {
  write(text: string): unknown;
}

/**
 * `atento agent add`: creates an agent account and prints its generated password once (only a scrypt
 * hash is stored, so it cannot be shown again). There is no default account or password.
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
  const missing = sub === 'list' || sub === 'role' ? missingDatabase(`atento agent ${sub}`, config) : null;
  if (missing) {
    err.write(`${missing}\n`);
    return 1;
  }
  if (sub === 'list') {
    const store = await openConfiguredStore(config);
    try {
      for (const agent of await store.agents.list()) out.write(`${agent.email}\t${agent.name}\t${agent.role}\n`);
    } finally {
      await store.close();
    }
    return 0;
  }
  if (sub === 'role') return setRole(values, config, out, err);
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
