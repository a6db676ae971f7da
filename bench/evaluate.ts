import type { MatchingConfig } from '../src/config';
import type { Classifier, Pair, Prediction } from './methods';
import { percentile, round } from './stats';

export const OUT_OF_SCOPE = 'oos';

export interface Scored {
  gold: string;
  prediction: Prediction;
}

export interface Metrics {
  threshold: number;
  /** In-scope questions answered with the right label at or above the threshold (Larson et al. 2019). */
  inScopeAccuracy: number;
  /** Out-of-scope questions turned away (below the threshold); null when the set has none. */
  oosRecall: number | null;
  /** Of the questions turned away, the share that were out of scope; null when the set has none. */
  oosPrecision: number | null;
}

export interface Timed {
  scored: Scored[];
  latenciesMs: number[];
}

/** Classifies every example, timing each call. */
export async function classifyAll(classifier: Classifier, examples: readonly Pair[]): Promise<Timed> {
  const scored: Scored[] = [];
  const latenciesMs: number[] = [];
  for (const [text, gold] of examples) {
    const start = performance.now();
    const pending = classifier.classify(text);
    const prediction = pending instanceof Promise ? await pending : pending;
    latenciesMs.push(performance.now() - start);
    scored.push({ gold, prediction });
  }
  return { scored, latenciesMs };
}

export function metricsAt(scored: readonly Scored[], threshold: number): Metrics {
  const inScope = scored.filter((s) => s.gold !== OUT_OF_SCOPE);
  const outOfScope = scored.filter((s) => s.gold === OUT_OF_SCOPE);
  const answered = (s: Scored) => s.prediction.label !== null && s.prediction.confidence >= threshold;
  const right = inScope.filter((s) => answered(s) && s.prediction.label === s.gold).length;
  const turnedAway = scored.filter((s) => !answered(s));
  return {
    threshold: round(threshold, 4),
    inScopeAccuracy: round(right / Math.max(1, inScope.length), 4),
    oosRecall: outOfScope.length ? round(outOfScope.filter((s) => !answered(s)).length / outOfScope.length, 4) : null,
    oosPrecision: outOfScope.length
      ? round(turnedAway.filter((s) => s.gold === OUT_OF_SCOPE).length / Math.max(1, turnedAway.length), 4)
      : null,
  };
}

/**
 * What the dialogue does with the questions (src/dialogue `decide`): Larson et al.'s protocol above
 * looks at the best candidate's confidence only, while the bot also holds back an answer when another
 * entry is close (it offers both as choices). In-scope shares are of in-scope questions, out-of-scope of
 * out-of-scope ones; null when the set has none.
 */
export interface DialogueMetrics {
  answeredRight: number;
  /** Answered right, or the right label offered among the choices. */
  answeredOrOffered: number;
  answeredWrong: number;
  oosAnswered: number | null;
  oosOffered: number | null;
}

export function dialogueMetrics(classifier: Classifier, examples: readonly Pair[], matching: MatchingConfig): DialogueMetrics | null {
  const respond = classifier.respond;
  if (!respond) return null;
  const count = { right: 0, offered: 0, wrong: 0, inScope: 0, oosAnswered: 0, oosOffered: 0, outOfScope: 0 };
  for (const [text, gold] of examples) {
    const { action, label, options } = respond.call(classifier, text, matching);
    if (gold === OUT_OF_SCOPE) {
      count.outOfScope++;
      if (action === 'answer') count.oosAnswered++;
      else if (action === 'clarify') count.oosOffered++;
      continue;
    }
    count.inScope++;
    if (action === 'answer') count[label === gold ? 'right' : 'wrong']++;
    else if (action === 'clarify' && options.includes(gold)) count.offered++;
  }
  const share = (part: number, whole: number) => round(part / Math.max(1, whole), 4);
  return {
    answeredRight: share(count.right, count.inScope),
    answeredOrOffered: share(count.right + count.offered, count.inScope),
    answeredWrong: share(count.wrong, count.inScope),
    oosAnswered: count.outOfScope ? share(count.oosAnswered, count.outOfScope) : null,
    oosOffered: count.outOfScope ? share(count.oosOffered, count.outOfScope) : null,
  };
}

/** Accuracy on in-scope questions with no threshold at all. */
export function argmaxAccuracy(scored: readonly Scored[]): number {
  const inScope = scored.filter((s) => s.gold !== OUT_OF_SCOPE);
  return round(inScope.filter((s) => s.prediction.label === s.gold).length / Math.max(1, inScope.length), 4);
}

/**
 * The threshold that maximizes in-scope accuracy + out-of-scope recall on a validation set (in-scope
 * accuracy alone when it has no out-of-scope examples), as MEASURED.md and issue 3 do.
 */
export function tuneThreshold(scored: readonly Scored[]): number {
  const candidates = [0, ...new Set(scored.map((s) => s.prediction.confidence))].sort((a, b) => a - b);
  let best = { threshold: 0, value: -Infinity };
  for (const threshold of candidates) {
    const m = metricsAt(scored, threshold);
    const value = m.inScopeAccuracy + (m.oosRecall ?? 0);
    if (value > best.value + 1e-12) best = { threshold, value };
  }
  return best.threshold;
}

export function latencySummary(latenciesMs: number[]): { p50Ms: number; p99Ms: number } {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  return { p50Ms: round(percentile(sorted, 0.5), 4), p99Ms: round(percentile(sorted, 0.99), 4) };
}

/** Every n-th example, so that a slow method sees at most `limit` of them, the same ones on every run. */
export function sample(examples: readonly Pair[], limit: number): Pair[] {
  if (examples.length <= limit) return [...examples];
  const step = examples.length / limit;
  return Array.from({ length: limit }, (_, i) => examples[Math.floor(i * step)]);
}
