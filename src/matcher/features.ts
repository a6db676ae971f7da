import { LONGEST_REMEMBERED_WORD, type Analysis } from '../nlp';

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
 * Raw feature counts of one analysed text: each view's distinct keys, sorted, with how often each occurs;
 * view v is `keys[ends[v - 1] .. ends[v])` (from 0 for the first). Features are keyed by a 30-bit hash of
 * their text rather than the text itself: building and looking up dozens of short strings per message
 * would cost more than all the rest, and a collision between two of some 10^5 features is rare and
 * harmless.
 */
export interface FeatureCounts {
  readonly keys: Int32Array;
  readonly counts: Int32Array;
  readonly ends: readonly [number, number, number];
}

/** Enough words for any knowledge base's vocabulary plus a busy day's typos; cleared when full. */
const WORD_CACHE_LIMIT = 20_000;

/**
 * Counts the features of one text at a time into buffers it reuses: the counts it returns are valid until
 * its next `count`. A message's words repeat from message to message, so each word's character n-grams
 * are hashed once.
 */
export class FeatureCounter {
  private keys = new Int32Array(256);
  private counts = new Int32Array(256);
  private readonly ends: [number, number, number] = [0, 0, 0];
  private readonly charKeysOf = new Map<string, Int32Array>();

  count(analysis: Analysis): FeatureCounts {
    const { words, stems } = analysis;
    let needed = 2 * stems.length;
    const charKeys = words.map((word) => {
      const keys = this.charKeys(word);
      needed += keys.length;
      return keys;
    });
    if (needed > this.keys.length) {
      this.keys = new Int32Array(2 * needed);
      this.counts = new Int32Array(2 * needed);
    }
    const keys = this.keys;
    let size = 0;
    for (let i = 0; i < stems.length; i++) keys[size++] = hashString(VIEW_SEEDS[STEM], stems[i]);
    const pairsFrom = size;
    for (let i = 1; i < stems.length; i++) keys[size++] = finish(Math.imul(keys[i - 1] ^ VIEW_SEEDS[PAIR], 0x27d4eb2d) ^ keys[i]);
    const charsFrom = size;
    for (const wordKeys of charKeys) {
      keys.set(wordKeys, size);
      size += wordKeys.length;
    }
    this.ends[STEM] = this.tally(0, pairsFrom, 0);
    this.ends[PAIR] = this.tally(pairsFrom, charsFrom, this.ends[STEM]);
    this.ends[CHARS] = this.tally(charsFrom, size, this.ends[PAIR]);
    return { keys: this.keys, counts: this.counts, ends: this.ends };
  }

  /** Sorts `keys[from..to)` and writes each distinct key once, with its count, from `at` on; returns where it stopped. */
  private tally(from: number, to: number, at: number): number {
    const { keys, counts } = this;
    // Without a comparator a typed array sorts numerically; keys are non-negative.
    keys.subarray(from, to).sort();
    for (let i = from; i < to; i++) {
      if (i > from && keys[i] === keys[i - 1]) {
        counts[at - 1]++;
      } else {
        keys[at] = keys[i];
        counts[at++] = 1;
      }
    }
    return at;
  }

  /** The character 3- and 4-grams of a word framed as "<word>", so that n-grams at its edges differ from those inside. */
  private charKeys(word: string): Int32Array {
    const known = this.charKeysOf.get(word);
    if (known) return known;
    const framed = word.length + 2;
    const codeAt = (i: number) => (i === 0 ? WORD_START : i === framed - 1 ? WORD_END : word.charCodeAt(i - 1));
    const keys: number[] = [];
    for (const size of CHAR_NGRAM_SIZES) {
      for (let start = 0; start + size <= framed; start++) {
        let hash = VIEW_SEEDS[CHARS] ^ size;
        for (let i = start; i < start + size; i++) hash = Math.imul(hash ^ codeAt(i), 0x01000193);
        keys.push(finish(hash));
      }
    }
    const result = Int32Array.from(keys);
    if (word.length > LONGEST_REMEMBERED_WORD) return result;
    if (this.charKeysOf.size >= WORD_CACHE_LIMIT) this.charKeysOf.clear();
    this.charKeysOf.set(word, result);
    return result;
  }
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
  private readonly ids = new FeatureIds();
  private idf = new Float32Array(0);
  private unseenIdf = 1;
  // Scratch for `vectorize`, grown as needed.
  private indices = new Int32Array(256);
  private values = new Float64Array(256);
  private rounded = new Float32Array(256);

  constructor(examples: Iterable<FeatureCounts>) {
    const frequency: number[] = [];
    let documents = 0;
    for (const { keys, ends } of examples) {
      documents++;
      let k = 0;
      for (let v = 0; v < ends.length; v++) {
        for (; k < ends[v]; k++) {
          const key = viewKey(v, keys[k]);
          const id = this.ids.get(key);
          if (id < 0) {
            this.ids.add(key, frequency.length);
            frequency.push(1);
          } else {
            frequency[id]++;
          }
        }
      }
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
   * against everything: that is how an out-of-scope question shows. The vector lives in buffers the
   * next call overwrites: use or copy it first (a message's vector is used once, a phrasing's copied).
   */
  vectorize({ keys, counts, ends }: FeatureCounts): SparseVector {
    if (this.indices.length < ends[CHARS]) {
      this.indices = new Int32Array(2 * ends[CHARS]);
      this.values = new Float64Array(2 * ends[CHARS]);
      this.rounded = new Float32Array(2 * ends[CHARS]);
    }
    const { indices, values } = this;
    let size = 0;
    let squaredLength = 0;
    let k = 0;
    for (let v = 0; v < ends.length; v++) {
      const start = size;
      let viewSquared = 0;
      for (; k < ends[v]; k++) {
        const id = this.ids.get(viewKey(v, keys[k]));
        // Most features occur once, and 1 + log(1) is exactly 1.
        const tf = counts[k] === 1 ? 1 : 1 + Math.log(counts[k]);
        const value = tf * (id < 0 ? this.unseenIdf : this.idf[id]);
        viewSquared += value * value;
        if (id < 0) continue;
        indices[size] = id;
        values[size++] = value;
      }
      if (viewSquared === 0) continue;
      const scale = VIEWS[v].weight / Math.sqrt(viewSquared);
      for (let at = start; at < size; at++) values[at] *= scale;
      squaredLength += VIEWS[v].weight ** 2;
    }
    const norm = Math.sqrt(squaredLength) || 1;
    const rounded = this.rounded;
    for (let at = 0; at < size; at++) rounded[at] = values[at] / norm;
    return { indices: indices.subarray(0, size), values: rounded.subarray(0, size) };
  }
}

/** A feature's key in one table for all views: its view in the top two bits (the hashes have 30). */
function viewKey(view: number, key: number): number {
  return key | (view << 30);
}

const NO_KEY = -1; // view 3, which does not exist

/**
 * Feature key → feature id, an open-addressing table over typed arrays: a message looks up about a
 * hundred keys, and a Map's lookups were most of the time it took to vectorize one.
 */
class FeatureIds {
  private keys = new Int32Array(1024).fill(NO_KEY);
  private ids = new Int32Array(1024);
  private shift = 32 - 10;
  private size = 0;

  /** The key's id, or -1. */
  get(key: number): number {
    const mask = this.keys.length - 1;
    for (let slot = Math.imul(key, 0x9e3779b1) >>> this.shift; ; slot = (slot + 1) & mask) {
      const found = this.keys[slot];
      if (found === key) return this.ids[slot];
      if (found === NO_KEY) return -1;
    }
  }

  /** Adds a key not in the table. */
  add(key: number, id: number): void {
    if (2 * (this.size + 1) > this.keys.length) this.grow();
    this.place(key, id);
    this.size++;
  }

  private place(key: number, id: number): void {
    const mask = this.keys.length - 1;
    let slot = Math.imul(key, 0x9e3779b1) >>> this.shift;
    while (this.keys[slot] !== NO_KEY) slot = (slot + 1) & mask;
    this.keys[slot] = key;
    this.ids[slot] = id;
  }

  private grow(): void {
    const { keys, ids } = this;
    this.keys = new Int32Array(2 * keys.length).fill(NO_KEY);
    this.ids = new Int32Array(2 * keys.length);
    this.shift--;
    for (let slot = 0; slot < keys.length; slot++) if (keys[slot] !== NO_KEY) this.place(keys[slot], ids[slot]);
  }
}
