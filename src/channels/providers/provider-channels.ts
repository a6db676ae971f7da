import express from 'express';
import type { TurnContext } from 'botbuilder';
import type { Config } from '../../config';
import { isCsatQuestion } from '../../handoff/csat';
import type { Lang } from '../../knowledge/types';
import { committed, type Channel, type Conversation, type StoredMessage } from '../../store';
import { RateLimiter } from '../rate-limit';
import { createTurns, type TurnDeps } from '../turn';
import { MessengerAdapter, type QuickReply } from './messenger-adapter';
import { choicesOf, MESSENGER_MAX_CHARS, pickedNumber, renderMessage, splitMessage, WHATSAPP_MAX_CHARS } from './render';
import { WhatsAppAdapter } from './whatsapp-adapter';

/**
 * WhatsApp and Messenger: webhooks in, provider APIs out. A message from a shopper becomes the same turn
 * the web widget runs (src/channels/turn.ts); everything later stored for that conversation — the bot's
 * replies, the handoff's notices, an agent's answers, the rating question; never notes — goes out through
 * the provider, in order. Loaded only when a channel is configured.
 */

export const WHATSAPP_PATH = '/channels/whatsapp';
export const MESSENGER_PATH = '/channels/messenger';
/** How long a shutdown waits for replies still on their way to a provider. */
const DRAIN_MS = 3000;

const NOT_TEXT: Record<Lang, string> = {
  es: '(envió una foto, un audio o un archivo sin texto)',
  en: '(sent a photo, a voice note or a file without text)',
};
const ONLY_TEXT: Record<Lang, string> = {
  es: 'Por ahora solo puedo leer mensajes de texto. ¿Me escribes tu pregunta?',
  en: 'For now I can only read text messages. Could you type your question?',
};
const THANKS_FOR_RATING: Record<Lang, string> = {
  es: '¡Gracias por tu calificación!',
  en: 'Thank you for your rating!',
};

type ProviderChannel = Exclude<Channel, 'web'>;

/** Written for agents (the console speaks Spanish first). */
const UNDELIVERED: Record<ProviderChannel, string> = {
  whatsapp: 'WhatsApp no entregó este mensaje al cliente',
  messenger: 'Messenger no entregó este mensaje al cliente',
};

/** What the shared turn needs, plus the config that says which providers are on. */
export interface ProviderChannelDeps extends TurnDeps {
  config: Config;
}

export interface ProviderChannels {
  /** Mount before the app's body parsers: the Messenger signature is over the raw body. */
  readonly router: express.Router;
  close(): Promise<void>;
}

export function createProviderChannels(deps: ProviderChannelDeps): ProviderChannels {
  const { config, store, events, handoff, log } = deps;
  const turns = createTurns({ store, events, handoff, engine: deps.engine, bot: deps.bot, log, leases: deps.leases });
  const whatsapp = config.whatsapp ? new WhatsAppAdapter(config.whatsapp) : null;
  const messenger = config.messenger ? new MessengerAdapter(config.messenger) : null;
  /** Work in progress: turns one at a time per sender, replies in the order stored per conversation. */
  const inbound = new Map<string, Promise<void>>();
  const outbound = new Map<string, Promise<void>>();
  /** The widget's per-conversation limit, per sender: over it a message is kept but the bot does not answer. */
  const limiter = new RateLimiter(config.limits.messagesPerMinute, 60_000);

  const chain = (queues: Map<string, Promise<void>>, key: string, work: () => Promise<void>): Promise<void> => {
    const next = (queues.get(key) ?? Promise.resolve()).then(work);
    const settled = next.catch(() => {});
    queues.set(key, settled);
    void settled.then(() => {
      if (queues.get(key) === settled) queues.delete(key);
    });
    return next;
  };

  const post = async (conversation: Conversation, sender: 'shopper' | 'bot', text: string, extra: { clientMessageId?: string } = {}): Promise<StoredMessage> => {
    const message = await store.messages.insert({ conversationId: conversation.id, sender, text, lang: conversation.lang, ...extra });
    events.emit('message.created', { message });
    return message;
  };

  /** One shopper message: resolves once it is on disk (the provider's webhook is then answered), the turn goes on. */
  function receive(channel: ProviderChannel, context: TurnContext): Promise<void> {
    const { activity } = context;
    const user = activity.from.id;
    const clientMessageId = `${channel}:${activity.id}`.slice(0, 64);
    const text = (activity.text ?? '').trim().slice(0, config.limits.maxMessageChars);
    const payload = (activity.channelData as { payload?: string } | undefined)?.payload;
    // Keyed by the sender, not the conversation: two first messages arriving together start one conversation.
    return new Promise<void>((onDisk, failed) => {
      // The webhook is answered once the message is committed; a failed commit answers 500, and the provider sends it again.
      let storing = false;
      const stored = () => {
        storing = true;
        void committed(store).then(onDisk, failed);
      };
      void chain(inbound, `${channel}:${user}`, async () => {
        const conversation =
          (await store.conversations.latestOnChannel(channel, user)) ?? (await store.conversations.createOnChannel(channel, user, config.defaultLanguage));
        if (activity.from.name && !conversation.shopperName) await store.conversations.setShopper(conversation.id, { name: activity.from.name.slice(0, 80) });
        if (!text) {
          // A photo, voice note or sticker: kept as a line agents can read (Atento cannot show the file), then answered.
          if (!(await store.messages.findByClientId(conversation.id, clientMessageId))) {
            await post(conversation, 'shopper', NOT_TEXT[conversation.lang], { clientMessageId });
            await post(conversation, 'bot', ONLY_TEXT[conversation.lang]);
          }
          return stored();
        }
        if (!limiter.take(`${channel}:${user}`) && !(await store.messages.findByClientId(conversation.id, clientMessageId))) {
          log.warn({ channel, conversationId: conversation.id }, `${channel}: more than ${config.limits.messagesPerMinute} messages a minute; kept without an answer`);
          await post(conversation, 'shopper', text, { clientMessageId });
          return stored();
        }
        const shown = await store.messages.lastShown(conversation.id);
        const rating = shown && isCsatQuestion(shown) ? ratingIn(text, payload) : null;
        if (shown && rating !== null) {
          if (await store.messages.findByClientId(conversation.id, clientMessageId)) return stored();
          await post(conversation, 'shopper', text, { clientMessageId });
          stored();
          if (await handoff.rate(conversation.id, shown.id, rating, null)) await post(conversation, 'bot', THANKS_FOR_RATING[shown.lang ?? conversation.lang]);
          return;
        }
        const choice = shown ? picked(shown, text, payload) : null;
        // Understood on the engine thread while the turn stores the question, as the widget's messages are.
        const understood = choice ? undefined : deps.bot.understand(text, conversation.lang);
        await turns.run({ conversationId: conversation.id, clientMessageId, text: choice?.label ?? text, choiceId: choice?.id ?? null, understood }, () => stored());
      }).catch((error: unknown) => {
        log.error({ err: error, channel }, `${channel} turn failed`);
        // Once the message is stored, the webhook waits for its commit: a 500 would only bring a re-send.
        if (!storing) failed(error);
      });
    });
  }

  /**
   * Delivers what was stored for a WhatsApp or Messenger conversation, once it is committed, in the order
   * stored: the whole of it, from reading the conversation to the provider's answer, in the conversation's chain.
   */
  function deliver(message: StoredMessage): void {
    if (message.kind === 'note' || message.sender === 'shopper') return;
    // The commit that carries the message is the one open now: waited for in the chain, taken here, so a
    // later group's failure is not blamed on a message already on disk.
    const onDisk = committed(store);
    onDisk.catch(() => undefined);
    void chain(outbound, message.conversationId, () => send(message, onDisk)).catch((error: unknown) =>
      log.error({ err: error, messageId: message.id, conversationId: message.conversationId }, 'provider delivery failed'),
    );
  }

  async function send(message: StoredMessage, onDisk: Promise<void>): Promise<void> {
    const conversation = await store.conversations.get(message.conversationId);
    if (!conversation || conversation.channel === 'web' || !conversation.channelUser) return;
    const adapter = conversation.channel === 'whatsapp' ? whatsapp : messenger;
    if (!adapter) return log.warn({ channel: conversation.channel, messageId: message.id, conversationId: conversation.id }, `${conversation.channel} is not configured: the message stays undelivered`);
    const formatting = conversation.channel === 'whatsapp' ? 'whatsapp' : 'plain';
    const pieces = splitMessage(renderMessage(message, formatting, conversation.lang), conversation.channel === 'whatsapp' ? WHATSAPP_MAX_CHARS : MESSENGER_MAX_CHARS);
    const quickReplies = conversation.channel === 'messenger' ? quickRepliesOf(message) : [];
    const activities = pieces.map((text, index) => ({
      type: 'message',
      text,
      // Quick replies hang under the last piece, where the question is.
      channelData: index === pieces.length - 1 && quickReplies.length > 0 ? { quickReplies } : undefined,
    }));
    const reference = { channelId: conversation.channel, conversation: { id: conversation.channelUser, isGroup: false, conversationType: 'personal', name: '' }, user: { id: conversation.channelUser, name: '' }, bot: { id: 'atento', name: 'atento' }, serviceUrl: '' };
    await onDisk;
    try {
      await adapter.continueConversation(reference, async (context) => void (await context.sendActivities(activities)));
    } catch (error) {
      await undelivered(conversation, message, error);
    }
  }

  /** A provider refused a message: logged, and a note (agents only, never delivered) says so in the transcript. */
  async function undelivered(conversation: Conversation, message: StoredMessage, error: unknown): Promise<void> {
    const reason = (error as Error).message;
    log.warn({ channel: conversation.channel, messageId: message.id, conversationId: conversation.id, reason }, `${conversation.channel} delivery failed`);
    const note = await store.messages.insert({
      conversationId: conversation.id,
      sender: 'system',
      kind: 'note',
      // The console titles it "Nota de WhatsApp".
      authorName: conversation.channel === 'whatsapp' ? 'WhatsApp' : 'Messenger',
      text: `${UNDELIVERED[conversation.channel as ProviderChannel]} (#${message.id}): ${reason}`,
      lang: conversation.lang,
    });
    events.emit('message.created', { message: note });
  }

  const unsubscribe = events.on('message.created', ({ message }) => deliver(message));

  const router = express.Router();
  if (whatsapp) {
    router.post(WHATSAPP_PATH, express.urlencoded({ extended: false, limit: config.limits.httpBodyBytes }), async (req, res, next) => {
      try {
        await whatsapp.processActivity(req, res, (context) => receive('whatsapp', context));
      } catch (error) {
        next(error);
      }
    });
  }
  if (messenger) {
    router.get(MESSENGER_PATH, (req, res) => {
      const challenge = messenger.handshake(req.query as Record<string, unknown>);
      if (challenge === null) res.status(403).type('text/plain').send('Wrong verify token');
      else res.status(200).type('text/plain').send(challenge);
    });
    router.post(MESSENGER_PATH, express.raw({ type: () => true, limit: config.limits.httpBodyBytes }), async (req, res, next) => {
      try {
        await messenger.processActivity(req, res, (context) => receive('messenger', context));
      } catch (error) {
        next(error);
      }
    });
  }

  return {
    router,
    async close() {
      unsubscribe();
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, DRAIN_MS)));
      await Promise.race([Promise.all([...inbound.values(), ...outbound.values()]), deadline]);
      clearTimeout(timer);
    },
  };
}

/** The option a shopper picked: a tapped quick reply, or the number of one of the options last shown. */
function picked(shown: StoredMessage, text: string, payload: string | undefined): { id: string; label: string } | null {
  const choices = choicesOf(shown);
  if (payload) return choices.find((choice) => choice.id === payload) ?? null;
  const number = pickedNumber(text);
  return number !== null && number >= 1 && number <= choices.length ? choices[number - 1]! : null;
}

/** A 1–5 answer to the rating question (a typed digit or a tapped quick reply), or null. */
function ratingIn(text: string, payload: string | undefined): number | null {
  const number = payload?.startsWith('csat:') ? Number(payload.slice(5)) : pickedNumber(text);
  return number !== null && Number.isInteger(number) && number >= 1 && number <= 5 ? number : null;
}

function quickRepliesOf(message: StoredMessage): QuickReply[] {
  if (isCsatQuestion(message)) return message.options.map((option) => ({ title: option.label, payload: option.id }));
  return choicesOf(message).map((choice, index) => ({ title: `${index + 1}. ${choice.label}`, payload: choice.id }));
}
