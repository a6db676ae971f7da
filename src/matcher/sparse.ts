import type { SparseVector } from './features';

/** Rows of sparse vectors stored column-wise (feature → rows holding it), to score a query against all rows at once. */
export class InvertedIndex {
  private readonly offsets: Int32Array;
  private readonly rows: Int32Array;
  private readonly values: Float32Array;

  constructor(
    vectors: readonly SparseVector[],
    featureCount: number,
    readonly rowCount = vectors.length,
  ) {
    const counts = new Int32Array(featureCount + 1);
    for (const vector of vectors) for (const id of vector.indices) counts[id + 1]++;
    for (let f = 0; f < featureCount; f++) counts[f + 1] += counts[f];
    this.offsets = counts.slice();
    const cursor = counts.slice();
    const total = this.offsets[featureCount];
    this.rows = new Int32Array(total);
    this.values = new Float32Array(total);
    vectors.forEach((vector, row) => {
      for (let k = 0; k < vector.indices.length; k++) {
        const at = cursor[vector.indices[k]]++;
        this.rows[at] = row;
        this.values[at] = vector.values[k];
      }
    });
  }

  /** Dot product of the query with every row, added into `scores` (length rowCount). */
  dotAll(query: SparseVector, scores: Float32Array): void {
    for (let k = 0; k < query.indices.length; k++) {
      const feature = query.indices[k];
      const weight = query.values[k];
      for (let at = this.offsets[feature]; at < this.offsets[feature + 1]; at++) scores[this.rows[at]] += weight * this.values[at];
    }
  }
}

/** The mean of some vectors, scaled to unit length. */
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
