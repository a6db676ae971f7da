import type { IncomingMessage } from 'node:http';
import { clientAddress, proxyTrust } from '../../src/channels/client-address';

const request = (peer: string, forwarded?: string) =>
  ({ socket: { remoteAddress: peer }, headers: forwarded ? { 'x-forwarded-for': forwarded } : {} }) as unknown as IncomingMessage;

describe('the shopper address behind a reverse proxy', () => {
  it('believes X-Forwarded-For from loopback only, by default', () => {
    expect(clientAddress(request('127.0.0.1', '203.0.113.5'))).toBe('203.0.113.5');
    expect(clientAddress(request('::ffff:127.0.0.1', '198.51.100.1, 203.0.113.5'))).toBe('203.0.113.5');
    // A client on the network writing the header itself is not believed.
    expect(clientAddress(request('203.0.113.66', '10.1.1.1'))).toBe('203.0.113.66');
  });

  it('believes a proxy on another host when it is listed, by address or range', () => {
    const trust = proxyTrust(['172.28.0.10', '10.0.0.0/24', 'fd00::/8']);
    expect(clientAddress(request('172.28.0.10', '203.0.113.5'), trust)).toBe('203.0.113.5');
    expect(clientAddress(request('::ffff:10.0.0.77', '203.0.113.6'), trust)).toBe('203.0.113.6');
    expect(clientAddress(request('fd12::1', '203.0.113.7'), trust)).toBe('203.0.113.7');
    expect(clientAddress(request('172.28.0.11', '203.0.113.8'), trust)).toBe('172.28.0.11');
    expect(clientAddress(request('10.0.1.1', '203.0.113.9'), trust)).toBe('10.0.1.1');
  });
});
