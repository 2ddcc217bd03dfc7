// Listing and deleting a tenant's documents. A delete removes the rows first (so search stops showing the document
// at once) and then the vectors; vectors whose deletion fails are queued for a later purge.
import { AppError, INGEST_LIMITS, notFound, type DeleteResult, type DocumentPage, type DocumentsQuery } from "@platform/shared";
import { purgeVectors } from "./pipeline.ts";
import { decodeCursor, deleteDocumentRows, listDocuments } from "./documents-db/write.ts";
import { queuePurge, type SubmitDeps } from "./submit.ts";

export async function documentsPage(db: D1Database, tenantId: string, query: DocumentsQuery): Promise<DocumentPage> {
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  if (query.cursor !== undefined && after === undefined) throw new AppError("invalid_request", "cursor must be a value of nextCursor");
  return listDocuments(db, tenantId, after, query.limit ?? INGEST_LIMITS.documentsPageDefault);
}

export async function deleteDocument(deps: SubmitDeps, tenantId: string, docId: string): Promise<DeleteResult> {
  const ids = await deleteDocumentRows(deps.db, tenantId, docId, Date.now());
  if (ids === null) throw notFound("document");
  try {
    await purgeVectors(deps, tenantId, ids);
  } catch {
    await queuePurge(deps.queue, tenantId, ids);
  }
  return { id: docId, deleted: true, chunks: ids.length };
}
