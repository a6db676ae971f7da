import type { SparseVector } from './features';
import { InvertedIndex, type SparseRows } from './sparse';

/**
 * Multinomial logistic regression whose weights are restricted to (feature, label) pairs seen together
 * in training: a label is scored only by features of its own phrasings. The model is then no bigger and
 * no slower to query than an inverted index of the phrasings, and a training step touches only the
 * labels sharing a feature with the example, so it scales to thousands of labels.
 */
export class SupportSoftmax {
  private readonly index: InvertedIndex;
  private readonly stamp: Int32Array;
  private readonly touched: Int32Array;
  private readonly scores: Float64Array;
  private readonly touchedScore: Float64Array;
  private generation = 0;

  /** `labelOf[i]` is the label index of example row i. */
  constructor(
    examples: SparseRows,
    labelOf: readonly number[],
    readonly labelCount: number,
    featureCount: number,
  ) {
    const members: number[][] = Array.from({ length: labelCount }, () => []);
    labelOf.forEach((label, row) => members[label].push(row));
    const scratch = new Float64Array(featureCount);
    // Training starts from a nearest-centroid matcher: weights = scaled centroids of each label.
    const centroids = members.map((rows) => examples.centroid(rows, scratch));
    this.index = new InvertedIndex(withoutCommonFeatures(centroids, featureCount), featureCount);
    for (let at = 0; at < this.index.values.length; at++) this.index.values[at] *= INITIAL_SCALE;
    this.stamp = new Int32Array(labelCount);
    this.touched = new Int32Array(labelCount);
    this.scores = new Float64Array(labelCount);
    this.touchedScore = new Float64Array(labelCount);
    this.train(examples, labelOf);
  }

  /**
   * Plain SGD on the cross-entropy loss, examples in a seeded order (same input, same model). Small
   * knowledge bases get more passes, so that a label learnt from 8 phrasings is as sure of itself as
   * one learnt from 100; a cap on the total work keeps huge knowledge bases within the build budget
   * (fewer passes, or none).
   */
  private train(examples: SparseRows, labelOf: readonly number[]): void {
    const count = examples.length;
    if (count === 0) return;
    const { offsets: rowStart, indices, values: features } = examples;
    const workPerEpoch = this.index.cost(indices, 0, indices.length);
    const wanted = Math.min(MAX_EPOCHS, Math.max(MIN_EPOCHS, Math.ceil(TARGET_STEPS / count)));
    const epochs = Math.min(wanted, Math.floor(WORK_BUDGET / Math.max(1, workPerEpoch)));
    if (epochs === 0) {
      // Too big to train in time (10,000 FAQs): keep the nearest-centroid matcher, its scores spread
      // like a trained model's so that the answer threshold keeps its meaning (checked on CLINC150 val).
      for (let at = 0; at < this.index.values.length; at++) this.index.values[at] *= UNTRAINED_SCALE;
      return;
    }
    const order = Int32Array.from({ length: count }, (_, i) => i);
    const random = mulberry32(SEED);
    const gradient = new Float64Array(this.labelCount);
    const { offsets, rows, values } = this.index;
    for (let epoch = 0; epoch < epochs; epoch++) {
      shuffle(order, random);
      const rate = LEARNING_RATE / (1 + DECAY * epoch);
      for (const example of order) {
        const from = rowStart[example];
        const to = rowStart[example + 1];
        const touched = this.scoreRange(indices, features, from, to);
        let max = 0;
        for (let k = 0; k < touched; k++) max = Math.max(max, this.scores[this.touched[k]]);
        // Labels sharing no feature with the example score 0: they still take their share.
        let total = (this.labelCount - touched) * Math.exp(-max);
        for (let k = 0; k < touched; k++) total += Math.exp(this.scores[this.touched[k]] - max);
        for (let k = 0; k < touched; k++) {
          const label = this.touched[k];
          gradient[label] = Math.exp(this.scores[label] - max) / total - (label === labelOf[example] ? 1 : 0);
        }
        for (let k = from; k < to; k++) {
          const feature = indices[k];
          const step = rate * features[k];
          for (let at = offsets[feature]; at < offsets[feature + 1]; at++) values[at] -= step * gradient[rows[at]];
        }
      }
    }
  }

  /**
   * Scores the labels sharing a feature with the query and returns how many there are; read them with
   * `touchedLabel(k)` and `touchedScores()[k]`. Every other label scores 0.
   */
  score(query: SparseVector): number {
    const count = this.scoreRange(query.indices, query.values, 0, query.indices.length);
    for (let k = 0; k < count; k++) this.touchedScore[k] = this.scores[this.touched[k]];
    return count;
  }

  private scoreRange(indices: Int32Array, weights: Float32Array, from: number, to: number): number {
    const { offsets, rows, values } = this.index;
    const { stamp, scores, touched } = this;
    const generation = ++this.generation;
    let count = 0;
    for (let k = from; k < to; k++) {
      const feature = indices[k];
      const weight = weights[k];
      // Read once: V8 cannot tell that the writes to `stamp` leave `offsets` unchanged.
      const end = offsets[feature + 1];
      for (let at = offsets[feature]; at < end; at++) {
        const label = rows[at];
        if (stamp[label] !== generation) {
          stamp[label] = generation;
          scores[label] = 0;
          touched[count++] = label;
        }
        scores[label] += weight * values[at];
      }
    }
    return count;
  }

  touchedLabel(k: number): number {
    return this.touched[k];
  }

  /** The scores of the labels the last `score` touched, in `touchedLabel` order (read-only, valid until the next `score`). */
  touchedScores(): Float64Array {
    return this.touchedScore;
  }
}

/**
 * Drops features that thousands of labels share (character n-grams such as "<th" or "ion>" in a
 * knowledge base of 10,000 FAQs): walking their long lists would be most of the work of training and of
 * every query. Below that scale they stay: on CLINC150 even features shared by most of the 150 intents
 * are worth 2 points of accuracy.
 */
function withoutCommonFeatures(vectors: SparseVector[], featureCount: number): SparseVector[] {
  const labelsWith = new Int32Array(featureCount);
  for (const vector of vectors) for (const feature of vector.indices) labelsWith[feature]++;
  const limit = MAX_LABELS_PER_FEATURE;
  if (vectors.length <= limit) return vectors;
  return vectors.map((vector) => {
    const keep = [...vector.indices.keys()].filter((k) => labelsWith[vector.indices[k]] <= limit);
    return { indices: Int32Array.from(keep, (k) => vector.indices[k]), values: Float32Array.from(keep, (k) => vector.values[k]) };
  });
}

// Chosen on CLINC150's validation split (see docs/performance.md).
const INITIAL_SCALE = 10;
const LEARNING_RATE = 6;
const DECAY = 0.3;
const MIN_EPOCHS = 5;
const MAX_EPOCHS = 60;
const TARGET_STEPS = 30_000;
/** Weight updates allowed in training, about 2.5 s on one core; CLINC150's 15,000 phrasings need 370 million. */
const WORK_BUDGET = 400_000_000;
const UNTRAINED_SCALE = 3;
const SEED = 1;
const MAX_LABELS_PER_FEATURE = 1000;

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle(items: Int32Array, random: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const swap = items[i];
    items[i] = items[j];
    items[j] = swap;
  }
}
