import { MemoryHub } from '../../src/bus';
import { describeBusConformance } from '../helpers/bus-conformance';

// Several nodes on one hub: the in-memory bus must behave like the Redis one, minus the network.
let hub = new MemoryHub();
beforeEach(() => {
  hub = new MemoryHub();
});
describeBusConformance('in-memory', () => ({ node: async (options) => hub.node(options) }));
