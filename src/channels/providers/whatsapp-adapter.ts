import { BotAdapter, TurnContext, type Activity, type ConversationReference, type ResourceResponse } from 'botbuilder';
import type { Request, Response } from 'express';
// The webhooks module alone: the whole twilio package takes 140 ms and 20 MB to load, for one HMAC check.
import { validateRequest } from 'twilio/lib/webhooks/webhooks';
import type { WhatsAppConfig } from '../../config';
import { whatsappNumber } from './addresses';

/**
 * WhatsApp through Twilio, as a Bot Framework adapter (the contract Botkit's adapters implement).
 * Incoming: Twilio's form-encoded webhook, accepted only with a valid X-Twilio-Signature of the public
 * webhook URL. Outgoing: Twilio's Messages REST API at a configurable base URL (tests point it at a local
 * server). Botkit's own twilio-sms adapter and the community WhatsApp adapter pin the end-of-life twilio 3
 * and always call api.twilio.com (docs/channels.md).
 */

export const WHATSAPP_CHANNEL_ID = 'whatsapp';

export class ProviderError extends Error {
  constructor(
    readonly provider: string,
    readonly status: number,
    detail: string,
  ) {
    super(`${provider} refused the message (HTTP ${status}): ${detail}`);
    this.name = 'ProviderError';
  }
}

export class WhatsAppAdapter extends BotAdapter {
  constructor(private readonly options: WhatsAppConfig) {
    super();
  }

  /**
   * Whether Twilio signed this request: the signature covers the public URL and every posted parameter.
   * A URL with Twilio's connection overrides (`#rc=3&rp=ct,rt,5xx`, docs/channels.md) is checked with and
   * without them: the fragment never reaches a server, and Twilio does not document whether it signs it.
   */
  isSigned(req: Request): boolean {
    const signature = req.get('x-twilio-signature');
    const params = req.body as Record<string, string> | undefined;
    if (typeof signature !== 'string' || typeof params !== 'object' || params === null) return false;
    const { webhookUrl, authToken } = this.options;
    const urls = webhookUrl.includes('#') ? [webhookUrl, webhookUrl.slice(0, webhookUrl.indexOf('#'))] : [webhookUrl];
    return urls.some((url) => validateRequest(authToken, signature, url, params));
  }

  /**
   * Verifies and translates one webhook call, runs `logic` on it, then answers Twilio. An unsigned or
   * wrongly signed request gets 403 and nothing runs; a request without a sender or id gets 400.
   */
  async processActivity(req: Request, res: Response, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    if (!this.isSigned(req)) {
      res.status(403).type('text/plain').send('Invalid Twilio signature');
      return;
    }
    const params = req.body as Record<string, string>;
    const from = whatsappNumber(params.From ?? '');
    if (!from || !params.MessageSid) {
      res.status(400).type('text/plain').send('Expected a WhatsApp message (From, MessageSid)');
      return;
    }
    const activity: Partial<Activity> = {
      type: 'message',
      channelId: WHATSAPP_CHANNEL_ID,
      id: params.MessageSid,
      text: params.Body ?? '',
      from: { id: from, name: params.ProfileName ?? '' },
      recipient: { id: params.To ?? this.options.from, name: 'atento' },
      conversation: { id: from, name: '', isGroup: false, conversationType: 'personal' },
      channelData: { numMedia: Number(params.NumMedia ?? 0) },
      timestamp: new Date(),
    };
    await this.runMiddleware(new TurnContext(this, activity), logic);
    // Replies go out through the REST API (an agent may answer hours later), so the TwiML answer is empty.
    res.status(200).type('text/xml').send('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
  }

  /** Sends each text activity as one WhatsApp message, in order; a refusal by Twilio throws. */
  async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const sent: ResourceResponse[] = [];
    for (const activity of activities) {
      if (activity.type !== 'message' || !activity.text) continue;
      sent.push({ id: await this.send(context.activity.conversation.id, activity.text) });
    }
    return sent;
  }

  async updateActivity(): Promise<void> {
    throw new Error('atento: WhatsApp messages cannot be edited once sent');
  }

  async deleteActivity(): Promise<void> {
    throw new Error('atento: WhatsApp messages cannot be deleted once sent');
  }

  /** Proactive messages (an agent's reply, a handoff notice) to a shopper known by their number. */
  async continueConversation(reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const activity = TurnContext.applyConversationReference({ type: 'event', name: 'continueConversation' }, reference, true);
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }

  private async send(to: string, body: string): Promise<string> {
    const { accountSid, authToken, apiUrl, from } = this.options;
    const response = await fetch(`${apiUrl}/2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Messages.json`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ From: from, To: `whatsapp:${to}`, Body: body }),
      signal: AbortSignal.timeout(15_000),
    });
    const answer = (await response.json().catch(() => ({}))) as { sid?: string; message?: string; code?: number };
    if (!response.ok) throw new ProviderError('Twilio', response.status, `${answer.code ?? ''} ${answer.message ?? ''}`.trim());
    return answer.sid ?? '';
  }
}
