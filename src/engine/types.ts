import type { DecisionRule } from '../dialogue';
import type { Entry, Lang } from '../knowledge/types';

export type Action = 'answer' | 'clarify' | 'escalate' | 'fallback';

export interface ScoredCandidate {
  id: string;
  confidence: number;
  /** Query terms (after normalization, synonyms and typo repair) that this candidate matched. */
  matched: string[];
  /**
   * Content words of the query that this candidate's phrasings never use: the shop's words for other
   * entries' topics, or words no entry knows. The more of the topic lies there, the lower the confidence.
   */
  elsewhere?: string[];
}

export interface Choice {
  id: string;
  /** The entry's main question, in the reply's language. */
  label: string;
}

/** What the bot does with one shopper message. Pure data: channels render it, the store records it. */
export interface Reply {
  action: Action;
  lang: Lang;
  /** The FAQ or intent chosen; for escalate, what triggered it; for clarify, the best candidate. */
  id: string | null;
  kind: Entry['kind'] | null;
  confidence: number;
  /** Markdown shown to the shopper (answer, clarify prompt, fallback or hand-off message). */
  text: string;
  /** Clarify choices, shown as buttons. */
  options: Choice[];
  /** Follow-up suggestions from the entry's `related` ids. */
  related: Choice[];
  /** Why the bot hands off (escalate only): the intent or FAQ id, e.g. "human-request", "double-charge". */
  reason: string | null;
  candidates: ScoredCandidate[];
  explanation: Explanation;
}

/**
 * What a shopper's turn needs of a reply: the candidates and the explanation are for editors' tools
 * (`atento ask`, the knowledge page), and the engine thread does not send them over.
 */
export type TurnReply = Omit<Reply, 'candidates' | 'explanation'>;

export interface Explanation {
  /** The message after normalization (case, accents, emoji, repeated letters). */
  normalized: string;
  /** Typo repairs, e.g. { from: "reembolzo", to: "reembolso" }. */
  corrections: Array<{ from: string; to: string }>;
  /**
   * Content words of the message that no entry's phrasings use ("policia" for a shop): every candidate is
   * less sure for them, the more so the larger their share of the message.
   */
  unknownWords?: string[];
  /** Which rule of the dialogue decided (src/dialogue/decide.ts `DecisionRule`). */
  rule?: DecisionRule;
  /** How the language was chosen. */
  language: { detected: Lang | null; used: Lang };
}

export interface RespondContext {
  /** Language the shopper or page asked for; wins only when the message itself is not clearly in a language. */
  lang?: Lang;
  /** false: the text is known to be in `lang` (e.g. `classify` input with a "lang" field); skip detection. */
  detect?: boolean;
}
