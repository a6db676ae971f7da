import { createLogger, type Logger } from '../../src/observability';

/** A real logger whose JSON lines a test can read back. */
export function capturedLogger(): { logger: Logger; lines: Array<Record<string, unknown> & { msg: string }> } {
  const lines: Array<Record<string, unknown> & { msg: string }> = [];
  const logger = createLogger('debug', { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
}
