import type { IncomingMessage } from 'node:http';

/**
 * Whether a browser page at `Origin` may open a socket: the server's own origin always may, others
 * only when listed in config.allowedOrigins ("*" allows any). A missing Origin means a non-browser
 * client, which cannot be tricked into riding a shopper's session, so it is allowed.
 */
export function isOriginAllowed(request: IncomingMessage, allowedOrigins: readonly string[]): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  if (allowedOrigins.includes('*') || allowedOrigins.includes(origin)) return true;
  const host = request.headers.host;
  return host !== undefined && (origin === `http://${host}` || origin === `https://${host}`);
}
