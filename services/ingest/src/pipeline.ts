// The ingest pipeline for a group of documents: normalise, chunk, skip unchanged ones, embed in batches, upsert
// vectors (namespace = tenant), then commit rows in one D1 transaction and purge the vectors the commit displaced.
//
// D1 is the source of truth: vectors are written first and a document becomes visible when its rows commit.
// Vectorize applies writes asynchronously in production, so a search can briefly see vectors of a replaced or
// deleted version; search drops every hit without a row, and purges delete only ids no row refers to.
import { chooseModel, EmbeddingDimensionError, inGroups, INDEX_DIMENSIONS, runEmbedding, type AiRunner, type ContentType, type DocumentOutcome, type IngestDocument, type RequestContext } from "@platform/shared";
import { RejectError } from "./blocks.ts";
import { chunkBlocks, chunkOptions, embeddingText } from "./chunk.ts";
import { chunkId, contentHash } from "./ids.ts";
import { normalize } from "./normalize.ts";
import { commitDocuments, MAX_PARAMS, storedVersions, type DocumentRecord } from "./documents-db/write.ts";
import { vectorMetadata } from "./vector-metadata.ts";

export type VectorWriter = Pick<Vectorize, "upsert" | "deleteByIds">;

export interface PipelineDeps {
  db: D1Database;
  index: VectorWriter;
  ai: AiRunner;
}

/** A document as the pipeline takes it: text (files were converted on submit, keeping their content type). */
export type SubmittedDocument = Omit<IngestDocument, "contentType"> & { contentType: ContentType; index: number };

export interface PipelineResult {
  outcomes: DocumentOutcome[];
  embeddingTokens: number;
  /** Vector ids the commit displaced whose deletion failed; the caller queues them for a later purge. */
  purge: string[];
}

/** Statements to commit together with the documents, built once their outcomes are known. */
export type CommitExtra = (outcomes: DocumentOutcome[], embeddingTokens: number) => D1PreparedStatement[];

/** Vectorize accepts at most 1000 vectors per upsert from a Worker. */
const VECTORS_PER_UPSERT = 1000;

interface Prepared {
  doc: SubmittedDocument;
  record: DocumentRecord;
  embedTexts: string[];
  metadata: ReturnType<typeof vectorMetadata>[];
}

/** Runs the pipeline; throws (for the caller to retry or record) when AI, Vectorize or D1 fail. */
export async function processDocuments(deps: PipelineDeps, ctx: RequestContext, docs: readonly SubmittedDocument[], extra: CommitExtra = () => []): Promise<PipelineResult> {
  const outcomes: DocumentOutcome[] = [];
  const prepared: Prepared[] = [];
  const embeddingModel = chooseModel(ctx.tenant, "embedding");
  const chunking = chunkOptions(ctx.tenant.rag);
  for (const doc of docs) {
    try {
      prepared.push(await prepare(ctx.tenantId, doc, chunking, embeddingModel));
    } catch (error) {
      if (!(error instanceof RejectError)) throw error;
      outcomes.push({ index: doc.index, id: doc.id, status: "rejected", reason: `${error.code}: ${error.message}` });
    }
  }

  const stored = await storedVersions(deps.db, ctx.tenantId, prepared.map((p) => p.record.id));
  const changed = prepared.filter((p) => stored.get(p.record.id) !== p.record.version);
  for (const p of prepared) if (!changed.includes(p)) outcomes.push({ index: p.doc.index, id: p.doc.id, status: "unchanged", chunks: p.record.chunks.length });

  const texts = changed.flatMap((p) => p.embedTexts);
  let embeddingTokens = 0;
  const newIds: string[] = [];
  if (texts.length > 0) {
    const embedded = await runEmbedding({ ai: deps.ai, ctx, service: "ingest" }, texts, INDEX_DIMENSIONS).catch((error: unknown) => {
      if (!(error instanceof EmbeddingDimensionError)) throw error;
      // The tenant's embedding model cannot fill this index: no retry helps, so its documents are rejected.
      for (const p of changed.splice(0)) outcomes.push({ index: p.doc.index, id: p.doc.id, status: "rejected", reason: `${error.body.code}: ${error.body.message}` });
      return { usage: { total_tokens: 0 }, data: [] };
    });
    embeddingTokens = embedded.usage.total_tokens;
    const vectors: VectorizeVector[] = [];
    let at = 0;
    for (const p of changed) {
      p.record.chunks.forEach((chunk, i) => {
        // A typed array crosses RPC as one block of bytes; a number[] of 768 is cloned number by number.
        vectors.push({ id: chunk.id, values: float32(embedded.data[at++]!), namespace: ctx.tenantId, metadata: p.metadata[i]! });
        newIds.push(chunk.id);
      });
    }
    for (const group of inGroups(vectors, VECTORS_PER_UPSERT)) await deps.index.upsert(group);
  }
  for (const p of changed) outcomes.push({ index: p.doc.index, id: p.doc.id, status: "indexed", chunks: p.record.chunks.length });
  outcomes.sort((a, b) => a.index - b.index);

  let displaced: Map<string, string[]>;
  try {
    displaced = await commitDocuments(deps.db, ctx.tenantId, changed.map((p) => p.record), extra(outcomes, embeddingTokens), Date.now());
  } catch (error) {
    // Nothing committed: the vectors just written are orphans (invisible to search, which needs their rows).
    await purgeVectors(deps, ctx.tenantId, newIds).catch(() => {});
    throw error;
  }
  const purge: string[] = [];
  const stale = [...displaced.values()].flat();
  if (stale.length > 0) {
    try {
      await purgeVectors(deps, ctx.tenantId, stale);
    } catch {
      purge.push(...stale);
    }
  }
  return { outcomes, embeddingTokens, purge };
}

async function prepare(tenantId: string, doc: SubmittedDocument, chunking: ReturnType<typeof chunkOptions>, embeddingModel: string): Promise<Prepared> {
  const normalized = normalize(doc.text, doc.contentType);
  const title = doc.title ?? normalized.title;
  const chunks = chunkBlocks(normalized.blocks, chunking);
  if (chunks.length === 0) throw new RejectError("invalid_request", "no text is left to index after normalising");
  const version = await contentHash({ contentType: doc.contentType, text: normalized.text, title, url: doc.url, metadata: doc.metadata, chunking, embeddingModel });
  const ids = await Promise.all(chunks.map((c) => chunkId(tenantId, doc.id, version, c.index)));
  const record: DocumentRecord = {
    id: doc.id,
    version,
    title,
    url: doc.url,
    contentType: doc.contentType,
    metadata: doc.metadata,
    bytes: new TextEncoder().encode(doc.text).length,
    chunks: chunks.map((c, i) => ({ id: ids[i]!, seq: c.index, text: c.text, headings: c.headings, page: c.page })),
  };
  return {
    doc,
    record,
    embedTexts: chunks.map((c) => embeddingText(c, title)),
    metadata: chunks.map((c) => vectorMetadata({ docId: doc.id, chunk: c.index, title, url: doc.url, headings: c.headings, contentType: doc.contentType, metadata: doc.metadata, page: c.page })),
  };
}

/** The vector ids a run of `doc` writes (chunk ids derive from tenant, document, content version and position). */
export async function vectorIdsOf(ctx: RequestContext, doc: SubmittedDocument): Promise<string[]> {
  const prepared = await prepare(ctx.tenantId, doc, chunkOptions(ctx.tenant.rag), chooseModel(ctx.tenant, "embedding"));
  return prepared.record.chunks.map((c) => c.id);
}

/**
 * Deletes vectors that no chunk row refers to any more. Ids still in D1 (a concurrent writer committed the same
 * version again) are kept, so a purge never removes a live vector.
 */
export async function purgeVectors(deps: Pick<PipelineDeps, "db" | "index">, tenantId: string, ids: readonly string[]): Promise<number> {
  const live = new Set<string>();
  for (const group of inGroups([...new Set(ids)], MAX_PARAMS - 1)) {
    const { results } = await deps.db.prepare(`SELECT id FROM chunks WHERE tenant_id = ? AND id IN (${group.map(() => "?").join(",")})`).bind(tenantId, ...group).all<{ id: string }>();
    for (const row of results) live.add(row.id);
  }
  const dead = [...new Set(ids)].filter((id) => !live.has(id));
  for (const group of inGroups(dead, VECTORS_PER_UPSERT)) await deps.index.deleteByIds(group);
  return dead.length;
}

/**
 * A vector as a Float32Array, by a loop: an array that came over RPC (from the local embedding twin) holds its numbers
 * boxed, and the Float32Array constructor reads those element by element through V8's generic lookup, several times
 * slower. The same speed as the constructor on the packed arrays Workers AI's JSON gives.
 */
function float32(values: readonly number[]): Float32Array {
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i]!;
  return out;
}
