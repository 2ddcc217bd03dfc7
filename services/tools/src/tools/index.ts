// The registry: every tool the platform offers, one module each. Adding a tool is its file plus one line here.
import type { AnyTool } from "../tool.ts";
import { chunkDocument } from "./chunk-document.ts";
import { classifyIntent } from "./classify-intent.ts";
import { extractEntities } from "./extract-entities.ts";
import { ingestDocument } from "./ingest-document.ts";
import { kvGet } from "./kv-get.ts";
import { searchDocuments } from "./search-documents.ts";
import { summarize } from "./summarize.ts";
import { tagDocument } from "./tag-document.ts";

export const TOOLS: readonly AnyTool[] = [summarize, extractEntities, classifyIntent, tagDocument, chunkDocument, ingestDocument, searchDocuments, kvGet];
