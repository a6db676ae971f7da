import type { Conversation } from '../store';

/**
 * WhatsApp delivers a free-form message only within 24 hours of the shopper's last message (the
 * customer-service window); after that only an approved template may go out, which Atento does not send.
 */
export const WHATSAPP_WINDOW_MS = 24 * 60 * 60 * 1000;

/** Whether an agent's reply can still reach the shopper on the conversation's channel. */
export function replyWindowOpen(conversation: Pick<Conversation, 'channel'>, lastShopperAt: string | null, now: Date): boolean {
  if (conversation.channel !== 'whatsapp') return true;
  return lastShopperAt !== null && now.getTime() - Date.parse(lastShopperAt) < WHATSAPP_WINDOW_MS;
}
