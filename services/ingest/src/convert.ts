// Files to text when an ingest is accepted: PDF and Word documents go through Workers AI's document conversion
// (`env.AI.toMarkdown`; the LocalAI twin in development), in one call per request. Each file becomes a text document of
// its own content type, or a rejection with the converter's reason (a corrupt or encrypted file); the rest of the
// pipeline (and a queued job's stored payload) only ever sees text.
import {
  AppError,
  FILE_EXTENSIONS,
  INGEST_LIMITS,
  isFileContentType,
  type AcceptedDocument,
  type FileDocument,
  type IngestInput,
  type RejectedDocument,
} from "@platform/shared";
import { convertedText, PAGE_BREAK } from "./converted.ts";
import type { SubmittedDocument } from "./pipeline.ts";

export type DocumentConverter = Pick<Ai, "toMarkdown">;

export interface ConvertedInput {
  documents: SubmittedDocument[];
  rejected: RejectedDocument[];
}

type SubmittedFile = FileDocument & { index: number };
const isFile = (doc: AcceptedDocument): doc is SubmittedFile => "data" in doc && isFileContentType(doc.contentType);

/** The name the converter sees: the document id, with the type's extension unless it has it already. */
export function fileName(doc: Pick<FileDocument, "id" | "contentType">): string {
  const extension = `.${FILE_EXTENSIONS[doc.contentType]}`;
  return doc.id.toLowerCase().endsWith(extension) ? doc.id : doc.id + extension;
}

export async function convertFiles(converter: DocumentConverter, input: IngestInput): Promise<ConvertedInput> {
  const files: SubmittedFile[] = [];
  const documents: SubmittedDocument[] = [];
  for (const doc of input.documents) {
    if (isFile(doc)) files.push(doc);
    else documents.push(doc);
  }
  if (files.length === 0) return { documents, rejected: input.rejected };

  const names = files.map(fileName);
  let results: ConversionResponse[];
  try {
    results = await converter.toMarkdown(files.map((f, i) => ({ name: names[i]!, blob: new Blob([f.data.slice()], { type: f.contentType }) })));
  } catch (error) {
    throw new AppError("upstream_error", `document conversion failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  const rejected = [...input.rejected];
  files.forEach((file, i) => {
    const reject = (code: RejectedDocument["code"], reason: string) => rejected.push({ index: file.index, id: file.id, code, reason });
    const result = results.find((r) => r.name === names[i]) ?? results[i];
    if (!result) return reject("invalid_request", "the converter returned no result for this file");
    if (result.format === "error") return reject("invalid_request", conversionError(result.error, file.contentType));
    const converted = convertedText(result.data, names[i]!, file.contentType === "application/pdf");
    if (converted.text.replaceAll(PAGE_BREAK, "").trim() === "") {
      return reject("invalid_request", "no text was found in this file (a scanned document without a text layer cannot be indexed)");
    }
    const bytes = new TextEncoder().encode(converted.text).byteLength;
    if (bytes > INGEST_LIMITS.maxDocumentBytes) {
      return reject("payload_too_large", `the file's text is ${bytes} bytes, over the limit of ${INGEST_LIMITS.maxDocumentBytes} bytes per document`);
    }
    const { data: _data, ...fields } = file;
    const doc: SubmittedDocument = { ...fields, text: converted.text };
    const title = file.title ?? converted.title;
    if (title) doc.title = title;
    documents.push(doc);
  });
  documents.sort((a, b) => a.index - b.index);
  rejected.sort((a, b) => a.index - b.index);
  return { documents, rejected };
}

function conversionError(error: string, contentType: FileDocument["contentType"]): string {
  const kind = contentType === "application/pdf" ? "PDF" : "DOCX";
  if (/password|encrypt/i.test(error)) return `the ${kind} is encrypted (password-protected) and cannot be read: ${error}`.slice(0, 500);
  return `the ${kind} could not be read (corrupt or not a ${kind}): ${error}`.slice(0, 500);
}
