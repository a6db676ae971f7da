import { parseConfig, type MatchingConfig } from '../src/config';
import { decide } from '../src/dialogue';
import type { Lang, SynonymGroup } from '../src/knowledge/types';
import { buildMatcher } from '../src/matcher';
import type { Scored } from './evaluate';
import { entryOf as labelEntry, type Pair } from './methods';
import { round } from './stats';

export interface CrossValidation {
  folds: number;
  threshold: number;
  argmaxAccuracy: number;
  /** Held-out questions answered right at or above the threshold. */
  inScopeAccuracy: number;
  /** Of the held-out questions the matcher ranks right, the share at or above the threshold. */
  rightAnswered: number;
  /** Of those it ranks wrong, the share at or above the threshold (answered wrongly). */
  wrongAnswered: number;
  /** Confidence bands: how many held-out questions fall in each, and the share ranked right. */
  reliability: Array<{ from: number; to: number; count: number; right: number | null }>;
  /** What the dialogue does with the held-out questions (src/dialogue decide, default thresholds). */
  dialogue: { answeredRight: number; answeredWrong: number; clarifiedWithRight: number; clarifiedWithoutRight: number; fallback: number };
  /**
   * With out-of-scope questions (`outOfScope` given): every fold's matcher is also asked all of them.
   * `confidentWrong` is the share of all questions asked (in-scope and out-of-scope) answered with a
   * wrong entry; `inScopeServed` the share of in-scope questions answered right or offered as a choice.
   */
  outOfScope: {
    questions: number;
    answered: number;
    clarified: number;
    confidentWrong: number;
    inScopeServed: number;
    /**
     * Of all questions asked, the out-of-scope ones answered with the entry that handles the same request
     * in this knowledge base (another shop's "cancel my order" answered with this shop's CANCEL_ORDER),
     * by the `sameRequests` table; null without one.
     */
    answeredSameRequest: number | null;
  } | null;
}

/** A question none of the knowledge base's entries answers, and where it comes from ("curekart:CANCEL_ORDER"). */
export interface OutOfScopeQuestion {
  text: string;
  source: string;
}

const BANDS = [0, 0.2, 0.4, 0.5, 0.6, 0.8, 0.9, 1.0001];

/**
 * k-fold cross-validation of a small knowledge base with no out-of-scope examples (HINT3): every
 * example is held out once (example i is in fold i mod k) and asked of a matcher built from the rest.
 * Shows whether the default threshold means on a small knowledge base what it means on a large one.
 */
export interface CrossValidationOptions {
  /** Also asked of every fold's matcher. */
  outOfScope?: readonly OutOfScopeQuestion[];
  /** Whether an out-of-scope question from `source` answered with `entryId` got the entry for the same request. */
  sameRequest?: (entryId: string, source: string) => boolean;
  /** Instead of the configuration's defaults, to see what a shop trading answers for choices would get. */
  matching?: MatchingConfig;
  /** The knowledge base's synonyms (the shop's content has some; the data sets do not). */
  synonyms?: readonly SynonymGroup[];
}

export async function crossValidate(pairs: readonly Pair[], lang: Lang, folds: number, options: CrossValidationOptions = {}): Promise<CrossValidation> {
  const { outOfScope = [], sameRequest, matching = parseConfig().matching, synonyms } = options;
  const threshold = matching.answerThreshold;
  const scored: Scored[] = [];
  const actions = { answeredRight: 0, answeredWrong: 0, clarifiedWithRight: 0, clarifiedWithoutRight: 0, fallback: 0 };
  const entryOf = (id: string) => labelEntry(id, lang);
  const oos = { answered: 0, clarified: 0, sameRequest: 0 };
  for (let fold = 0; fold < folds; fold++) {
    const train = pairs.filter((_, i) => i % folds !== fold);
    const heldOut = pairs.filter((_, i) => i % folds === fold);
    const matcher = buildMatcher(train.map(([text, label]) => ({ text, label })), { lang, synonyms });
    for (const [text, gold] of heldOut) {
      const { candidates } = matcher.rank(text, 10);
      scored.push({ gold, prediction: { label: candidates[0]?.id ?? null, confidence: candidates[0]?.confidence ?? 0 } });
      const decision = decide(candidates, entryOf, matching);
      if (decision.action === 'answer') actions[decision.entry?.id === gold ? 'answeredRight' : 'answeredWrong']++;
      else if (decision.action === 'clarify') actions[decision.options.some((o) => o.id === gold) ? 'clarifiedWithRight' : 'clarifiedWithoutRight']++;
      else actions.fallback++;
    }
    for (const { text, source } of outOfScope) {
      const decision = decide(matcher.rank(text, 10).candidates, entryOf, matching);
      if (decision.action === 'answer') {
        oos.answered++;
        if (sameRequest?.(decision.entry!.id, source)) oos.sameRequest++;
      } else if (decision.action === 'clarify') oos.clarified++;
    }
  }
  const isRight = (s: Scored) => s.prediction.label === s.gold;
  const answered = (s: Scored) => s.prediction.label !== null && s.prediction.confidence >= threshold;
  const right = scored.filter(isRight);
  const wrong = scored.filter((s) => !isRight(s));
  const share = (part: number, whole: number) => (whole === 0 ? 0 : round(part / whole, 4));
  return {
    folds,
    threshold,
    argmaxAccuracy: share(right.length, scored.length),
    inScopeAccuracy: share(right.filter(answered).length, scored.length),
    rightAnswered: share(right.filter(answered).length, right.length),
    wrongAnswered: share(wrong.filter(answered).length, wrong.length),
    reliability: BANDS.slice(0, -1).map((from, i) => {
      const inBand = scored.filter((s) => s.prediction.confidence >= from && s.prediction.confidence < BANDS[i + 1]);
      return { from, to: Math.min(1, BANDS[i + 1]), count: inBand.length, right: inBand.length ? share(inBand.filter(isRight).length, inBand.length) : null };
    }),
    outOfScope: outOfScope.length
      ? {
          questions: outOfScope.length * folds,
          answered: share(oos.answered, outOfScope.length * folds),
          clarified: share(oos.clarified, outOfScope.length * folds),
          confidentWrong: share(actions.answeredWrong + oos.answered, scored.length + outOfScope.length * folds),
          inScopeServed: share(actions.answeredRight + actions.clarifiedWithRight, scored.length),
          answeredSameRequest: sameRequest ? share(oos.sameRequest, scored.length + outOfScope.length * folds) : null,
        }
      : null,
    dialogue: Object.fromEntries(Object.entries(actions).map(([action, count]) => [action, share(count, scored.length)])) as CrossValidation['dialogue'],
  };
}

export interface LabelsLeftOut {
  folds: number;
  threshold: number;
  /** Questions about labels left out of the build (out of scope to it): how many, and the share below the threshold. */
  leftOut: { questions: number; turnedAway: number; quantiles: Record<string, number> };
  /** Held-out questions about labels in the build: how many, ranked right, ranked right at or above the threshold. */
  heldOut: { questions: number; argmaxAccuracy: number; answeredRight: number };
}

/**
 * What the default threshold means on a knowledge base, from its own phrasings alone (no out-of-scope
 * examples needed): the labels are split in `folds` groups; each group is left out of a build in turn
 * and its questions asked of it (the hardest out-of-scope questions: neighbours of the same domain),
 * together with every `folds`-th question of the other labels, held out of that build (in scope).
 */
export async function leaveLabelsOut(pairs: readonly Pair[], lang: Lang, folds: number): Promise<LabelsLeftOut> {
  const threshold = parseConfig().matching.answerThreshold;
  const labels = [...new Set(pairs.map(([, label]) => label))];
  const leftOut: number[] = [];
  let heldOut = 0;
  let ranked = 0;
  let answered = 0;
  for (let fold = 0; fold < folds; fold++) {
    const out = new Set(labels.filter((_, i) => i % folds === fold));
    const train = pairs.filter(([, label], i) => !out.has(label) && i % folds !== fold);
    const matcher = buildMatcher(train.map(([text, label]) => ({ text, label })), { lang });
    pairs.forEach(([text, label], i) => {
      if (!out.has(label) && i % folds !== fold) return;
      const best = matcher.rank(text, 1).candidates[0];
      if (out.has(label)) return void leftOut.push(best?.confidence ?? 0);
      heldOut++;
      if (best?.id !== label) return;
      ranked++;
      if (best.confidence >= threshold) answered++;
    });
  }
  leftOut.sort((a, b) => a - b);
  const share = (part: number, whole: number) => (whole === 0 ? 0 : round(part / whole, 4));
  const quantile = (q: number) => leftOut[Math.min(leftOut.length - 1, Math.floor(q * leftOut.length))] ?? 0;
  return {
    folds,
    threshold,
    leftOut: {
      questions: leftOut.length,
      turnedAway: share(leftOut.filter((c) => c < threshold).length, leftOut.length),
      quantiles: Object.fromEntries([0.5, 0.7, 0.8, 0.9].map((q) => [`p${q * 100}`, quantile(q)])),
    },
    heldOut: { questions: heldOut, argmaxAccuracy: share(ranked, heldOut), answeredRight: share(answered, heldOut) },
  };
}
