// Vectorize scores per metric (Vectorize docs, "Distance metrics"): cosine similarity, higher is closer;
// euclidean L2 distance, lower is closer; dot-product reported as the NEGATIVE dot product, lower is closer.
// A namespace's vectors are packed column by column (dimension-major), so a query reads only the columns of its
// non-zero dimensions, each one contiguous: a short text's lexical vector has a few dozen of 768, and a query over
// 10,000 vectors reads about 1.3 MB instead of 30. For cosine the columns hold unit vectors (scaled once, when the
// namespace is loaded), so a query costs one dot product per stored vector.

/**
 * Packs `vectors` (each `dims` long) column by column: value i of vector r at `i * vectors.length + r`. With `unit`
 * each vector is scaled to unit length first (zero vectors stay zero).
 */
export function packColumns(vectors: readonly Float32Array[], dims: number, unit: boolean): Float32Array {
  const rows = vectors.length;
  const matrix = new Float32Array(rows * dims);
  vectors.forEach((vector, r) => {
    const norm = unit ? Math.sqrt(squaredNorm(vector)) : 1;
    const scale = norm === 0 ? 0 : 1 / norm;
    for (let i = 0; i < dims; i++) matrix[i * rows + r] = vector[i]! * scale;
  });
  return matrix;
}

/**
 * Closeness of every stored vector to the query, higher is closer (cosine similarity, dot product, or the negative
 * euclidean distance), written into `out`. `matrix` holds `out.length` vectors packed by packColumns: unit vectors
 * for cosine, the stored values otherwise.
 */
export function closeness(metric: VectorizeDistanceMetric, query: Float32Array, matrix: Float32Array, out: Float64Array): void {
  const rows = out.length;
  out.fill(0);
  if (metric === "euclidean") {
    squaredDistances(query, matrix, out);
    for (let r = 0; r < rows; r++) out[r] = -Math.sqrt(out[r]!);
    return;
  }
  const norm = metric === "cosine" ? Math.sqrt(squaredNorm(query)) : 1;
  const scale = norm === 0 ? 0 : 1 / norm;
  // Only the query's non-zero dimensions can contribute: their columns' offsets and weights.
  const offsets: number[] = [];
  const weights: number[] = [];
  for (let i = 0; i < query.length; i++) {
    if (query[i] === 0) continue;
    offsets.push(i * rows);
    weights.push(query[i]! * scale);
  }
  let j = 0;
  // Four columns a pass: a quarter of the reads and writes of `out`.
  for (; j + 3 < offsets.length; j += 4) {
    const [a, b, c, d] = [offsets[j]!, offsets[j + 1]!, offsets[j + 2]!, offsets[j + 3]!];
    const [wa, wb, wc, wd] = [weights[j]!, weights[j + 1]!, weights[j + 2]!, weights[j + 3]!];
    for (let r = 0; r < rows; r++) out[r]! += wa * matrix[a + r]! + wb * matrix[b + r]! + wc * matrix[c + r]! + wd * matrix[d + r]!;
  }
  for (; j < offsets.length; j++) {
    const [a, wa] = [offsets[j]!, weights[j]!];
    for (let r = 0; r < rows; r++) out[r]! += wa * matrix[a + r]!;
  }
}

/** Turns a closeness back into the score Vectorize reports for the metric. */
export function reportedScore(metric: VectorizeDistanceMetric, closeness: number): number {
  return metric === "cosine" ? closeness : -closeness;
}

// Differences rather than |q|² + |v|² - 2q·v, which cancels badly and gives identical vectors a distance above 0.
function squaredDistances(query: Float32Array, matrix: Float32Array, out: Float64Array): void {
  const rows = out.length;
  for (let i = 0, a = 0; i < query.length; i++, a += rows) {
    const q = query[i]!;
    for (let r = 0; r < rows; r++) {
      const d = q - matrix[a + r]!;
      out[r]! += d * d;
    }
  }
}

function squaredNorm(values: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]! * values[i]!;
  return sum;
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
