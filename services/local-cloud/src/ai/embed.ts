// Embedding twin: deterministic lexical-subword vectors (signed feature hashing of stemmed words and of character
// 4-grams, L2-normalised) in the real model's dimension, so texts that share words or word pieces are near. A
// stand-in, not a language model: it knows no synonyms; see the README ("The embedding twin").
import { invalidInput } from "./errors.ts";
import { isRecord } from "@platform/shared";
import { STOPWORDS, stem, words } from "./text.ts";

export interface EmbeddingOutput {
  shape: number[];
  data: number[][];
  pooling?: "mean" | "cls";
}

const MAX_TEXTS = 100;
// The 4-grams of one word together weigh this many times the word (their squared weights add up to its square
// times this squared). Sub-words carry most of the vector: they match typos, spelling variants, compounds and
// inflections the stemmer misses, a signal the keyword index (whole stemmed words) lacks, so hybrid fusion gains
// from it. Chosen from 2-6 on the benchmark sets (services/search/README.md, "Fusion").
const SUBWORD_SHARE = 4;
const SUBWORD = 4;
// A text's leading context line (the title and headings ingest puts before a blank line) counts this many times:
// it names the topic, as a title field does for BM25. Chosen from 5-24 on the ranking sets (`npm run bench:ranking`;
// services/search/README.md, "Fusion"): only 10-12 keep hybrid at 1.02 x BM25 on every one.
const CONTEXT_WEIGHT = 12;
const MAX_CONTEXT_CHARS = 300;
// Very common content words count this much (a stand-in for the inverse document frequency a model learns).
const COMMON_WEIGHT = 0.4;
const FNV_OFFSET = 0x811c9dc5;
// Mean and cls pooling give incomparable vectors in the real models; a different seed keeps that true here.
const CLS_SEED = 0x01000193;
const SUBWORD_SEED = 0x5bd1e995;

// Content words so frequent in English prose (and in abstracts) that they say little about a text's topic: a
// static stand-in for the inverse document frequency a model learns.
const COMMON = new Set(
  (
    "able according across actually almost already although always among another around away back based become began " +
    "best better big came come comes common compared consider considered current day days different done due early " +
    "either else end enough especially even ever every example fact far find finding findings first following found " +
    "general generally given go going good got great group high however important include included including increase " +
    "increased known large last later least less let level like likely little long look made main make makes making " +
    "man many may mean means might much must name near need never new next non now number often old one ones others " +
    "part particular per perhaps place point possible present problem problems provide provides put rather really " +
    "recent recently result results said say see seen set several shown showed shows significant significantly " +
    "similar since small something sometimes still studied studies study take taken thing things think though three " +
    "thus time times together took toward two type types upon use used uses using usually various want way ways well " +
    "went whether within without work works would year years yet"
  )
    .split(" ")
    .map(stem),
);

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
  const data = (texts as string[]).map((t) => toArray(embedText(t, dimensions, seed)));
  return pooling ? { shape: [data.length, dimensions], data, pooling } : { shape: [data.length, dimensions], data };
}

/**
 * A plain array of the vector (the wire shape of Workers AI); a loop, several times faster than Array.from here.
 * Pushed, not preallocated: `new Array(n)` is holey, and RPC's serializer sends a holey array as a sparse one, key by
 * key, which costs 2-3x as much to clone and parse (bulk ingest: 850 -> 950 documents a second).
 */
function toArray(vector: Float64Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < vector.length; i++) out.push(vector[i]!);
  return out;
}

// What a text's vector needs of each word, worked out once per word and not in every text that has it (the stemmer's
// regular expressions and the hashing were most of an embedding's time, and a corpus repeats its words): the stem's
// feature and static weight, and the 4-grams' features. A feature is a signed dimension: +(i + 1) adds to dimension
// i, -(i + 1) subtracts. One lexicon per dimension count and seed, emptied between texts when full.
interface Stem {
  feature: number;
  weight: number;
  /** Occurrences in the text being embedded (`seen` is that text's number). */
  tf: number;
  seen: number;
}

interface Word {
  stopword: boolean;
  stem: Stem;
  grams: Int32Array;
  tf: number;
  seen: number;
}

const MAX_WORDS = 50_000;

class Lexicon {
  private readonly words = new Map<string, Word>();
  private readonly stems = new Map<string, Stem>();
  private readonly dimensions: number;
  private readonly seed: number;
  /** Numbers the texts, so a word's `tf` restarts at 0 in each without a pass to reset it. */
  private texts = 0;

  constructor(dimensions: number, seed: number) {
    this.dimensions = dimensions;
    this.seed = seed;
  }

  /** Called before each text: a full lexicon starts again (never within a text, whose counts it holds). */
  next(): number {
    if (this.words.size >= MAX_WORDS) {
      this.words.clear();
      this.stems.clear();
    }
    return ++this.texts;
  }

  word(surface: string): Word {
    let word = this.words.get(surface);
    if (word === undefined) {
      const padded = `#${surface}#`;
      const grams = new Int32Array(Math.max(1, padded.length - SUBWORD + 1));
      for (let i = 0; i < grams.length; i++) grams[i] = this.feature(padded, i, Math.min(padded.length, i + SUBWORD), this.seed ^ SUBWORD_SEED);
      word = { stopword: STOPWORDS.has(surface), stem: this.stem(stem(surface)), grams, tf: 0, seen: 0 };
      this.words.set(surface, word);
    }
    return word;
  }

  empty(): number {
    return this.feature("<empty>", 0, 7, this.seed);
  }

  private stem(stemmed: string): Stem {
    let found = this.stems.get(stemmed);
    if (found === undefined) {
      const key = "w:" + stemmed;
      found = { feature: this.feature(key, 0, key.length, this.seed), weight: termWeight(stemmed), tf: 0, seen: 0 };
      this.stems.set(stemmed, found);
    }
    return found;
  }

  private feature(text: string, start: number, end: number, seed: number): number {
    const hash = hashRange(text, start, end, seed);
    const index = (hash % this.dimensions) + 1;
    return hash & 0x80000000 ? -index : index;
  }
}

const LEXICONS = new Map<string, Lexicon>();

function lexicon(dimensions: number, seed: number): Lexicon {
  const key = `${dimensions}:${seed}`;
  let found = LEXICONS.get(key);
  if (!found) LEXICONS.set(key, (found = new Lexicon(dimensions, seed)));
  return found;
}

/** One text's vector. Exposed for the reranker, which compares texts the same way. */
export function embedText(text: string, dimensions: number, seed = FNV_OFFSET): Float64Array {
  const vector = new Float64Array(dimensions);
  const lex = lexicon(dimensions, seed);
  const current = lex.next();
  const all = words(text).map((w) => lex.word(w));
  const content = all.filter((w) => !w.stopword);
  // A text of stopwords only ("what is this") still embeds its words rather than nothing.
  const tokens = content.length > 0 ? content : all;
  // Each distinct stem and word once, in order of first use, with its count in this text.
  const stems: Stem[] = [];
  const surfaces: Word[] = [];
  for (const word of tokens) {
    if (word.seen !== current) {
      word.seen = current;
      word.tf = 0;
      surfaces.push(word);
      if (word.stem.seen !== current) {
        word.stem.seen = current;
        word.stem.tf = 0;
        stems.push(word.stem);
      }
    }
    word.tf++;
    word.stem.tf++;
  }
  for (const surface of contextWords(text)) {
    const word = lex.word(surface);
    if (word.seen !== current) continue;
    word.stem.tf += CONTEXT_WEIGHT - 1;
    word.tf += CONTEXT_WEIGHT - 1;
  }
  for (const { feature, weight, tf } of stems) addFeature(vector, feature, termFrequency(tf) * weight);
  // 4-grams of the surface form ("#word#"), so a misspelt or differently inflected word still shares many of them.
  for (const { grams, stem, tf } of surfaces) {
    const weight = (SUBWORD_SHARE * termFrequency(tf) * stem.weight) / Math.sqrt(grams.length);
    for (let i = 0; i < grams.length; i++) addFeature(vector, grams[i]!, weight);
  }
  if (tokens.length === 0) addFeature(vector, lex.empty(), 1);
  let norm = 0;
  for (let i = 0; i < dimensions; i++) norm += vector[i]! * vector[i]!;
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < dimensions; i++) vector[i]! /= norm;
  return vector;
}

/** The words of the text's first line when a blank line follows it soon (ingest's "title > headings" context). */
function contextWords(text: string): Set<string> {
  const end = text.indexOf("\n\n");
  return end > 0 && end <= MAX_CONTEXT_CHARS ? new Set(words(text.slice(0, end))) : new Set();
}

/** Sublinear term frequency: a word said five times is not five times as telling. */
function termFrequency(tf: number): number {
  return 1 + Math.log(tf);
}

/**
 * A word's static weight: very common words count less, and so do short ones, which are frequent words more often
 * than not (Zipf's law of abbreviation): from 0.64 for three letters to 1 from eight letters on.
 */
function termWeight(stemmed: string): number {
  return (COMMON.has(stemmed) ? COMMON_WEIGHT : 1) * Math.min(1, 0.5 + 0.07 * stemmed.length);
}

function addFeature(vector: Float64Array, feature: number, weight: number): void {
  if (feature > 0) vector[feature - 1]! += weight;
  else vector[-feature - 1]! -= weight;
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
