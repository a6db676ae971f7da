import { ConfigError, loadConfig } from '../config';
import { agentCommand } from './agent';
import { askCommand, chatCommand, classifyCommand } from './ask';
import { kbCommand } from './kb';
import { serveCommand } from './serve';
import { shopperCommand } from './shopper';
import { UsageError } from './options';

/** `atento <command>`: the public contract is documented in docs/cli.md. */
const COMMANDS: Record<string, { run: (args: string[]) => Promise<number>; summary: string }> = {
  ask: { run: askCommand, summary: 'ask "question" [--lang es|en] [--json]   show the decision, answer and candidates' },
  classify: { run: classifyCommand, summary: 'classify [--knowledge DIR] [--intents DIR]   stdin lines → one JSON decision per line' },
  chat: { run: chatCommand, summary: 'chat [--lang es|en]   talk to the bot in the terminal' },
  kb: { run: kbCommand, summary: 'kb check | overlaps | unanswered | gaps [--since DATE] [--limit N]   tools for content editors' },
  agent: { run: (args) => agentCommand(args, loadConfig()), summary: 'agent add --email E --name N [--role agent|editor|admin] | agent role --email E --role R | agent list   console accounts' },
  shopper: { run: (args) => shopperCommand(args, loadConfig()), summary: 'shopper export --email E | shopper forget --email E   a shopper\'s data, as JSON, or erased' },
  serve: { run: serveCommand, summary: 'serve   start the chat server (what `npm start` runs)' },
};

export const USAGE = [
  'Usage: atento <command> [options]',
  '',
  ...Object.values(COMMANDS).map((c) => `  ${c.summary}`),
  '',
  'Every command takes --knowledge DIR and --intents DIR (default ./knowledge, ./intents).',
  'Configuration: environment variables, see docs/configuration.md.',
].join('\n');

export async function main(argv: string[]): Promise<void> {
  const [name, ...args] = argv;
  const command = name ? COMMANDS[name] : undefined;
  if (!command) {
    const wanted = name && !['help', '--help', '-h'].includes(name);
    (wanted ? console.error : console.log)(wanted ? `atento: unknown command "${name}"\n\n${USAGE}` : USAGE);
    process.exitCode = wanted ? 2 : 0;
    return;
  }
  try {
    process.exitCode = await command.run(args);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError) {
      console.error(error.message);
      process.exitCode = 2;
      return;
    }
    throw error;
  }
}
