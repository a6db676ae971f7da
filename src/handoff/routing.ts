/** An agent as routing sees them: only online agents are offered chats. */
export interface AgentLoad {
  agentId: string;
  openChats: number;
  /** When the agent came online (ISO); ties go to whoever has waited longest for work. */
  onlineSince: string;
}

/** The online agent with the fewest open chats under capacity, or null when everyone is full. */
export function pickAgent(agents: readonly AgentLoad[], capacity: number): string | null {
  const available = agents.filter((agent) => agent.openChats < capacity);
  available.sort((a, b) => a.openChats - b.openChats || a.onlineSince.localeCompare(b.onlineSince) || a.agentId.localeCompare(b.agentId));
  return available[0]?.agentId ?? null;
}

export interface WaitEstimateInput {
  /** 1 = next in line. */
  position: number;
  onlineAgents: number;
  /** Free slots (capacity minus open chats) over all online agents. */
  freeSlots: number;
  /** How long agents typically keep a chat (seconds). */
  averageHandleSeconds: number;
}

/** Seconds an agent needs to notice a chat that routing could not place yet. */
export const PICKUP_SECONDS = 60;

/**
 * A rough, honest estimate: a free slot means about a minute; otherwise every `onlineAgents` people
 * ahead take one average chat length. With nobody online there is no estimate (null).
 */
export function estimateWaitSeconds(input: WaitEstimateInput): number | null {
  if (input.onlineAgents === 0) return null;
  if (input.position <= input.freeSlots) return PICKUP_SECONDS;
  const rounds = Math.ceil((input.position - input.freeSlots) / input.onlineAgents);
  return PICKUP_SECONDS + rounds * input.averageHandleSeconds;
}
