// Vectorize scores per metric (Vectorize docs, "Distance metrics"): cosine similarity, higher is closer;
// euclidean L2 distance, lower is closer; dot-product reported as the NEGATIVE dot product, lower is closer.
// A namespace's vectors are scored in one pass over a packed matrix; for cosine the matrix holds unit vectors
// (normalised once, when the namespace is loaded), so a query costs one dot product per stored vector.

/**
 * Closeness of every stored row to the query, higher is closer (cosine similarity, dot product, or the negative
 * euclidean distance), written into `out`. `matrix` holds `out.length` rows of `query.length` values: unit rows
 * for cosine (zero rows stay zero), the stored values otherwise.
 */
export function closeness(metric: VectorizeDistanceMetric, query: Float32Array, matrix: Float32Array, out: Float64Array): void {
  const dims = query.length;
  const rows = out.length;
  if (metric === "euclidean") {
    for (let r = 0; r < rows; r++) out[r] = -Math.sqrt(distanceSq(query, matrix, r * dims));
    return;
  }
  let scale = 1;
  if (metric === "cosine") {
    const norm = Math.sqrt(squaredNorm(query));
    scale = norm === 0 ? 0 : 1 / norm;
  }
  // Only the query's non-zero dimensions can contribute: a sparse query (a short text's lexical vector has a few
  // dozen) reads a few dozen values per row instead of all of them.
  const at: number[] = [];
  for (let i = 0; i < dims; i++) if (query[i] !== 0) at.push(i);
  if (at.length * 3 < dims) {
    const index = Int32Array.from(at);
    const weight = Float64Array.from(at, (i) => query[i]! * scale);
    const nnz = index.length;
    for (let r = 0, base = 0; r < rows; r++, base += dims) {
      let sum = 0;
      for (let j = 0; j < nnz; j++) sum += weight[j]! * matrix[base + index[j]!]!;
      out[r] = sum;
    }
    return;
  }
  for (let r = 0; r < rows; r++) out[r] = dot(query, matrix, r * dims) * scale;
}

/** Turns a closeness back into the score Vectorize reports for the metric. */
export function reportedScore(metric: VectorizeDistanceMetric, closeness: number): number {
  return metric === "cosine" ? closeness : -closeness;
}

// Four running sums let the JIT keep the loop in registers: about twice as fast as one sum over 768 floats.
function dot(query: Float32Array, matrix: Float32Array, base: number): number {
  const dims = query.length;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < dims; i += 4) {
    s0 += query[i]! * matrix[base + i]!;
    s1 += query[i + 1]! * matrix[base + i + 1]!;
    s2 += query[i + 2]! * matrix[base + i + 2]!;
    s3 += query[i + 3]! * matrix[base + i + 3]!;
  }
  for (; i < dims; i++) s0 += query[i]! * matrix[base + i]!;
  return s0 + s1 + s2 + s3;
}

// Differences rather than |q|² + |v|² - 2q·v, which cancels badly and gives identical vectors a distance above 0.
function distanceSq(query: Float32Array, matrix: Float32Array, base: number): number {
  const dims = query.length;
  let s0 = 0;
  let s1 = 0;
  let i = 0;
  for (; i + 1 < dims; i += 2) {
    const d0 = query[i]! - matrix[base + i]!;
    const d1 = query[i + 1]! - matrix[base + i + 1]!;
    s0 += d0 * d0;
    s1 += d1 * d1;
  }
  for (; i < dims; i++) {
    const d = query[i]! - matrix[base + i]!;
    s0 += d * d;
  }
  return s0 + s1;
}

export function squaredNorm(values: Float32Array, base = 0, dims = values.length): number {
  let sum = 0;
  for (let i = 0; i < dims; i++) sum += values[base + i]! * values[base + i]!;
  return sum;
}

/** Scales each row of a packed matrix to unit length in place (rows of zeros stay zero). */
export function normalizeRows(matrix: Float32Array, dims: number): void {
  for (let base = 0; base < matrix.length; base += dims) {
    const norm = Math.sqrt(squaredNorm(matrix, base, dims));
    if (norm === 0) continue;
    for (let i = 0; i < dims; i++) matrix[base + i]! /= norm;
  }
}

/**
 * The rows of the `k` highest values among those `keep` accepts, best first; ties go to the lower row (rows are in
 * id order, so equal scores keep id order). A bounded min-heap: O(n log k), no sort of every candidate.
 */
export function topRows(values: Float64Array, k: number, keep?: (row: number) => boolean): number[] {
  const heap: number[] = [];
  // "a is worse than b": lower value, or the same value and a later row.
  const worse = (a: number, b: number) => values[a]! < values[b]! || (values[a] === values[b] && a > b);
  const siftDown = (from: number) => {
    let i = from;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heap.length && worse(heap[left]!, heap[smallest]!)) smallest = left;
      if (right < heap.length && worse(heap[right]!, heap[smallest]!)) smallest = right;
      if (smallest === i) return;
      [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
      i = smallest;
    }
  };
  if (k <= 0) return [];
  for (let row = 0; row < values.length; row++) {
    if (Number.isNaN(values[row]!) || (keep && !keep(row))) continue;
    if (heap.length < k) {
      heap.push(row);
      for (let i = heap.length - 1; i > 0; ) {
        const parent = (i - 1) >> 1;
        if (!worse(heap[i]!, heap[parent]!)) break;
        [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
        i = parent;
      }
    } else if (worse(heap[0]!, row)) {
      heap[0] = row;
      siftDown(0);
    }
  }
  return heap.sort((a, b) => (worse(a, b) ? 1 : worse(b, a) ? -1 : 0));
}
