import { connectRedisBus } from '../../src/bus';

/**
 * A node in its own process, to be killed with SIGKILL (test/redis/bus-redis.test.ts): it takes a
 * turn's lease, announces an agent on a heartbeat, says "ready" on stdout, and waits to die.
 * argv: Redis URL, presence TTL (ms), lease key, lease TTL (ms).
 */
async function main(): Promise<void> {
  const [url, presenceTtl, leaseKey, leaseTtl] = process.argv.slice(2) as [string, string, string, string];
  const bus = await connectRedisBus({ url, presenceTtlMs: Number(presenceTtl) });
  const token = await bus.leases.acquire(leaseKey, Number(leaseTtl));
  const agents = [{ agentId: 'ana', onlineSince: new Date().toISOString() }];
  await bus.presence.announce(agents);
  setInterval(() => void bus.presence.announce(agents), Number(presenceTtl) / 4);
  process.stdout.write(`${JSON.stringify({ ready: true, lease: token !== null })}\n`);
}

void main();
