import type { TurnReply } from '../engine/types';
import type { Lang } from '../knowledge/types';
import { readSentiment } from './sentiment';

/**
 * Why a conversation went to a person. Recorded with every handoff and shown in the agent's queue.
 * "faq:<id>" is a FAQ marked `escalate: true` (damaged item, double charge...).
 */
export type EscalationReason = 'button' | 'human-request' | 'complaint' | 'negative-sentiment' | 'low-confidence' | `faq:${string}`;

export type PolicyDecision =
  /** Hand off now; `answerFirst`: send the bot's reply (the FAQ's text) before the handoff message. */
  | { kind: 'escalate'; reason: EscalationReason; answerFirst: boolean; lowConfidenceStreak: 0 }
  /** Send the bot's reply, then offer a person (the shopper may decline). */
  | { kind: 'offer'; lowConfidenceStreak: 0 }
  | { kind: 'none'; lowConfidenceStreak: number };

export interface TurnInput {
  text: string;
  lang: Lang;
  reply: TurnReply;
  /** Low-confidence bot turns in a row before this one. */
  lowConfidenceStreak: number;
}

/** The escalation policy, in one place: what a shopper message plus the bot's reply mean for handoff. */
export function assessTurn(turn: TurnInput, options: { lowConfidenceStrikes: number }): PolicyDecision {
  const { reply } = turn;
  if (reply.action === 'escalate') {
    if (reply.reason === 'human-request' || reply.reason === 'complaint') {
      return { kind: 'escalate', reason: reply.reason, answerFirst: true, lowConfidenceStreak: 0 };
    }
    return { kind: 'escalate', reason: `faq:${reply.reason ?? reply.id ?? 'unknown'}`, answerFirst: true, lowConfidenceStreak: 0 };
  }
  // Anger outranks whatever the bot matched: an angry shopper should not get a FAQ and nothing else.
  if (readSentiment(turn.text, turn.lang).strongNegative) {
    return { kind: 'escalate', reason: 'negative-sentiment', answerFirst: false, lowConfidenceStreak: 0 };
  }
  const lowConfidence = reply.action === 'fallback' || reply.action === 'clarify';
  if (!lowConfidence) return { kind: 'none', lowConfidenceStreak: 0 };
  const streak = turn.lowConfidenceStreak + 1;
  if (streak >= options.lowConfidenceStrikes) return { kind: 'offer', lowConfidenceStreak: 0 };
  return { kind: 'none', lowConfidenceStreak: streak };
}

/** Choice ids of the "talk to a person?" offer; the shopper gateway routes them here, not to the engine. */
export const OFFER_ACCEPT = 'handoff:accept';
export const OFFER_DECLINE = 'handoff:decline';
/** Offered to a shopper left waiting with nobody online: leave a message instead. */
export const LEAVE_MESSAGE = 'handoff:leave_message';

const YES = /^(si+|sip|dale|ok|okay|vale|claro|por favor|porfa|yes|yeah|yep|sure|please)\b/;
const NO = /^(no+|nop|nel|no gracias|sigo|seguir|no thanks|nope)\b/;

/** A typed answer to a pending offer ("sí", "no gracias"); null when the text is something else. */
export function readOfferAnswer(normalizedText: string): 'accept' | 'decline' | null {
  if (NO.test(normalizedText)) return 'decline';
  if (YES.test(normalizedText)) return 'accept';
  return null;
}
