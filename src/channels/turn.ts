import type { Engine } from '../engine';
import { AtentoError } from '../errors';
import type { EventBus } from '../events';
import type { Lang } from '../knowledge/types';
import { normalize } from '../nlp';
import type { Logger } from '../observability';
import { BusError, type Leases } from '../bus';
import type { Conversation, Store, StoredMessage } from '../store';
import type { BotOutput, BotRuntime, EarlyReply } from './bot-runtime';
import type { ShopperHandoffHooks } from './shopper-gateway';

/**
 * One shopper turn, the same for every channel (web socket, WhatsApp, Messenger): store the message
 * (once per client id), let the channel acknowledge it, then the handoff and the bot answer. Replies are
 * stored and announced as `message.created`; each channel delivers them its own way.
 */

/** Said when a turn fails after the message was acknowledged: the shopper is never left without a word. */
const TURN_FAILED: Record<Lang, string> = {
  es: 'Perdón, tuve un problema para responderte. ¿Me lo escribes de nuevo? Si prefieres, escribe "hablar con una persona".',
  en: 'Sorry, something went wrong on my side. Could you send that again? Or type "talk to a person".',
};

export interface ShopperTurnInput {
  conversationId: string;
  /** The channel's id for this message (the widget's, Twilio's MessageSid, Messenger's mid): retries are not stored twice. */
  clientMessageId: string;
  /** What the shopper wrote, or the label of the option they picked. */
  text: string;
  /** The option picked (a FAQ id or one of the handoff's), or null for typed text. */
  choiceId: string | null;
  /** Typed text's reply, asked for when the message arrived (src/channels/bot-runtime.ts). */
  understood?: EarlyReply;
}

export interface TurnDeps {
  store: Store;
  events: EventBus;
  handoff: ShopperHandoffHooks;
  engine: () => Engine;
  bot: BotRuntime;
  log: Logger;
  /**
   * Leases shared with the other nodes (several nodes): a shopper's tabs, or a provider's retries, may reach
   * two nodes with the same message, and only the node holding the conversation's lease runs its turn.
   * Unset (one node): the channel's own per-conversation queue is enough.
   */
  leases?: Leases;
}

/** Longer than any turn takes; a node killed mid-turn blocks the conversation no longer than this. */
const TURN_LEASE_MS = 10_000;
/** How long a turn waits for another node's turn on the same conversation before it gives up (and the client re-sends). */
const TURN_LEASE_WAIT_MS = 5_000;
const TURN_LEASE_RETRY_MS = 20;

export interface Turns {
  /**
   * Runs one turn. `stored` is called with the shopper's message once it is written (also for a retry of a
   * message already stored), so the channel can acknowledge it; the bot answers only a message that was
   * never answered (a first try, or a retry of one whose turn failed).
   */
  run(input: ShopperTurnInput, stored: (message: StoredMessage) => void): Promise<void>;
}

export function createTurns(deps: TurnDeps): Turns {
  const { store, events, handoff, bot, log } = deps;

  /** `conversation` as read just before: each output after the first reads it again (the one before may have handed off). */
  async function storeBotOutputs(conversation: Conversation, outputs: BotOutput[], replyTo: number, shopperText: string): Promise<void> {
    let current: Conversation | undefined = conversation;
    for (const [i, output] of outputs.entries()) {
      if (i > 0) current = await store.conversations.get(conversation.id);
      if (!current) return;
      const latest = current;
      if (output.reply) await handoff.afterBot(latest, shopperText, output.reply, () => storeBotOutput(latest, output, replyTo));
      else await storeBotOutput(latest, output, replyTo);
    }
  }

  async function storeBotOutput(conversation: Conversation, { text, reply }: BotOutput, replyTo: number): Promise<void> {
    const message = await store.messages.insert({
      conversationId: conversation.id,
      sender: 'bot',
      text,
      lang: reply?.lang ?? conversation.lang,
      entryId: reply?.id ?? null,
      action: reply?.action ?? null,
      confidence: reply?.confidence ?? null,
      options: reply?.options,
      related: reply?.related,
      replyTo,
    });
    events.emit('message.created', { message });
    if (reply && reply.lang !== conversation.lang) await store.conversations.setLang(conversation.id, reply.lang);
  }

  /** The handoff and the bot's part of a turn, for a shopper message already on disk and acknowledged. */
  async function answer(conversation: Conversation, shopperMessage: StoredMessage, choiceId: string | null, understood?: EarlyReply): Promise<void> {
    const conversationId = conversation.id;
    const text = shopperMessage.text;
    if (choiceId && (await handoff.choice(conversationId, choiceId))) return;
    const interpret = () => deps.engine().respond(text, { lang: conversation.lang });
    // A typed message's turn read the conversation a moment ago; a picked option may have changed it.
    const before = choiceId ? await store.conversations.get(conversationId) : conversation;
    if (!before || (await handoff.beforeBot(before, text, { isChoice: choiceId !== null, interpret }))) return;
    // Anyone but the bot holds the chat: the message waits for a person. beforeBot returning false left a
    // bot's chat as it was, so only another status (a resolved chat it reopened, say) is read again.
    const current = before.status === 'bot' ? before : await store.conversations.get(conversationId);
    if (current?.status !== 'bot') return;
    const outputs = await bot.turn(
      choiceId
        ? { kind: 'choice', conversationId, lang: conversation.lang, entryId: choiceId }
        : { kind: 'message', conversationId, lang: conversation.lang, text, understood },
    );
    await storeBotOutputs(current, outputs, shopperMessage.id, text);
  }

  /** Runs `work` holding the conversation's turn lease, waiting for another node's turn to end first. */
  async function owningTurn(conversationId: string, work: () => Promise<void>): Promise<void> {
    const leases = deps.leases;
    if (!leases) return work();
    const key = `turn:${conversationId}`;
    const giveUpAt = Date.now() + TURN_LEASE_WAIT_MS;
    let token: string | null;
    try {
      while (!(token = await leases.acquire(key, TURN_LEASE_MS))) {
        if (Date.now() > giveUpAt) throw new AtentoError('internal', `conversation ${conversationId}: another node's turn held it for over ${TURN_LEASE_WAIT_MS} ms`);
        await new Promise((resolve) => setTimeout(resolve, TURN_LEASE_RETRY_MS));
      }
    } catch (error) {
      if (!(error instanceof BusError)) throw error;
      // Redis is away: shoppers keep chatting. The database still stores a message once (its client id is
      // unique per conversation); at worst a copy that reached another node at the same moment fails there.
      log.warn({ err: error, conversationId }, 'turn run without its lease');
      return work();
    }
    try {
      await work();
    } finally {
      await leases.release(key, token).catch((error: unknown) => log.warn({ err: error, conversationId }, 'turn lease not released; it expires on its own'));
    }
  }

  return {
    run: (input, stored) => owningTurn(input.conversationId, () => runTurn(input, stored)),
  };

  /**
   * A retry after a lost acknowledgement: acknowledged again, never answered twice, but answered if the
   * first answer failed or never got stored (a node killed between storing the question and the answer).
   */
  async function retried(conversation: Conversation, message: StoredMessage, choiceId: string | null, stored: (message: StoredMessage) => void): Promise<void> {
    stored(message);
    const failedKey = failedTurnKey(conversation.id, message.clientMessageId ?? '');
    if (await store.dialogState.read(failedKey)) {
      await store.dialogState.delete([failedKey]);
      return answerOrApologize(conversation, message, choiceId);
    }
    const current = await store.conversations.get(conversation.id);
    const lastShown = await store.messages.lastShown(conversation.id);
    if (current?.status === 'bot' && (lastShown?.id ?? 0) < message.id) return answerOrApologize(conversation, message, choiceId);
  }

  /** `answer`, or if it fails, the apology and a mark so that the message's next retry is answered. */
  async function answerOrApologize(conversation: Conversation, message: StoredMessage, choiceId: string | null, understood?: EarlyReply): Promise<void> {
    try {
      await answer(conversation, message, choiceId, understood);
    } catch (error) {
      log.error({ err: error, conversationId: conversation.id }, 'shopper turn failed; apology sent');
      await store.dialogState.write({ [failedTurnKey(conversation.id, message.clientMessageId ?? '')]: true });
      await storeBotOutput(conversation, { text: TURN_FAILED[conversation.lang], reply: null }, message.id);
    }
  }

  async function runTurn({ conversationId, clientMessageId, text, choiceId, understood }: ShopperTurnInput, stored: (message: StoredMessage) => void): Promise<void> {
    const conversation = await store.conversations.get(conversationId);
    if (!conversation) throw new AtentoError('internal', `conversation ${conversationId} vanished`);
    let message: StoredMessage;
    try {
      message = await store.messages.insert({
        conversationId,
        sender: 'shopper',
        text,
        lang: conversation.lang,
        normalized: choiceId ? null : normalize(text),
        clientMessageId,
      });
    } catch (error) {
      // Its client id is unique per conversation: a retry after a lost ack, or the same message that
      // reached another node at the same moment. Inserting first spares the common case a read.
      const storedBefore = await store.messages.findByClientId(conversationId, clientMessageId);
      if (!storedBefore) throw error;
      return retried(conversation, storedBefore, choiceId, stored);
    }
    stored(message);
    events.emit('message.created', { message });
    await answerOrApologize(conversation, message, choiceId, understood);
  }
}

/** Marks a shopper message whose turn failed, so that its retry is answered. */
function failedTurnKey(conversationId: string, clientMessageId: string): string {
  return `failed-turn:${conversationId}:${clientMessageId}`;
}
