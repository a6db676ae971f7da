import type { Engine, EngineThread } from '../engine';
import type { TurnReply } from '../engine/types';
import type { Lang } from '../knowledge/types';

/**
 * The bot's part of a turn: the engine answers a typed message or a picked option. A plain function
 * call: Botkit used to sit here and cost more CPU per turn than the matching itself (docs/design.md,
 * "Botkit"). Multi-turn questions (the leave-a-message form, "talk to a person?", CSAT) are the
 * handoff's dialog memory, kept in SQLite.
 */

/**
 * A typed message's reply, asked for when the message arrives so that the engine thread works while the
 * turn waits in the queue; `lang` is the conversation's language the channel expected. The turn uses it
 * only if the conversation still has that language and the knowledge base is the same (otherwise the
 * reply could differ: the event loop understands it again).
 */
export interface EarlyReply {
  lang: Lang;
  /** The knowledge base it was understood with: after an edit went live, the turn asks again. */
  version: string;
  reply: Promise<TurnReply>;
}

/** What a channel asks the bot to do in one turn. */
export type TurnInput =
  | { kind: 'message'; conversationId: string; lang: Lang; text: string; understood?: EarlyReply }
  | { kind: 'choice'; conversationId: string; lang: Lang; entryId: string };

/** One message the bot sends: an engine reply (null only for text the engine did not produce). */
export interface BotOutput {
  text: string;
  reply: TurnReply | null;
}

export interface BotRuntime {
  /** What the bot says to this input, in order (nothing for an option that no longer exists). */
  turn(input: TurnInput): Promise<BotOutput[]>;
  /** Starts understanding a typed message ahead of its turn (pass the result to `turn`). */
  understand(text: string, lang: Lang): EarlyReply;
}

/**
 * `thread`: typed messages understood ahead of their turn are understood there (src/engine/thread.ts).
 * A turn without a usable understanding (another channel's, or the conversation's language changed since)
 * is understood in the event loop: waiting for the thread inside the turn would store its question and
 * its answer in two commits.
 */
export function createBotRuntime(engine: () => Engine, thread?: EngineThread): BotRuntime {
  const here = (text: string, lang: Lang) => engine().respond(text, { lang });
  const understand = (text: string, lang: Lang) => (thread ? thread.respond(engine(), text, { lang }) : here(text, lang));
  return {
    async turn(input) {
      let reply: TurnReply | null;
      if (input.kind === 'choice') reply = engine().replyFor(input.entryId, input.lang) ?? null;
      else {
        const { understood } = input;
        reply = understood?.lang === input.lang && understood.version === engine().version ? await understood.reply : here(input.text, input.lang);
      }
      return reply ? [{ text: reply.text, reply }] : [];
    },
    understand(text, lang) {
      // A throw becomes a rejection, which the turn meets (and apologizes for) when it runs. A turn that
      // never looks at it (a retry, a language changed meanwhile) must not leave it unhandled: that ends the process.
      const reply = new Promise<TurnReply>((resolve) => resolve(understand(text, lang)));
      reply.catch(() => undefined);
      return { lang, version: engine().version, reply };
    },
  };
}
