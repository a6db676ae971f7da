import fs from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadConfig, parseConfig, type Config } from '../config';
import { isLang, type Lang } from '../knowledge';

export class UsageError extends Error {}

const COMMON = {
  knowledge: { type: 'string' },
  intents: { type: 'string' },
} as const;

/** Parses a command's flags plus the common --knowledge/--intents, and the configuration they adjust. */
export function parseCommand<T extends NonNullable<ParseArgsConfig['options']>>(command: string, args: string[], options: T) {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { ...COMMON, ...options }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`atento ${command}: ${(error as Error).message}`);
  }
  const values = parsed.values as Record<string, unknown>;
  const base = loadConfig();
  const config: Config = parseConfig({
    ...base,
    knowledgeDir: (values.knowledge as string | undefined) ?? base.knowledgeDir,
    intentsDir: (values.intents as string | undefined) ?? base.intentsDir,
  });
  return { values, positionals: parsed.positionals, config };
}

export function parseLang(command: string, value: unknown): Lang | undefined {
  if (value === undefined) return undefined;
  if (!isLang(value)) throw new UsageError(`atento ${command}: --lang must be "es" or "en", not "${String(value)}"`);
  return value;
}

/**
 * Why a command that reads the server's data cannot run here, or null. Run from another folder, or
 * without the server's ATENTO_DATA_DIR / ATENTO_CONFIG, it would quietly open (or create) another database.
 */
export function missingDatabase(command: string, config: Config): string | null {
  if (config.databaseUrl || fs.existsSync(config.databaseFile)) return null;
  return `${command}: no database at ${config.databaseFile} yet: start the server (npm start) first, or run this where the server runs, with its ATENTO_DATA_DIR or ATENTO_CONFIG`;
}
