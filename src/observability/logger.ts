import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * The server's one logger: a JSON object per line on stdout (pino), at the configured level. Nothing
 * personal at info: no message text, e-mail, password, token or cookie; those fields are redacted
 * wherever they appear, in case a caller passes one by mistake.
 */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'atento' },
      redact: { paths: ['text', 'email', 'password', 'token', 'cookie', '*.text', '*.email', '*.password', '*.token', '*.cookie'], censor: '[redacted]' },
    },
    destination,
  );
}

/** For apps built without one (tests, the CLI): logs nothing. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
