import type { IncomingMessage } from 'node:http';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * The shopper's network address, for per-address limits. Atento listens on 127.0.0.1 by default,
 * behind a reverse proxy on the same machine: then every connection comes from loopback and the
 * real address is the last one the proxy appended to X-Forwarded-For. From any other peer the
 * header is ignored, because a client could write anything in it.
 */
export function clientAddress(request: IncomingMessage): string {
  const peer = request.socket.remoteAddress ?? 'unknown';
  const forwarded = request.headers['x-forwarded-for'];
  if (!isLoopback(peer) || typeof forwarded !== 'string') return peer;
  const last = forwarded.split(',').at(-1)?.trim();
  return last ? last : peer;
}

/** Whether a peer address is this machine (where the documented reverse proxy runs). */
export function isLoopback(address: string | undefined): boolean {
  return address !== undefined && LOOPBACK.has(address);
}
