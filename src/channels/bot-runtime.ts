import type { Engine } from '../engine';
import type { Reply } from '../engine/types';
import type { Lang } from '../knowledge/types';

/**
 * The bot's part of a turn: the engine answers a typed message or a picked option. A plain function
 * call: Botkit used to sit here and cost more CPU per turn than the matching itself (docs/design.md,
 * "Botkit"). Multi-turn questions (the leave-a-message form, "talk to a person?", CSAT) are the
 * handoff's dialog memory, kept in SQLite.
 */

/** What a channel asks the bot to do in one turn. */
export type TurnInput =
  | { kind: 'message'; conversationId: string; lang: Lang; text: string }
  | { kind: 'choice'; conversationId: string; lang: Lang; entryId: string };

/** One message the bot sends: an engine reply (null only for text the engine did not produce). */
export interface BotOutput {
  text: string;
  reply: Reply | null;
}

export interface BotRuntime {
  /** What the bot says to this input, in order (nothing for an option that no longer exists). */
  turn(input: TurnInput): BotOutput[];
}

export function createBotRuntime(engine: () => Engine): BotRuntime {
  return {
    turn(input) {
      const reply = input.kind === 'message' ? engine().respond(input.text, { lang: input.lang }) : (engine().replyFor(input.entryId, input.lang) ?? null);
      return reply ? [{ text: reply.text, reply }] : [];
    },
  };
}
