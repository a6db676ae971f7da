import type { MatchingConfig } from '../config';
import type { Action, ScoredCandidate } from '../engine/types';
import type { Entry } from '../knowledge/types';

/**
 * Which rule decided, for explanations (`atento ask` says it in words):
 * - `confident`: the best candidate cleared the answer threshold with no other entry close;
 * - `interrupt`: an escalating intent ("I want a person") cleared it close to the best;
 * - `close-rival`: the best cleared it, but another FAQ is within the clarify margin;
 * - `one-word`: the best cleared it on a single word of the message, barely, with a rival not far behind;
 * - `unsure`: the best is between the clarify and the answer thresholds;
 * - `nothing-close`: nothing cleared the clarify threshold, or only an intent (not worth a button);
 * - `picked`: the shopper picked the entry (a "did you mean…?" button or a suggestion), nothing was matched.
 */
export type DecisionRule = 'confident' | 'interrupt' | 'close-rival' | 'one-word' | 'unsure' | 'nothing-close' | 'picked';

export interface Decision {
  action: Action;
  /** The entry the action is about: answered, escalated, or the best clarify candidate. */
  entry: Entry | null;
  confidence: number;
  /** Clarify choices, best first. */
  options: Entry[];
  rule: DecisionRule;
}

/**
 * An answer resting on one word of the message needs this much more than the thresholds, on confidence
 * or on its lead over the runner-up: "a que hora abre el registro civil" (support-hours at 0.506, on
 * "hora" alone, a rival 0.175 behind) becomes a choice. Chosen on bench/data/shop-dev.tsv as the most
 * that keeps its in-scope answers unchanged ("size chart", 0.554 on "size", leads by 0.208): off-topic
 * answered 13 → 11 of 103; HINT3 confident wrong 0.5–0.8 points fewer (docs/performance.md, round 3).
 */
const ONE_WORD_EXTRA = 0.05;

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
    return { action: 'fallback', entry: null, confidence: top?.candidate.confidence ?? 0, options: [], rule: 'nothing-close' };
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
  if (interrupt) return { action: 'escalate', entry: interrupt.entry, confidence: interrupt.candidate.confidence, options: [], rule: 'interrupt' };

  // Only FAQs make sensible buttons: "Greeting" is not a question a shopper would pick.
  const close = scored.filter(
    ({ entry, candidate }) =>
      entry.kind === 'faq' &&
      candidate.confidence >= thresholds.clarifyThreshold &&
      top.candidate.confidence - candidate.confidence <= thresholds.clarifyMargin,
  );
  const closeRival = close.some(({ entry }) => entry.id !== top.entry.id);
  const rule = answerRule(top.candidate, scored[1]?.candidate, closeRival, thresholds);
  if (rule === 'confident') {
    return { action: top.entry.escalate ? 'escalate' : 'answer', entry: top.entry, confidence: top.candidate.confidence, options: [], rule };
  }
  if (close.length === 0) {
    // The best guess is an intent below the answer threshold: not worth a button.
    return { action: 'fallback', entry: null, confidence: top.candidate.confidence, options: [], rule: 'nothing-close' };
  }
  const options = close.slice(0, thresholds.maxOptions).map(({ entry }) => entry);
  return { action: 'clarify', entry: options[0], confidence: top.candidate.confidence, options, rule };
}

/** Whether the best candidate is answered, and if not, why. */
function answerRule(best: ScoredCandidate, runnerUp: ScoredCandidate | undefined, closeRival: boolean, thresholds: MatchingConfig): DecisionRule {
  if (best.confidence < thresholds.answerThreshold) return 'unsure';
  if (closeRival) return 'close-rival';
  const lead = best.confidence - (runnerUp?.confidence ?? 0);
  const thin =
    best.matched.length <= 1 &&
    best.confidence < thresholds.answerThreshold + ONE_WORD_EXTRA &&
    lead < thresholds.clarifyMargin + ONE_WORD_EXTRA;
  return thin ? 'one-word' : 'confident';
}
