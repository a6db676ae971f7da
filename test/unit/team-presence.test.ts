import { MemoryHub } from '../../src/bus';
import { Presence, realTimers } from '../../src/handoff/presence';
import { TeamPresence } from '../../src/handoff/team-presence';

/** Two nodes on one in-memory hub (a cluster inside one process), presence announcements lasting 50 ms. */
function twoNodes() {
  const hub = new MemoryHub();
  const vanished: string[][] = [];
  const node = () => {
    const local = new Presence(realTimers, 60_000);
    const team = new TeamPresence(local, hub.node({ presenceTtlMs: 50 }).presence, (error) => { throw error; }, 60_000, (ids) => vanished.push(ids));
    return { local, team };
  };
  const nodes = [node(), node()] as const;
  return { nodes, vanished, close: () => nodes.forEach(({ local, team }) => (team.close(), local.close())) };
}

const at = new Date('2026-01-01T10:00:00Z');

test('an agent with a console on one node is online for the other once it has read the bus', async () => {
  const { nodes: [a, b], close } = twoNodes();
  b.local.connect('ana', at);
  expect(b.team.isOnline('ana')).toBe(true); // its own node counts it at once
  expect(a.team.isOnline('ana')).toBe(false);
  await b.team.sync();
  await a.team.refresh();
  expect(a.team.online()).toEqual([{ agentId: 'ana', onlineSince: at.toISOString() }]);
  close();
});

test("a killed node's agents vanish from the others once its announcement expires, and they are told so once", async () => {
  const { nodes: [a, b], vanished, close } = twoNodes();
  b.local.connect('ana', at);
  await b.team.sync();
  await a.team.refresh();
  // Node B stops announcing (killed): nothing is withdrawn, the announcement just runs out.
  b.team.close();
  await new Promise((resolve) => setTimeout(resolve, 80));
  await a.team.refresh();
  expect(a.team.isOnline('ana')).toBe(false);
  expect(vanished).toEqual([['ana']]);
  await a.team.refresh();
  expect(vanished).toEqual([['ana']]);
  close();
});

test('an agent this node is already running a grace period for is not reported as vanished: that grace period decides', async () => {
  const { nodes: [a, b], vanished, close } = twoNodes();
  a.local.startGrace('ana', () => {});
  b.local.connect('ana', at);
  await b.team.sync();
  await a.team.refresh();
  b.local.disconnect('ana', () => {});
  await b.team.sync();
  await a.team.refresh();
  expect(a.team.isOnline('ana')).toBe(false);
  expect(vanished).toEqual([]);
  close();
});
