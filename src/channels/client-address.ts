import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';

/** Which peers are the shop's own reverse proxy: loopback always, plus config.trustedProxies. */
export interface ProxyTrust {
  trusts(address: string | undefined): boolean;
}

/** `trustedProxies`: IP addresses or CIDR ranges (validated by the config module). */
export function proxyTrust(trustedProxies: readonly string[] = []): ProxyTrust {
  const list = new BlockList();
  list.addAddress('127.0.0.1', 'ipv4');
  list.addAddress('::1', 'ipv6');
  for (const entry of trustedProxies) {
    const [address, bits] = entry.split('/');
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(bits), family);
  }
  return {
    trusts(address) {
      if (!address) return false;
      // IPv4 peers of a dual-stack socket arrive as ::ffff:a.b.c.d.
      const plain = address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
      const family = isIP(plain);
      return family !== 0 && list.check(plain, family === 6 ? 'ipv6' : 'ipv4');
    },
  };
}

const LOOPBACK_ONLY = proxyTrust();

/**
 * The shopper's network address, for per-address limits. Atento listens on 127.0.0.1 by default,
 * behind a reverse proxy: from a trusted proxy (loopback, or config.trustedProxies when the proxy runs
 * on another host, as in compose.yaml) the real address is the last one the proxy appended to
 * X-Forwarded-For. From any other peer the header is ignored, because a client could write anything in it.
 */
export function clientAddress(request: IncomingMessage, trust: ProxyTrust = LOOPBACK_ONLY): string {
  const peer = request.socket.remoteAddress ?? 'unknown';
  const forwarded = request.headers['x-forwarded-for'];
  if (!trust.trusts(peer) || typeof forwarded !== 'string') return peer;
  const last = forwarded.split(',').at(-1)?.trim();
  return last ? last : peer;
}
