// ingest_document: adds one document to the tenant's index through the ingest service over RPC. Same document
// schema as POST /v1/ingest; answers with the ingest job. Its input fits ingest's synchronous path, so the job is done
// when the tool answers and what it charges is exactly what was embedded (a queued job's charge settles on a read).
import { IngestDocumentSchema, INGEST_LIMITS } from "@platform/shared";
import { defineTool } from "../tool.ts";

export const ingestDocument = defineTool({
  name: "ingest_document",
  description: "Add or replace one document in the tenant's search index (text, markdown, HTML or JSON). Up to 256 KiB (larger documents: POST /v1/ingest). Returns { jobId, status, documents }.",
  input: IngestDocumentSchema,
  scopes: ["tools", "ingest"],
  limits: { maxInputBytes: INGEST_LIMITS.syncMaxBytes, maxOutputBytes: 4 * 1024, timeoutMs: 60_000 },
  async handler(_ctx, args, deps) {
    const job = await deps.ingest.ingest({ documents: [{ ...args, index: 0 }], rejected: [] });
    deps.addUsage(job.usage.embeddingTokens);
    return { jobId: job.jobId, status: job.status, mode: job.mode, documents: job.documents };
  },
});
