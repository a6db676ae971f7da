import type { Analysis } from '../nlp';

/** A sparse vector: parallel arrays of feature ids and values. */
export interface SparseVector {
  indices: Int32Array;
  values: Float32Array;
}

/**
 * The three views of a message the matcher compares, each scaled to a fixed share of the vector so
 * that no view dominates by its size: stems (meaning), pairs of consecutive stems (word order: "cancel
 * order" is not "order cancel"), and character 3- and 4-grams inside words (inflections the stemmer
 * misses, spelling variants, leftover typos). Weights chosen on CLINC150's validation split.
 */
const VIEWS = [
  { name: 'stem', weight: 1 },
  { name: 'pair', weight: 0.8 },
  { name: 'chars', weight: 0.8 },
] as const;
const STEM = 0;
const PAIR = 1;
const CHARS = 2;
const VIEW_SEEDS = [0x9e3779b1, 0x85ebca6b, 0xc2b2ae35];
const CHAR_NGRAM_SIZES = [3, 4];
const WORD_START = 0x3c; // "<"
const WORD_END = 0x3e; // ">"

/**
 * Raw feature counts of one analysed text, one array per view of (key, count) pairs laid flat,
 * sorted by key. Features are keyed by a 30-bit hash of their text rather than the text itself:
 * building and looking up dozens of short strings per message would cost more than all the rest, and
 * a collision between two of some 10^5 features is rare and harmless. Flat arrays of small integers,
 * not maps or typed arrays, because a knowledge base of 15,000 phrasings holds 45,000 of them while it
 * is being built, and these are the cheapest for V8 to hold and then free.
 */
export type FeatureCounts = [number[], number[], number[]];

export function countFeatures(analysis: Analysis): FeatureCounts {
  const keys: [number[], number[], number[]] = [[], [], []];
  let previous = 0;
  analysis.stems.forEach((stem, i) => {
    const key = hashString(VIEW_SEEDS[STEM], stem);
    keys[STEM].push(key);
    if (i > 0) keys[PAIR].push(finish(Math.imul(previous ^ VIEW_SEEDS[PAIR], 0x27d4eb2d) ^ key));
    previous = key;
  });
  for (const word of analysis.words) {
    // The word framed as "<word>", so that n-grams at its edges differ from those inside.
    const framed = word.length + 2;
    const codeAt = (i: number) => (i === 0 ? WORD_START : i === framed - 1 ? WORD_END : word.charCodeAt(i - 1));
    for (const size of CHAR_NGRAM_SIZES) {
      for (let start = 0; start + size <= framed; start++) {
        let hash = VIEW_SEEDS[CHARS] ^ size;
        for (let i = start; i < start + size; i++) hash = Math.imul(hash ^ codeAt(i), 0x01000193);
        keys[CHARS].push(finish(hash));
      }
    }
  }
  return [tally(keys[STEM]), tally(keys[PAIR]), tally(keys[CHARS])];
}

/** Sorted keys with their counts, as flat (key, count) pairs. */
function tally(keys: number[]): number[] {
  keys.sort((a, b) => a - b);
  const pairs: number[] = [];
  for (let i = 0; i < keys.length; i++) {
    if (i > 0 && keys[i] === keys[i - 1]) pairs[pairs.length - 1]++;
    else pairs.push(keys[i], 1);
  }
  return pairs;
}

function hashString(seed: number, text: string): number {
  let hash = seed;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return finish(hash);
}

function finish(hash: number): number {
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  return hash & 0x3fffffff;
}

/**
 * The features of one knowledge base, weighted by inverse document frequency over its phrasings: a
 * feature found in few phrasings ("factura") weighs more than one found in many ("quiero").
 */
export class FeatureSpace {
  private readonly ids: Array<Map<number, number>> = [new Map(), new Map(), new Map()];
  private idf = new Float32Array(0);
  private unseenIdf = 1;

  constructor(examples: Iterable<FeatureCounts>) {
    const frequency: number[] = [];
    let documents = 0;
    for (const counts of examples) {
      documents++;
      counts.forEach((view, v) => {
        for (let k = 0; k < view.length; k += 2) {
          const key = view[k];
          const id = this.ids[v].get(key);
          if (id === undefined) {
            this.ids[v].set(key, frequency.length);
            frequency.push(1);
          } else {
            frequency[id]++;
          }
        }
      });
    }
    documents = Math.max(1, documents);
    this.idf = Float32Array.from(frequency, (count) => Math.log(1 + documents / count));
    this.unseenIdf = Math.log(1 + documents);
  }

  get size(): number {
    return this.idf.length;
  }

  /**
   * TF-IDF vector of the known features, each view scaled to its weight. Unknown features count
   * towards the length, so a message made mostly of words the knowledge base never uses scores low
   * against everything: that is how an out-of-scope question shows.
   */
  vectorize(counts: FeatureCounts): SparseVector {
    const indices: number[] = [];
    const values: number[] = [];
    let squaredLength = 0;
    counts.forEach((view, v) => {
      const ids = this.ids[v];
      const start = indices.length;
      let viewSquared = 0;
      for (let k = 0; k < view.length; k += 2) {
        const id = ids.get(view[k]);
        const tf = 1 + Math.log(view[k + 1]);
        const value = tf * (id === undefined ? this.unseenIdf : this.idf[id]);
        viewSquared += value * value;
        if (id === undefined) continue;
        indices.push(id);
        values.push(value);
      }
      if (viewSquared === 0) return;
      const scale = VIEWS[v].weight / Math.sqrt(viewSquared);
      for (let k = start; k < indices.length; k++) values[k] *= scale;
      squaredLength += VIEWS[v].weight ** 2;
    });
    const norm = Math.sqrt(squaredLength) || 1;
    return { indices: Int32Array.from(indices), values: Float32Array.from(values, (value) => value / norm) };
  }
}
