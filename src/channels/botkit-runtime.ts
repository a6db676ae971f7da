import { BotAdapter, TurnContext, type Activity, type ConversationReference, type ResourceResponse, type Storage, type StoreItems } from 'botbuilder';
import { Botkit, type BotkitMessage, type BotWorker } from 'botkit';
import type { Engine } from '../engine';
import type { Reply } from '../engine/types';
import type { Lang } from '../knowledge/types';
import type { Store } from '../store';

/**
 * Botkit is the conversation runtime: every bot turn passes through a Botkit controller, its
 * middleware (ingest → receive → interpret → triggers → send) and its dialog state, so handoff forms
 * and interrupts plug in the Botkit way. Botkit stays here, at the edge: the engine and the store
 * never import it. The stock web adapter is not used: it trusts client-sent user ids, while here the
 * gateway decides the conversation from a signed token before a turn ever starts.
 */

export const CHANNEL_ID = 'atento-web';
const SINK = Symbol('atento.sink');

/** What the gateway asks the bot to do in one turn. */
export type TurnInput =
  | { kind: 'message'; conversationId: string; lang: Lang; text: string }
  | { kind: 'choice'; conversationId: string; lang: Lang; entryId: string };

/** One message the bot sent: an engine reply, or plain text from a Botkit dialog (e.g. a form's question). */
export interface BotOutput {
  text: string;
  reply: Reply | null;
}

export interface BotRuntime {
  /** Runs one turn and returns what the bot sent during it, in order. */
  turn(input: TurnInput): Promise<BotOutput[]>;
  /** For plugins (e.g. the handoff service's forms and interrupts). */
  readonly controller: Botkit;
}

/** Channel data carried on the incoming activity; Botkit copies these fields onto the message. */
interface IncomingData {
  lang: Lang;
  entryId?: string;
  botkitEventType?: string;
}

/** What one turn sent, and whether a handler failed (Botkit swallows handler errors and never settles). */
interface TurnSink {
  emit(activity: Partial<Activity>): void;
  fail(error: unknown): void;
}

/** Replies leave through here: collected for the gateway, which stores them before delivering. */
class GatewayAdapter extends BotAdapter {
  async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const sink = context.turnState.get(SINK) as TurnSink | undefined;
    if (!sink) throw new Error('atento: a bot reply was sent outside a turn; use the gateway to reach a conversation');
    for (const activity of activities) sink.emit(activity);
    return activities.map(() => ({ id: '' }));
  }

  async updateActivity(): Promise<void> {
    throw new Error('atento: messages cannot be edited once sent');
  }

  async deleteActivity(): Promise<void> {
    throw new Error('atento: messages cannot be deleted once sent');
  }

  async continueConversation(_reference: Partial<ConversationReference>, _logic: (context: TurnContext) => Promise<void>): Promise<void> {
    throw new Error('atento: proactive messages go through the store and the event bus, not Botkit');
  }

  run(activity: Partial<Activity>, sink: TurnSink, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const context = new TurnContext(this, activity);
    context.turnState.set(SINK, sink);
    return this.runMiddleware(context, logic);
  }
}

/** Botkit dialog state in SQLite, so a half-filled form survives a restart. */
class DialogStateStorage implements Storage {
  constructor(private readonly table: Store['dialogState']) {}

  async read(keys: string[]): Promise<StoreItems> {
    const items: StoreItems = {};
    for (const key of keys) {
      const value = this.table.read(key);
      if (value !== undefined) items[key] = value;
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    // Botkit saves an empty dialog stack after every first turn; storing "nothing in progress" as no row
    // keeps the table as small as the number of dialogs actually open.
    const idle = Object.keys(changes).filter((key) => isIdle(changes[key]));
    if (idle.length > 0) this.table.delete(idle);
    const busy = Object.fromEntries(Object.entries(changes).filter(([key]) => !idle.includes(key)));
    if (Object.keys(busy).length > 0) this.table.write(busy);
  }

  async delete(keys: string[]): Promise<void> {
    this.table.delete(keys);
  }
}

function isIdle(state: unknown): boolean {
  const stack = (state as { dialogState?: { dialogStack?: unknown[] } } | undefined)?.dialogState?.dialogStack;
  const keys = Object.keys(state ?? {}).filter((key) => key !== 'eTag');
  return keys.length === 1 && Array.isArray(stack) && stack.length === 0;
}

export function createBotRuntime(engine: () => Engine, dialogState: Store['dialogState']): BotRuntime {
  const adapter = new GatewayAdapter();
  const controller = new Botkit({ adapter, storage: new DialogStateStorage(dialogState), disable_webserver: true, disable_console: true });

  const send = (bot: BotWorker, message: BotkitMessage, reply: Reply) => bot.reply(message, { type: 'message', text: reply.text, channelData: { reply } });

  /** A handler's error is handed to the turn, which rejects with it, instead of vanishing inside Botkit. */
  const guarded = (handler: (bot: BotWorker, message: BotkitMessage) => Promise<void>) => async (bot: BotWorker, message: BotkitMessage) => {
    try {
      await handler(bot, message);
    } catch (error) {
      ((bot.getConfig('context') as TurnContext).turnState.get(SINK) as TurnSink).fail(error);
    }
  };

  controller.on('message', guarded(async (bot, message) => {
    const lang = (message as unknown as IncomingData).lang;
    await send(bot, message, engine().respond(message.text ?? '', { lang }));
  }));
  controller.on('choice', guarded(async (bot, message) => {
    const { lang, entryId } = message as unknown as IncomingData;
    const reply = entryId ? engine().replyFor(entryId, lang) : null;
    if (reply) await send(bot, message, reply);
  }));

  const handleTurn = (context: TurnContext) => controller.handleTurn(context);

  return {
    controller,
    async turn(input) {
      const outputs: BotOutput[] = [];
      const channelData: IncomingData =
        input.kind === 'message' ? { lang: input.lang } : { lang: input.lang, entryId: input.entryId, botkitEventType: 'choice' };
      const activity: Partial<Activity> = {
        type: 'message',
        channelId: CHANNEL_ID,
        text: input.kind === 'message' ? input.text : '',
        from: { id: input.conversationId, name: 'shopper' },
        recipient: { id: 'atento', name: 'atento' },
        conversation: { id: input.conversationId, name: '', isGroup: false, conversationType: 'personal' },
        channelData,
        timestamp: new Date(),
      };
      let failure: { error: unknown } | null = null;
      await adapter.run(
        activity,
        {
          emit(sent) {
            const reply = (sent.channelData as { reply?: Reply } | undefined)?.reply ?? null;
            const text = reply?.text ?? sent.text;
            if (sent.type === 'message' && text) outputs.push({ text, reply });
          },
          fail: (error) => (failure = { error }),
        },
        handleTurn,
      );
      if (failure) throw (failure as { error: unknown }).error;
      return outputs;
    },
  };
}
