import crypto from 'node:crypto';
import { BotAdapter, TurnContext, type Activity, type ConversationReference, type ResourceResponse } from 'botbuilder';
import type { Request, Response } from 'express';
import type { MessengerConfig } from '../../config';
import { ProviderError } from './whatsapp-adapter';

/**
 * Facebook Messenger through the Graph API, as a Bot Framework adapter. The webhook's verification
 * handshake (hub.verify_token), the X-Hub-Signature-256 (or older X-Hub-Signature) HMAC of the raw body
 * checked on every call, quick replies for options. `botbuilder-adapter-facebook` 1.0.12 cannot be loaded
 * as published (it requires `request`, which it does not declare) and always calls https://graph…, so this
 * one follows its translation but sends with fetch to a configurable base URL (docs/channels.md).
 */

export const MESSENGER_CHANNEL_ID = 'messenger';
/** Messenger shows at most 13 quick replies of at most 20 characters. */
const MAX_QUICK_REPLIES = 13;
const QUICK_REPLY_TITLE = 20;

export interface QuickReply {
  title: string;
  payload: string;
}

interface MessagingEvent {
  sender?: { id?: string };
  message?: { mid?: string; text?: string; is_echo?: boolean; quick_reply?: { payload?: string }; attachments?: unknown[] };
  postback?: { mid?: string; title?: string; payload?: string };
  timestamp?: number;
}

export class MessengerAdapter extends BotAdapter {
  constructor(private readonly options: MessengerConfig) {
    super();
  }

  /** The GET handshake Facebook sends when the webhook is set up: the challenge back, or null. */
  handshake(query: Record<string, unknown>): string | null {
    const token = query['hub.verify_token'];
    const challenge = query['hub.challenge'];
    if (query['hub.mode'] !== 'subscribe' || typeof token !== 'string' || typeof challenge !== 'string') return null;
    return safeEqual(token, this.options.verifyToken) ? challenge : null;
  }

  /** Whether the raw body carries the app secret's HMAC (SHA-256 header preferred, SHA-1 accepted). */
  isSigned(req: Request): boolean {
    const body = req.body as unknown;
    if (!Buffer.isBuffer(body)) return false;
    const sha256 = req.get('x-hub-signature-256');
    const sha1 = req.get('x-hub-signature');
    const [algorithm, header] = sha256 ? ['sha256', sha256] : ['sha1', sha1];
    if (!header) return false;
    const expected = `${algorithm}=${crypto.createHmac(algorithm, this.options.appSecret).update(body).digest('hex')}`;
    return safeEqual(header, expected);
  }

  /** Verifies one webhook call and runs `logic` once per message or postback in it, in order. */
  async processActivity(req: Request, res: Response, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    if (!this.isSigned(req)) {
      res.status(403).type('text/plain').send('Invalid X-Hub-Signature');
      return;
    }
    let payload: { object?: string; entry?: Array<{ messaging?: MessagingEvent[] }> };
    try {
      payload = JSON.parse((req.body as Buffer).toString('utf8')) as typeof payload;
    } catch {
      res.status(400).type('text/plain').send('Expected a JSON body');
      return;
    }
    for (const entry of payload.entry ?? []) {
      for (const event of entry.messaging ?? []) {
        const activity = toActivity(event);
        if (activity) await this.runMiddleware(new TurnContext(this, activity), logic);
      }
    }
    res.status(200).type('text/plain').send('EVENT_RECEIVED');
  }

  /** Sends each text activity as one message; `channelData.quickReplies` become Messenger quick replies. */
  async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const sent: ResourceResponse[] = [];
    for (const activity of activities) {
      if (activity.type !== 'message' || !activity.text) continue;
      const quickReplies = ((activity.channelData as { quickReplies?: QuickReply[] } | undefined)?.quickReplies ?? []).slice(0, MAX_QUICK_REPLIES);
      const message = {
        text: activity.text,
        ...(quickReplies.length > 0
          ? { quick_replies: quickReplies.map((reply) => ({ content_type: 'text', title: shorten(reply.title), payload: reply.payload })) }
          : {}),
      };
      sent.push({ id: await this.send({ recipient: { id: context.activity.conversation.id }, messaging_type: 'RESPONSE', message }) });
    }
    return sent;
  }

  async updateActivity(): Promise<void> {
    throw new Error('atento: Messenger messages cannot be edited once sent');
  }

  async deleteActivity(): Promise<void> {
    throw new Error('atento: Messenger messages cannot be deleted once sent');
  }

  async continueConversation(reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const activity = TurnContext.applyConversationReference({ type: 'event', name: 'continueConversation' }, reference, true);
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }

  private async send(body: object): Promise<string> {
    const { apiUrl, apiVersion, pageAccessToken, appSecret } = this.options;
    const proof = crypto.createHmac('sha256', appSecret).update(pageAccessToken).digest('hex');
    const query = new URLSearchParams({ access_token: pageAccessToken, appsecret_proof: proof });
    const response = await fetch(`${apiUrl}/${apiVersion}/me/messages?${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const answer = (await response.json().catch(() => ({}))) as { message_id?: string; error?: { message?: string } };
    if (!response.ok || answer.error) throw new ProviderError('Messenger', response.status, answer.error?.message ?? '');
    return answer.message_id ?? '';
  }
}

/** A text message, a tapped quick reply or a postback button; echoes, reads and deliveries are not turns. */
function toActivity(event: MessagingEvent): Partial<Activity> | null {
  const sender = event.sender?.id;
  if (!sender || event.message?.is_echo) return null;
  const id = event.message?.mid ?? event.postback?.mid ?? `${sender}:${event.timestamp ?? Date.now()}`;
  let text: string;
  let payload: string | undefined;
  if (event.message) {
    text = event.message.text ?? '';
    payload = event.message.quick_reply?.payload;
  } else if (event.postback) {
    text = event.postback.title ?? '';
    payload = event.postback.payload;
  } else {
    return null;
  }
  return {
    type: 'message',
    channelId: MESSENGER_CHANNEL_ID,
    id,
    text,
    from: { id: sender, name: '' },
    recipient: { id: 'page', name: 'atento' },
    conversation: { id: sender, name: '', isGroup: false, conversationType: 'personal' },
    channelData: { payload, attachments: event.message?.attachments?.length ?? 0 },
    timestamp: new Date(),
  };
}

function shorten(title: string): string {
  return title.length <= QUICK_REPLY_TITLE ? title : `${title.slice(0, QUICK_REPLY_TITLE - 1)}…`;
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && crypto.timingSafeEqual(left, right);
}
