import { WebSocket } from 'ws';
import type { z } from 'zod';

export type FrameParseResult<Frame> =
  | { ok: true; frame: Frame }
  | { ok: false; code: 'bad_frame' | 'unknown_frame'; message: string; clientMessageId?: string };

/**
 * Parses one client frame against a socket's schema: JSON, an object, a known `type`, then the
 * frame's own fields. The client's message id is echoed in errors so it can match them to what it sent.
 */
export function parseFrame<Frame>(raw: string, types: readonly string[], schema: z.ZodType<Frame>): FrameParseResult<Frame> {
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return { ok: false, code: 'bad_frame', message: 'The frame is not valid JSON.' };
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    return { ok: false, code: 'bad_frame', message: 'A frame must be a JSON object with a "type".' };
  }
  const { type, clientMessageId: id } = data as { type?: unknown; clientMessageId?: unknown };
  const echo = typeof id === 'string' && id.length <= 64 ? { clientMessageId: id } : {};
  if (typeof type !== 'string' || !types.includes(type)) {
    return { ok: false, code: 'unknown_frame', message: `Unknown frame type ${JSON.stringify(type)}; expected one of ${types.join(', ')}.`, ...echo };
  }
  const result = schema.safeParse(data);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || type}: ${issue.message}`).join('; ');
    return { ok: false, code: 'bad_frame', message: `Invalid "${type}" frame: ${problems}`, ...echo };
  }
  return { ok: true, frame: result.data };
}

/** WebSocket close code 1012, "service restart": the client reconnects (the widget and the console do, with back-off). */
export const SERVICE_RESTART = 1012;

/**
 * What a socket hears when the group commit behind a frame for it failed (disk full, I/O error: its writes
 * were rolled back): it is closed, so the client reconnects, is shown what is stored, and sends again what
 * was not acknowledged. No single frame could stand in: a lost `welcome`, `ack`, `ok` or refusal each
 * leaves the client waiting for an answer that will not come.
 */
export function closeAfterLostWrite(ws: WebSocket): void {
  if (ws.readyState === WebSocket.OPEN) ws.close(SERVICE_RESTART, 'a write was lost; reconnect');
}
