import type { Analysis } from '../nlp';

/** A sparse vector: parallel arrays of feature indices and values. Unit length unless said otherwise. */
export interface SparseVector {
  indices: Int32Array;
  values: Float32Array;
}

/**
 * The three views of a message the matcher compares, each scaled so that no view dominates by its size:
 * stems (meaning), stem pairs (word order: "cancel order" is not "order cancel"), and character n-grams
 * inside words (spelling variants, inflections the stemmer misses, leftover typos).
 */
const VIEW_WEIGHTS = { stem: 1, pair: 0.6, chars: 0.8 } as const;
type View = keyof typeof VIEW_WEIGHTS;
const CHAR_NGRAM_SIZES = [3, 4, 5];

/** Raw feature counts of one analysed text, keyed by feature name, grouped by view. */
export type FeatureCounts = Record<View, Map<string, number>>;

export function countFeatures(analysis: Analysis): FeatureCounts {
  const counts: FeatureCounts = { stem: new Map(), pair: new Map(), chars: new Map() };
  const add = (view: View, key: string) => counts[view].set(key, (counts[view].get(key) ?? 0) + 1);
  const { stems, words } = analysis;
  stems.forEach((stem, i) => {
    add('stem', stem);
    if (i > 0) add('pair', `${stems[i - 1]} ${stem}`);
  });
  for (const word of words) {
    const padded = `<${word}>`;
    for (const size of CHAR_NGRAM_SIZES) {
      for (let start = 0; start + size <= padded.length; start++) add('chars', padded.slice(start, start + size));
    }
  }
  return counts;
}

/**
 * Features indexed over one knowledge base, with inverse label frequency: a feature found in the
 * phrasings of one label weighs more than one found in many ("factura" says more than "quiero").
 */
export class FeatureSpace {
  private readonly index = new Map<string, number>();
  private idf = new Float32Array(0);
  private unseenIdf = 1;

  /** Indexes the features of every example; `labelOf[i]` is example i's label index. */
  fit(examples: readonly FeatureCounts[], labelOf: readonly number[], labelCount: number): void {
    const labelsWith: number[][] = [];
    examples.forEach((counts, example) => {
      for (const view of Object.keys(VIEW_WEIGHTS) as View[]) {
        for (const key of counts[view].keys()) {
          const name = `${view}:${key}`;
          let id = this.index.get(name);
          if (id === undefined) {
            id = this.index.size;
            this.index.set(name, id);
            labelsWith.push([]);
          }
          const labels = labelsWith[id];
          if (labels[labels.length - 1] !== labelOf[example]) labels.push(labelOf[example]);
        }
      }
    });
    this.idf = new Float32Array(labelsWith.length);
    labelsWith.forEach((labels, id) => {
      this.idf[id] = Math.log(1 + labelCount / new Set(labels).size);
    });
    this.unseenIdf = Math.log(1 + labelCount);
  }

  get size(): number {
    return this.idf.length;
  }

  featureId(view: View, key: string): number | undefined {
    return this.index.get(`${view}:${key}`);
  }

  /**
   * TF-IDF vector of known features, unit length. Unknown features count towards the length, so a
   * message that is mostly new words scores low against everything (that is how out-of-scope shows).
   */
  vectorize(counts: FeatureCounts): SparseVector {
    const entries = new Map<number, number>();
    let squaredLength = 0;
    for (const view of Object.keys(VIEW_WEIGHTS) as View[]) {
      const weighted: Array<[number | undefined, number]> = [];
      let viewSquared = 0;
      for (const [key, count] of counts[view]) {
        const id = this.index.get(`${view}:${key}`);
        const value = (1 + Math.log(count)) * (id === undefined ? this.unseenIdf : this.idf[id]);
        weighted.push([id, value]);
        viewSquared += value * value;
      }
      if (viewSquared === 0) continue;
      const scale = VIEW_WEIGHTS[view] / Math.sqrt(viewSquared);
      for (const [id, value] of weighted) {
        const scaled = value * scale;
        squaredLength += scaled * scaled;
        if (id !== undefined) entries.set(id, (entries.get(id) ?? 0) + scaled);
      }
    }
    const norm = Math.sqrt(squaredLength) || 1;
    const indices = Int32Array.from(entries.keys());
    const values = Float32Array.from(entries.values(), (value) => value / norm);
    return { indices, values };
  }
}
