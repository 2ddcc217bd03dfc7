// Embedding twin: deterministic lexical vectors (signed feature hashing of stemmed words and character
// trigrams, L2-normalised) in the real model's dimension, so texts that share words or word pieces are near.
import { invalidInput, isRecord } from "./errors.ts";
import { STOPWORDS, stem, words } from "./text.ts";

export interface EmbeddingOutput {
  shape: number[];
  data: number[][];
  pooling?: "mean" | "cls";
}

const MAX_TEXTS = 100;
const WORD_WEIGHT = 1;
const STOPWORD_WEIGHT = 0.25;
// The trigrams of one word together weigh half the word: sub-words catch typos and inflections
// without drowning whole-word matches.
const TRIGRAM_SHARE = 0.5;
const FNV_OFFSET = 0x811c9dc5;
// Mean and cls pooling give incomparable vectors in the real models; a different seed keeps that true here.
const CLS_SEED = 0x01000193;

export function embed(inputs: unknown, dimensions: number): EmbeddingOutput {
  if (!isRecord(inputs)) throw invalidInput("inputs must be an object with a `text` property");
  const { text, pooling } = inputs;
  const texts = typeof text === "string" ? [text] : text;
  if (!Array.isArray(texts) || texts.some((t) => typeof t !== "string")) {
    throw invalidInput("required property `text` must be a string or an array of strings");
  }
  if (texts.length === 0) throw invalidInput("`text` must contain at least 1 item");
  if (texts.length > MAX_TEXTS) throw invalidInput(`\`text\` must NOT have more than ${MAX_TEXTS} items (got ${texts.length})`);
  if (pooling !== undefined && pooling !== "mean" && pooling !== "cls") throw invalidInput('`pooling` must be "mean" or "cls"');
  const seed = pooling === "cls" ? CLS_SEED : FNV_OFFSET;
  const data = (texts as string[]).map((t) => Array.from(embedText(t, dimensions, seed)));
  return pooling ? { shape: [data.length, dimensions], data, pooling } : { shape: [data.length, dimensions], data };
}

/** One text's vector. Exposed for the reranker, which compares texts the same way. */
export function embedText(text: string, dimensions: number, seed = FNV_OFFSET): Float64Array {
  const vector = new Float64Array(dimensions);
  const tokens = words(text);
  for (const word of tokens) {
    const isStop = STOPWORDS.has(word);
    const stemmed = stem(word);
    addFeature(vector, hashRange("w:" + stemmed, 0, stemmed.length + 2, seed), isStop ? STOPWORD_WEIGHT : WORD_WEIGHT);
    if (isStop) continue;
    const padded = `#${word}#`;
    const count = padded.length - 2;
    const weight = TRIGRAM_SHARE / Math.sqrt(count);
    for (let i = 0; i < count; i++) addFeature(vector, hashRange(padded, i, i + 3, seed ^ 0x5bd1e995), weight);
  }
  if (tokens.length === 0) addFeature(vector, hashRange("<empty>", 0, 7, seed), 1);
  let norm = 0;
  for (let i = 0; i < dimensions; i++) norm += vector[i]! * vector[i]!;
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < dimensions; i++) vector[i]! /= norm;
  return vector;
}

function addFeature(vector: Float64Array, hash: number, weight: number): void {
  const index = hash % vector.length;
  vector[index]! += hash & 0x80000000 ? -weight : weight;
}

function hashRange(text: string, start: number, end: number, seed: number): number {
  let hash = seed;
  for (let i = start; i < end; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  // Final avalanche so that nearby strings spread over all dimensions and the sign bit is well mixed.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  return hash >>> 0;
}
