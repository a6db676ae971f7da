import type { SparseVector } from './features';

/**
 * Sparse rows stored by feature (feature → the rows holding it, with their values), so that a query
 * is scored against every row by walking only the lists of its own features.
 */
export class InvertedIndex {
  readonly offsets: Int32Array;
  readonly rows: Int32Array;
  readonly values: Float32Array;

  constructor(vectors: readonly SparseVector[], featureCount: number) {
    const offsets = new Int32Array(featureCount + 1);
    for (const vector of vectors) for (const id of vector.indices) offsets[id + 1]++;
    for (let f = 0; f < featureCount; f++) offsets[f + 1] += offsets[f];
    const cursor = offsets.slice(0, featureCount);
    this.offsets = offsets;
    this.rows = new Int32Array(offsets[featureCount]);
    this.values = new Float32Array(offsets[featureCount]);
    vectors.forEach((vector, row) => {
      for (let k = 0; k < vector.indices.length; k++) {
        const at = cursor[vector.indices[k]]++;
        this.rows[at] = row;
        this.values[at] = vector.values[k];
      }
    });
  }

  /** How many stored values a query with these features walks through. */
  cost(vector: SparseVector): number {
    let total = 0;
    for (const feature of vector.indices) total += this.offsets[feature + 1] - this.offsets[feature];
    return total;
  }
}

/** The sum of some vectors, scaled to unit length. */
export function centroid(vectors: readonly SparseVector[]): SparseVector {
  const sum = new Map<number, number>();
  for (const vector of vectors) {
    for (let k = 0; k < vector.indices.length; k++) sum.set(vector.indices[k], (sum.get(vector.indices[k]) ?? 0) + vector.values[k]);
  }
  let squared = 0;
  for (const value of sum.values()) squared += value * value;
  const norm = Math.sqrt(squared) || 1;
  return { indices: Int32Array.from(sum.keys()), values: Float32Array.from(sum.values(), (value) => value / norm) };
}
