import type { OnlineAgent } from './types';

/** Several nodes' sets as one: each agent once, online since the earliest of their nodes says. */
export function mergeOnline(sets: Iterable<readonly OnlineAgent[]>): OnlineAgent[] {
  const since = new Map<string, string>();
  for (const agents of sets) {
    for (const { agentId, onlineSince } of agents) {
      const known = since.get(agentId);
      if (known === undefined || onlineSince < known) since.set(agentId, onlineSince);
    }
  }
  return [...since].map(([agentId, onlineSince]) => ({ agentId, onlineSince })).sort((a, b) => a.agentId.localeCompare(b.agentId));
}
