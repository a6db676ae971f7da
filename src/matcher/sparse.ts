import type { SparseVector } from './features';

/**
 * Many sparse vectors packed into three flat arrays (row i is `indices`/`values` from `offsets[i]` to
 * `offsets[i + 1]`): 15,000 phrasings as 30,000 small typed arrays would cost more memory than the
 * numbers they hold.
 */
export class SparseRows {
  readonly offsets: Int32Array;
  readonly indices: Int32Array;
  readonly values: Float32Array;

  constructor(rows: Iterable<SparseVector>) {
    const offsets = [0];
    let indices = new Int32Array(1024);
    let values = new Float32Array(1024);
    let size = 0;
    for (const row of rows) {
      if (size + row.indices.length > indices.length) {
        const capacity = Math.max(indices.length * 2, size + row.indices.length);
        indices = grow(indices, new Int32Array(capacity));
        values = grow(values, new Float32Array(capacity));
      }
      indices.set(row.indices, size);
      values.set(row.values, size);
      size += row.indices.length;
      offsets.push(size);
    }
    this.offsets = Int32Array.from(offsets);
    this.indices = indices.slice(0, size);
    this.values = values.slice(0, size);
  }

  get length(): number {
    return this.offsets.length - 1;
  }

  /** The normalized sum of the given rows (a label's centroid); `scratch` is zeroed, of the feature count. */
  centroid(rows: readonly number[], scratch: Float64Array): SparseVector {
    const seen: number[] = [];
    for (const row of rows) {
      for (let k = this.offsets[row]; k < this.offsets[row + 1]; k++) {
        const feature = this.indices[k];
        if (scratch[feature] === 0) seen.push(feature);
        scratch[feature] += this.values[k];
      }
    }
    let squared = 0;
    for (const feature of seen) squared += scratch[feature] ** 2;
    const norm = Math.sqrt(squared) || 1;
    seen.sort((a, b) => a - b);
    const vector = { indices: Int32Array.from(seen), values: Float32Array.from(seen, (feature) => scratch[feature] / norm) };
    for (const feature of seen) scratch[feature] = 0;
    return vector;
  }
}

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

  /** How many stored values the features `indices[from..to)` walk through. */
  cost(indices: Int32Array, from: number, to: number): number {
    let total = 0;
    for (let k = from; k < to; k++) total += this.offsets[indices[k] + 1] - this.offsets[indices[k]];
    return total;
  }
}

function grow<T extends Int32Array | Float32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
