// An index's identity and shape, read from the service binding's props ({ index, dimensions, metric }).

export interface VectorizeProps {
  index?: string;
  dimensions?: number;
  metric?: VectorizeDistanceMetric;
}

export interface IndexConfig {
  index: string;
  dimensions: number;
  metric: VectorizeDistanceMetric;
}

export const DEFAULT_CONFIG: IndexConfig = { index: "default", dimensions: 768, metric: "cosine" };
// Vectorize's largest supported dimension (float32).
export const MAX_DIMENSIONS = 1536;
const METRICS: readonly string[] = ["cosine", "euclidean", "dot-product"];

export function indexConfig(props: unknown): IndexConfig {
  const p = (typeof props === "object" && props !== null ? props : {}) as VectorizeProps;
  const config = { index: p.index ?? DEFAULT_CONFIG.index, dimensions: p.dimensions ?? DEFAULT_CONFIG.dimensions, metric: p.metric ?? DEFAULT_CONFIG.metric };
  if (typeof config.index !== "string" || !/^[a-z0-9][a-z0-9_-]{0,63}$/i.test(config.index)) {
    throw new Error(`VECTORIZE_CONFIG_ERROR: index name "${String(config.index)}" must be 1-64 letters, digits, "-" or "_"`);
  }
  if (!Number.isInteger(config.dimensions) || config.dimensions < 1 || config.dimensions > MAX_DIMENSIONS) {
    throw new Error(`VECTORIZE_CONFIG_ERROR: dimensions must be an integer from 1 to ${MAX_DIMENSIONS} (got ${String(config.dimensions)})`);
  }
  if (!METRICS.includes(config.metric)) {
    throw new Error(`VECTORIZE_CONFIG_ERROR: metric must be one of ${METRICS.join(", ")} (got ${String(config.metric)})`);
  }
  return config;
}
