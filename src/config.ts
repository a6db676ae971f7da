import fs from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { SHOP_COUNTRIES } from './knowledge/shop-values';
import { LOG_LEVELS } from './observability/logger';

/**
 * The one place that reads configuration: environment variables and an optional JSON file,
 * validated once at start-up, with defaults applied, then frozen. Documented in docs/configuration.md.
 */

const weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
const hoursRange = z
  .string()
  // abort: a range that is not "HH:MM-HH:MM" gets one error, not a second about its order too.
  .regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$/, { message: 'use "HH:MM-HH:MM", e.g. "09:00-18:00"', abort: true })
  .refine((range) => range.slice(0, 5) < range.slice(6), 'the opening must come before the closing, e.g. "09:00-18:00"');
/** A special day's hours: "closed", or a range (whose own message says what is wrong with it). */
const specialDayHours = z.string().superRefine((value, context) => {
  if (value === 'closed') return;
  const range = hoursRange.safeParse(value);
  if (range.success) return;
  const message = /^\d/.test(value) ? range.error.issues[0].message : 'use "closed" or "HH:MM-HH:MM", e.g. "09:00-13:00"';
  context.addIssue({ code: 'custom', message });
});

/** What is wrong with a day of the shop's calendar ("2026-12-25"), or null. */
function calendarDateProblem(date: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return 'use "YYYY-MM-DD", e.g. "2026-12-25"';
  const day = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().startsWith(date) ? null : 'not a date of the calendar';
}

const matchingSchema = z
  .object({
    /** At or above: answer. Means the same for any knowledge base (see docs/performance.md). */
    answerThreshold: z.number().min(0).max(1).default(0.5),
    /** Candidates at or above this, close to the best one, become "did you mean…?" choices. */
    clarifyThreshold: z.number().min(0).max(1).default(0.4),
    /** How close (in confidence) a runner-up must be to the best to be offered as a choice. */
    clarifyMargin: z.number().min(0).max(1).default(0.15),
    maxOptions: z.number().int().min(2).max(5).default(3),
  })
  .strict();

const limitsSchema = z
  .object({
    maxMessageChars: z.number().int().min(1).max(100_000).default(2000),
    maxFrameBytes: z.number().int().min(256).max(1_048_576).default(16_384),
    messagesPerMinute: z.number().int().min(1).default(30),
    /** Frames of any kind per shopper socket per minute (feedback and typing included). */
    framesPerMinute: z.number().int().min(1).default(120),
    httpBodyBytes: z.number().int().min(256).default(65_536),
    /** New conversations one network address may start per minute (stops scripted floods of the database). */
    newConversationsPerMinute: z.number().int().min(1).default(20),
    /** Open shopper sockets per conversation (tabs of the same shopper). */
    socketsPerConversation: z.number().int().min(1).max(100).default(10),
    /** Open shopper sockets per network address (said hello or not), so idle sockets cannot pile up. */
    socketsPerAddress: z.number().int().min(1).default(20),
    /** Milliseconds a new shopper socket has to send "hello" before it is closed. */
    helloTimeoutMs: z.number().int().min(100).default(10_000),
    /** Shopper turns queued or running at once; over this a message is refused with `busy` (not stored). */
    maxPendingTurns: z.number().int().min(1).max(100_000).default(2000),
    /**
     * Milliseconds the oldest queued turn may have waited before new messages are refused with `busy`:
     * admitted messages stay quick under overload whatever the machine's speed (docs/performance.md).
     */
    maxTurnWaitMs: z.number().int().min(10).max(60_000).default(60),
  })
  .strict();

const handoffSchema = z
  .object({
    timeZone: z
      .string()
      .refine(isTimeZone, 'not a time zone name; use an IANA name such as "America/Mexico_City"')
      .default('America/Mexico_City'),
    /** Weekly hours when agents answer; a missing day is closed. */
    businessHours: z
      .partialRecord(weekday, hoursRange)
      .default({ mon: '09:00-18:00', tue: '09:00-18:00', wed: '09:00-18:00', thu: '09:00-18:00', fri: '09:00-18:00', sat: '10:00-14:00' }),
    /** Days whose hours differ from the week's (public holidays, short days): "closed" or "HH:MM-HH:MM". */
    specialDays: z
      .record(z.string(), specialDayHours)
      .superRefine((days, context) => {
        // Checked here, not as the record's key type: zod reports a bad key only as "Invalid key in record".
        for (const date of Object.keys(days)) {
          const problem = calendarDateProblem(date);
          if (problem) context.addIssue({ code: 'custom', message: `${date}: ${problem}`, path: [date] });
        }
      })
      .default({}),
    agentCapacity: z.number().int().min(1).max(50).default(3),
    /** Seconds an agent may be disconnected before their chats go back to the queue. */
    reconnectGraceSeconds: z.number().int().min(0).default(60),
    /** Business hours within which a message left with nobody online is answered ("before 11:00 on Monday"). */
    replyWithinBusinessHours: z.number().positive().max(200).default(2),
    /** Optional wording that replaces the computed deadline: "we will reply {replyPromise}". */
    replyPromise: z.object({ es: z.string().min(1), en: z.string().min(1) }).strict().optional(),
    /** Low-confidence turns in a row before the bot offers a person. */
    lowConfidenceStrikes: z.number().int().min(1).default(2),
  })
  .strict();

const metricsSchema = z
  .object({
    /**
     * Unset (the default): no /metrics endpoint. Set: GET /metrics answers Prometheus scrapes that send
     * "Authorization: Bearer <token>", and nothing else.
     */
    token: z.string().min(32, 'must be at least 32 characters (e.g. openssl rand -hex 32)').optional(),
  })
  .strict();

/** A required field of an optional section: its absence names the variable that sets it. */
const required = (variable: string, what: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? `missing: set ${variable} (${what})` : undefined),
});
const apiUrl = (variable: string) =>
  z.url({ protocol: /^https?$/, error: `use the API's base URL, e.g. https://api.example.com (${variable})` }).transform((url) => url.replace(/\/+$/, ''));

/** WhatsApp through Twilio (docs/channels.md). Present only when configured: the channel is off otherwise. */
const whatsappSchema = z
  .object({
    accountSid: z.string(required('ATENTO_WHATSAPP_ACCOUNT_SID', 'your Twilio Account SID, "AC" and 32 hex digits')).regex(/^AC[0-9a-f]{32}$/i, 'a Twilio Account SID is "AC" followed by 32 hex digits'),
    authToken: z.string(required('ATENTO_WHATSAPP_AUTH_TOKEN', 'the Auth Token that signs Twilio\'s webhooks')).min(16, 'too short for a Twilio Auth Token'),
    /** The shop's WhatsApp sender, e.g. "whatsapp:+14155238886". */
    from: z
      .string(required('ATENTO_WHATSAPP_FROM', 'the shop\'s WhatsApp number, e.g. whatsapp:+14155238886'))
      .regex(/^(whatsapp:)?\+\d{6,15}$/, 'use the number in international format, e.g. whatsapp:+14155238886')
      .transform((number) => (number.startsWith('whatsapp:') ? number : `whatsapp:${number}`)),
    /** The public URL Twilio calls (it is part of the signature), e.g. https://chat.shop.example/channels/whatsapp. */
    webhookUrl: z.url({ protocol: /^https?$/, ...required('ATENTO_WHATSAPP_WEBHOOK_URL', 'the public URL of /channels/whatsapp, exactly as entered in Twilio') }),
    apiUrl: apiUrl('ATENTO_WHATSAPP_API_URL').default('https://api.twilio.com'),
  })
  .strict();

/** Facebook Messenger through the Graph API (docs/channels.md). Present only when configured. */
const messengerSchema = z
  .object({
    pageAccessToken: z.string(required('ATENTO_MESSENGER_PAGE_TOKEN', 'the Facebook page\'s access token')).min(10, 'too short for a page access token'),
    appSecret: z.string(required('ATENTO_MESSENGER_APP_SECRET', 'the Facebook app\'s secret, which signs the webhooks')).min(16, 'too short for an app secret'),
    verifyToken: z.string(required('ATENTO_MESSENGER_VERIFY_TOKEN', 'a random string of your choice, also entered in the Facebook app')).min(16, 'use at least 16 random characters'),
    apiUrl: apiUrl('ATENTO_MESSENGER_API_URL').default('https://graph.facebook.com'),
    apiVersion: z.string().regex(/^v\d+\.\d+$/, 'use a Graph API version such as "v21.0"').default('v21.0'),
  })
  .strict();

const configSchema = z
  .object({
    port: z.number({ error: 'a port number from 0 to 65535 (0: any free port)' }).int().min(0).max(65_535).default(3000),
    host: z.string().min(1).default('127.0.0.1'),
    dataDir: z.string().min(1).default('./data'),
    /** Defaults to <dataDir>/atento.db. */
    databaseFile: z.string().min(1).optional(),
    /**
     * postgres://user:password@host:5432/atento: keep the data in PostgreSQL instead of the SQLite file, so
     * several Atento nodes can share it (docs/deployment.md). Unset: SQLite. The password is never logged.
     */
    databaseUrl: z
      .string()
      .refine(isPostgresUrl, 'use postgres://user:password@host:5432/database (or postgresql://…)')
      .optional(),
    knowledgeDir: z.string().min(1).default('./knowledge'),
    intentsDir: z.string().min(1).default('./intents'),
    /** Reload knowledge and intents when their files change. */
    watchKnowledge: z.boolean().default(true),
    defaultLanguage: z.enum(['es', 'en']).default('es'),
    shopName: z.string().min(1).max(80).default('Tienda Demo'),
    /** Whose demo facts (payment methods, tax documents, prices) fill what knowledge/shop.json does not set. */
    shopCountry: z.enum(SHOP_COUNTRIES).default('MX'),
    /** Origins (scheme://host[:port]) whose pages may embed the widget; the server's own origin always may. */
    allowedOrigins: z.array(z.string().regex(/^(\*|https?:\/\/[^/\s]+)$/, { error: (issue) => `"${String(issue.input)}" is not an origin: use the scheme and host only, such as "https://shop.example" (no path, no trailing slash)` })).default([]),
    /**
     * Reverse proxies on other hosts (IP addresses or CIDR ranges) whose X-Forwarded-For and
     * X-Forwarded-Proto are believed; loopback always is. Needed when the proxy is not on this machine.
     */
    trustedProxies: z.array(z.string().refine(isAddressOrRange, 'use an IP address such as "10.0.0.5" or a range such as "10.0.0.0/24"')).default([]),
    /** HMAC secret for shopper sessions; generated and kept in <dataDir> when absent. */
    sessionSecret: z.string().min(32, 'must be at least 32 characters').optional(),
    /** The secret the shop signs its users' ids with (data-user-hash); unset: data-user-* are ignored. */
    identitySecret: z.string().min(32, 'must be at least 32 characters').optional(),
    /**
     * Mark the agent session cookie Secure. Unset: Secure when the request reached the local proxy over
     * HTTPS (X-Forwarded-Proto: https from loopback). Set true when serving HTTPS through a proxy that
     * does not send that header; false only for plain-HTTP testing.
     */
    secureCookies: z.boolean().optional(),
    /** Where ticket replies are sent from: smtp(s)://user:password@host:port. Unset: e-mail is off. */
    smtpUrl: z
      .string()
      .refine((url) => /^smtps?:\/\/[^\s/]+/.test(url), 'use smtp://user:password@host:587 or smtps://user:password@host:465')
      .optional(),
    /** From-address of ticket replies, e.g. "Tienda Demo <ayuda@tienda.example>". */
    smtpFrom: z.string().min(3).max(320).optional(),
    /** Where shoppers' answers to a ticket reply go (your support inbox); default: the from-address. */
    smtpReplyTo: z.email().optional(),
    /**
     * Redis for what crosses nodes (docs/deployment.md, "Redis"): redis://[user:password@]host:port[/db],
     * or rediss:// for TLS. Unset: one node, everything in the process.
     */
    redisUrl: z.string().refine(isRedisUrl, 'use redis://[user:password@]host:6379[/db], or rediss://… for TLS').optional(),
    /**
     * This node is one of several behind a load balancer. Declared, not guessed: a node cannot tell
     * that others serve the same shop, and one that thinks it is alone keeps presence, limits and turn
     * ownership to itself. Start-up refuses it without Redis, PostgreSQL and a session secret of its own.
     */
    cluster: z.boolean().default(false),
    /**
     * Understand shoppers' messages on a thread beside the event loop, so a second core answers them too
     * (src/engine/thread.ts). false: in the event loop, e.g. on a one-core machine.
     */
    engineThread: z.boolean().default(true),
    /** JSON log lines on stdout from this level up; `debug` adds per-socket detail, never message text. */
    logLevel: z.enum(LOG_LEVELS).default('info'),
    metrics: metricsSchema.prefault({}),
    matching: matchingSchema.prefault({}),
    limits: limitsSchema.prefault({}),
    handoff: handoffSchema.prefault({}),
    whatsapp: whatsappSchema.optional(),
    messenger: messengerSchema.optional(),
  })
  .strict()
  .refine((config) => !config.smtpUrl || config.smtpFrom, { message: 'set smtpFrom (ATENTO_SMTP_FROM) too: the address ticket replies come from', path: ['smtpFrom'] })
  .refine((config) => !config.cluster || config.redisUrl, {
    message:
      'cluster is on (ATENTO_CLUSTER: several nodes) but redisUrl is not set: set ATENTO_REDIS_URL=redis://host:6379, through which nodes share events for the sockets, agent presence, rate limits, the login limiter and who answers each message (docs/deployment.md, "Redis")',
    path: ['redisUrl'],
  })
  .refine((config) => !config.cluster || config.databaseUrl, {
    message:
      'cluster is on (ATENTO_CLUSTER: several nodes) but databaseUrl is not set: set ATENTO_DATABASE_URL=postgres://user:password@host:5432/atento on every node (a SQLite file belongs to one machine, and every node must see the same conversations; docs/deployment.md)',
    path: ['databaseUrl'],
  })
  .refine((config) => !config.cluster || config.sessionSecret, {
    message:
      'cluster is on (ATENTO_CLUSTER: several nodes) but sessionSecret is not set: set ATENTO_SESSION_SECRET to the same 32+ random characters on every node (a generated secret lives in one node\'s data folder, and shopper sessions it signs would fail on the others)',
    path: ['sessionSecret'],
  });

function isPostgresUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '';
  } catch {
    return false;
  }
}

export type ConfigInput = z.input<typeof configSchema>;
export type Config = Readonly<z.output<typeof configSchema> & { databaseFile: string }>;
export type MatchingConfig = z.output<typeof matchingSchema>;
export type HandoffConfig = z.output<typeof handoffSchema>;
export type WhatsAppConfig = z.output<typeof whatsappSchema>;
export type MessengerConfig = z.output<typeof messengerSchema>;

export class ConfigError extends Error {
  readonly code = 'ATENTO_ERR_CONFIG';
}

type Section = 'whatsapp' | 'messenger' | 'metrics';

/** Environment variables and the config key each one sets (in `section`, if any). Any other ATENTO_* variable is a mistake. */
const ENV_KEYS: Record<string, { key: string; section?: Section; parse: (raw: string) => unknown }> = {
  PORT: { key: 'port', parse: Number },
  ATENTO_HOST: { key: 'host', parse: String },
  ATENTO_DATA_DIR: { key: 'dataDir', parse: String },
  ATENTO_DB_FILE: { key: 'databaseFile', parse: String },
  ATENTO_DATABASE_URL: { key: 'databaseUrl', parse: String },
  ATENTO_KNOWLEDGE_DIR: { key: 'knowledgeDir', parse: String },
  ATENTO_INTENTS_DIR: { key: 'intentsDir', parse: String },
  ATENTO_WATCH_KNOWLEDGE: { key: 'watchKnowledge', parse: parseBoolean },
  ATENTO_DEFAULT_LANGUAGE: { key: 'defaultLanguage', parse: String },
  ATENTO_SHOP_NAME: { key: 'shopName', parse: String },
  ATENTO_SHOP_COUNTRY: { key: 'shopCountry', parse: (raw) => raw.trim().toUpperCase() },
  ATENTO_ALLOWED_ORIGINS: { key: 'allowedOrigins', parse: (raw) => raw.split(',').map((s) => s.trim()).filter(Boolean) },
  ATENTO_TRUSTED_PROXIES: { key: 'trustedProxies', parse: (raw) => raw.split(',').map((s) => s.trim()).filter(Boolean) },
  ATENTO_SESSION_SECRET: { key: 'sessionSecret', parse: String },
  ATENTO_IDENTITY_SECRET: { key: 'identitySecret', parse: String },
  ATENTO_SECURE_COOKIES: { key: 'secureCookies', parse: parseBoolean },
  ATENTO_SMTP_URL: { key: 'smtpUrl', parse: String },
  ATENTO_SMTP_FROM: { key: 'smtpFrom', parse: String },
  ATENTO_SMTP_REPLY_TO: { key: 'smtpReplyTo', parse: String },
  ATENTO_LOG_LEVEL: { key: 'logLevel', parse: String },
  ATENTO_ENGINE_THREAD: { key: 'engineThread', parse: parseBoolean },
  ATENTO_REDIS_URL: { key: 'redisUrl', parse: String },
  ATENTO_CLUSTER: { key: 'cluster', parse: parseBoolean },
  ATENTO_METRICS_TOKEN: { section: 'metrics', key: 'token', parse: String },
  ATENTO_WHATSAPP_ACCOUNT_SID: { section: 'whatsapp', key: 'accountSid', parse: String },
  ATENTO_WHATSAPP_AUTH_TOKEN: { section: 'whatsapp', key: 'authToken', parse: String },
  ATENTO_WHATSAPP_FROM: { section: 'whatsapp', key: 'from', parse: String },
  ATENTO_WHATSAPP_WEBHOOK_URL: { section: 'whatsapp', key: 'webhookUrl', parse: String },
  ATENTO_WHATSAPP_API_URL: { section: 'whatsapp', key: 'apiUrl', parse: String },
  ATENTO_MESSENGER_PAGE_TOKEN: { section: 'messenger', key: 'pageAccessToken', parse: String },
  ATENTO_MESSENGER_APP_SECRET: { section: 'messenger', key: 'appSecret', parse: String },
  ATENTO_MESSENGER_VERIFY_TOKEN: { section: 'messenger', key: 'verifyToken', parse: String },
  ATENTO_MESSENGER_API_URL: { section: 'messenger', key: 'apiUrl', parse: String },
  ATENTO_MESSENGER_API_VERSION: { section: 'messenger', key: 'apiVersion', parse: String },
};
const CONFIG_FILE_VARIABLE = 'ATENTO_CONFIG';

/**
 * Validates a config object (from tests, or merged from file and environment) and freezes it.
 * `setBy`: the environment variable behind a key ("port" → "PORT"), named in its error.
 */
export function parseConfig(input: ConfigInput = {}, origin = 'config', setBy: ReadonlyMap<string, string> = new Map()): Config {
  const result = configSchema.safeParse(input);
  if (!result.success) {
    // The variable of the key itself or of its enclosing one ("allowedOrigins.0" was set by ATENTO_ALLOWED_ORIGINS).
    const variableOf = (at: readonly PropertyKey[]) => at.map((_, end) => setBy.get(at.slice(0, at.length - end).join('.'))).find((name) => name !== undefined);
    const fromEnvironment = [...new Set(result.error.issues.map((issue) => variableOf(issue.path)).filter((name) => name !== undefined))];
    const hint = fromEnvironment.length > 0 ? `\n(set by the environment variable ${fromEnvironment.join(', ')}: fix or unset it)` : '';
    throw new ConfigError(`atento: invalid ${origin}:\n${z.prettifyError(result.error)}${hint}`);
  }
  const value = result.data;
  const databaseFile = value.databaseFile ?? path.join(value.dataDir, 'atento.db');
  return deepFreeze({ ...value, databaseFile });
}

/** Reads ATENTO_CONFIG (a JSON file) if set, then environment variables on top of it. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const fromFile = env[CONFIG_FILE_VARIABLE] ? readConfigFile(env[CONFIG_FILE_VARIABLE]!) : {};
  const fromEnv: Record<string, unknown> = {};
  const sections: Partial<Record<Section, Record<string, unknown>>> = {};
  const unknown: string[] = [];
  const setBy = new Map<string, string>();
  for (const [name, raw] of Object.entries(env)) {
    if (raw === undefined) continue;
    const spec = ENV_KEYS[name];
    if (spec) setBy.set(spec.section ? `${spec.section}.${spec.key}` : spec.key, name);
    if (spec?.section) (sections[spec.section] ??= {})[spec.key] = spec.parse(raw);
    else if (spec) fromEnv[spec.key] = spec.parse(raw);
    else if (name.startsWith('ATENTO_') && name !== CONFIG_FILE_VARIABLE) unknown.push(name);
  }
  if (unknown.length > 0) {
    const known = [...Object.keys(ENV_KEYS), CONFIG_FILE_VARIABLE];
    const named = unknown.map((name) => {
      const meant = closestName(name, known);
      return meant ? `${name} (did you mean ${meant}?)` : name;
    });
    throw new ConfigError(`atento: unknown environment variable ${named.join(', ')}; known ones are ${known.join(', ')}`);
  }
  // A channel's variables fill in (or override) the fields of that channel's section of the file.
  for (const [section, values] of Object.entries(sections) as Array<[Section, Record<string, unknown>]>) {
    fromEnv[section] = { ...(fromFile[section] as object | undefined), ...values };
  }
  const input = { ...fromFile, ...fromEnv } as ConfigInput;
  // Checked on what the operator wrote: a parsed config carries a derived databaseFile and may be parsed again.
  if (input.databaseUrl && input.databaseFile) {
    throw new ConfigError('atento: set either ATENTO_DATABASE_URL (databaseUrl, PostgreSQL) or ATENTO_DB_FILE (databaseFile, SQLite), not both');
  }
  return parseConfig(input, 'configuration (environment and ATENTO_CONFIG file)', setBy);
}

/** The known name a misspelt one was meant to be: the same letters but for underscores, or two edits away. */
function closestName(name: string, known: readonly string[]): string | undefined {
  const bare = (text: string) => text.replaceAll('_', '');
  return known.find((candidate) => bare(candidate) === bare(name)) ?? known.find((candidate) => editDistance(candidate, name) <= 2);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}

function readConfigFile(file: string): ConfigInput {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`atento: cannot read config file ${file} (ATENTO_CONFIG): ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text) as ConfigInput;
  } catch (error) {
    throw new ConfigError(`atento: config file ${file} is not valid JSON: ${(error as Error).message}${lineAndColumn(text, (error as Error).message)}`);
  }
}

/** JSON.parse names a character position; an editor shows lines and columns. */
function lineAndColumn(text: string, message: string): string {
  const position = /at position (\d+)/.exec(message)?.[1];
  // Node 21 and later say it themselves.
  if (position === undefined || /\(line \d+ column \d+\)/.test(message)) return '';
  const before = text.slice(0, Number(position)).split('\n');
  return ` (line ${before.length}, column ${before.at(-1)!.length + 1})`;
}

function parseBoolean(raw: string): unknown {
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  return raw; // left for the schema to reject with a readable message
}

function isRedisUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'redis:' || parsed.protocol === 'rediss:') && parsed.hostname !== '' && /^(\/\d*)?$/.test(parsed.pathname);
  } catch {
    return false;
  }
}

function isAddressOrRange(entry: string): boolean {
  const [address, bits, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
