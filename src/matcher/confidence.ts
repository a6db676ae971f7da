import type { SparseVector } from './features';
import type { SupportSoftmax } from './softmax';

/**
 * The probability of a label is normalized over at most this many labels, the best-scoring ones: with
 * 10,000 FAQs, the thousands that share only a common syllable with the message must not dilute the
 * confidence of the one that matches, or the same answer threshold would mean less on a large knowledge
 * base than on CLINC150's 150 intents, where it was chosen.
 */
const COMPETITORS = 150;
/**
 * And over at least this many, labels a small knowledge base lacks counting as labels that share
 * nothing with the message (score 0). With 20 FAQs, an off-topic question that shares a word or two
 * with one of them would otherwise get most of the probability, simply for lack of rivals. Chosen on
 * knowledge bases of 20 and 50 CLINC150 intents, where questions about the other intents are out of
 * scope: out-of-scope recall at 0.5 rises from 34–36 % to 47–64 %, close to the 57 % of all 150, while
 * fb-mtod-es (12 intents) stays at 98 % (see docs/performance.md).
 */
const MIN_COMPETITORS = 100;

export interface RankedLabel {
  label: number;
  /** The label's probability among its competitors, times a power of the share of the message that is known. */
  probability: number;
}

/**
 * Confidence shown to the dialogue: `probability ** CONFIDENCE_EXPONENT`. A monotone rescaling only,
 * chosen so that 0.5 (the default answer threshold) falls where, on CLINC150's validation split, at
 * least 92 % of in-scope questions are answered right while at least half of the out-of-scope ones
 * are turned away, and fb-mtod-es's validation split stays at 98 % (probability 0.04, the middle of
 * the range where both hold; see docs/performance.md). It keeps the order of candidates and maps 0 to
 * 0 and 1 to 1.
 */
export const CONFIDENCE_EXPONENT = Math.log(0.5) / Math.log(0.04);

/**
 * How much the words the knowledge base has never seen weigh: the probability is multiplied by
 * `wordCoverage ** WORD_COVERAGE_EXPONENT` (see `rankByProbability`). Squared, a question with two of
 * its three content words known keeps 44 % of its probability ("a que *hora cierra* la farmacia"), one
 * with one of three ("como *cambio* la llanta del carro") a ninth. The feature share, which
 * character n-grams inflate ("gimnasio" shares "<gi" and "sio>" with known words), counts only by its
 * square root. Chosen on CLINC150's and fb-mtod-es's validation splits together with the rescaling
 * above, then checked on the shop's development questions (bench/data/shop-dev.tsv): out-of-scope
 * questions answered 8 of 41 → 5, in-scope answers unchanged.
 */
const WORD_COVERAGE_EXPONENT = 2;
const FEATURE_SHARE_EXPONENT = 0.5;

export function confidenceOf(probability: number): number {
  return probability <= 0 ? 0 : Math.min(1, probability ** CONFIDENCE_EXPONENT);
}

/**
 * The `limit` most probable labels, best first (ties by label order, so results are stable).
 * `wordCoverage`: the share of the message's content words that some phrasing uses, in [0, 1] (1 when
 * it has none); a typo repaired to a known word counts as known.
 */
export function rankByProbability(model: SupportSoftmax, query: SparseVector, limit: number, wordCoverage = 1): RankedLabel[] {
  if (!(limit >= 1)) return [];
  const count = model.score(query);
  const scores = model.touchedScores();
  const competitors = Math.max(MIN_COMPETITORS, Math.min(model.labelCount, COMPETITORS));
  // Only the `competitors` best scores enter the normalization; past that, a cut-off score.
  const floor = count > competitors ? kthLargest(scores.slice(0, count), competitors) : -Infinity;
  let max = 0;
  for (let k = 0; k < count; k++) max = Math.max(max, scores[k]);
  let considered = 0;
  let total = 0;
  for (let k = 0; k < count; k++) {
    if (scores[k] < floor || considered === competitors) continue;
    considered++;
    total += Math.exp(scores[k] - max);
  }
  // Labels sharing no feature with the message score 0 and still compete.
  total += (competitors - considered) * Math.exp(-max);

  // Keep the `limit` best in a small sorted array: cheaper than sorting every touched label.
  const best: Array<{ label: number; score: number }> = [];
  for (let k = 0; k < count; k++) {
    const label = model.touchedLabel(k);
    const score = scores[k];
    if (best.length === limit && !outranks(label, score, best[limit - 1])) continue;
    let at = best.length === limit ? limit - 1 : best.length;
    while (at > 0 && outranks(label, score, best[at - 1])) {
      best[at] = best[at - 1];
      at--;
    }
    best[at] = { label, score };
  }
  // The share of the message the knowledge base knows, by its words and by its features (the squared
  // length of the query's known features): a question whose words no phrasing uses ("who won last
  // night's game", "a que hora abre el gimnasio") is out of scope even if its known words point one way.
  let known = 0;
  for (const value of query.values) known += value * value;
  const knownShare = Math.min(1, known) ** FEATURE_SHARE_EXPONENT * Math.min(1, wordCoverage) ** WORD_COVERAGE_EXPONENT;
  return best.map(({ label, score }) => ({ label, probability: (Math.exp(score - max) / total) * knownShare }));
}

function outranks(label: number, score: number, other: { label: number; score: number }): boolean {
  return score > other.score || (score === other.score && label < other.label);
}

/** The k-th largest value (1-based); reorders `values`. */
function kthLargest(values: Float64Array, k: number): number {
  let low = 0;
  let high = values.length - 1;
  const target = k - 1;
  while (low < high) {
    const pivot = values[(low + high) >> 1];
    let i = low;
    let j = high;
    while (i <= j) {
      while (values[i] > pivot) i++;
      while (values[j] < pivot) j--;
      if (i <= j) {
        const swap = values[i];
        values[i] = values[j];
        values[j] = swap;
        i++;
        j--;
      }
    }
    if (target <= j) high = j;
    else if (target >= i) low = i;
    else break;
  }
  return values[target];
}
