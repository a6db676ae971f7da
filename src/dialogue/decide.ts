import type { MatchingConfig } from '../config';
import type { Action, ScoredCandidate } from '../engine/types';
import type { Entry } from '../knowledge/types';

export interface Decision {
  action: Action;
  /** The entry the action is about: answered, escalated, or the best clarify candidate. */
  entry: Entry | null;
  confidence: number;
  /** Clarify choices, best first. */
  options: Entry[];
}

/**
 * Turns ranked candidates into an action. Escalating intents ("I want a person", complaints) work like
 * interrupts: they win when they clear the answer threshold close to the best, even if a FAQ ranks higher.
 */
export function decide(candidates: ScoredCandidate[], lookup: (id: string) => Entry | undefined, thresholds: MatchingConfig): Decision {
  const scored = candidates
    .map((candidate) => ({ candidate, entry: lookup(candidate.id) }))
    .filter((item): item is { candidate: ScoredCandidate; entry: Entry } => item.entry !== undefined);
  const top = scored[0];
  if (!top || top.candidate.confidence < thresholds.clarifyThreshold) {
    return { action: 'fallback', entry: null, confidence: top?.candidate.confidence ?? 0, options: [] };
  }

  // An interrupt needs words of its own ("persona", "queja") and must be near the best candidate:
  // a question the bot can answer well is not handed off on a vague resemblance.
  const interrupt = scored.find(
    ({ entry, candidate }) =>
      entry.kind === 'intent' &&
      entry.escalate &&
      candidate.matched.length > 0 &&
      candidate.confidence >= thresholds.answerThreshold &&
      top.candidate.confidence - candidate.confidence <= thresholds.clarifyMargin,
  );
  if (interrupt) return { action: 'escalate', entry: interrupt.entry, confidence: interrupt.candidate.confidence, options: [] };

  // Only FAQs make sensible buttons: "Greeting" is not a question a shopper would pick.
  const close = scored.filter(
    ({ entry, candidate }) =>
      entry.kind === 'faq' &&
      candidate.confidence >= thresholds.clarifyThreshold &&
      top.candidate.confidence - candidate.confidence <= thresholds.clarifyMargin,
  );
  const confident = top.candidate.confidence >= thresholds.answerThreshold;
  const closeRivals = close.filter(({ entry }) => entry.id !== top.entry.id);
  if (confident && closeRivals.length === 0) {
    return { action: top.entry.escalate ? 'escalate' : 'answer', entry: top.entry, confidence: top.candidate.confidence, options: [] };
  }
  if (close.length === 0) {
    // The best guess is an intent below the answer threshold: not worth a button.
    return { action: 'fallback', entry: null, confidence: top.candidate.confidence, options: [] };
  }
  const options = close.slice(0, thresholds.maxOptions).map(({ entry }) => entry);
  return { action: 'clarify', entry: options[0], confidence: top.candidate.confidence, options };
}
